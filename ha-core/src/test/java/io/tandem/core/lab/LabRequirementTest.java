package io.tandem.core.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * What a lab test does where it cannot run: one clear skip reason, or under
 * {@code CI=true} a failure. Not itself a lab test: it runs anywhere, root or not.
 */
class LabRequirementTest {
    private static final String NOT_ROOT = "needs root (run the tests as root, or with -Dtandem.skipLab=true to leave them out)";

    @Test
    void runsWhenNothingIsMissing() {
        ConditionEvaluationResult result = LabRequirement.decide(null, "true");

        assertThat(result.isDisabled()).isFalse();
    }

    @Test
    void skipsWithOneReasonWithoutCi() {
        for (String ci : new String[] {null, "", "false"}) {
            ConditionEvaluationResult result = LabRequirement.decide(NOT_ROOT, ci);

            assertThat(result.isDisabled()).as("CI=%s", ci).isTrue();
            assertThat(result.getReason()).contains("lab test skipped: " + NOT_ROOT);
        }
    }

    @Test
    void failsUnderCi() {
        for (String ci : new String[] {"true", "TRUE"}) {
            assertThatThrownBy(() -> LabRequirement.decide(NOT_ROOT, ci))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("lab tests cannot run here, and CI=true forbids skipping them: " + NOT_ROOT);
        }
    }

    @Test
    void aLabClassThatCannotRunIsSkippedOnceWithTheReasonAndRunsNoTest() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(Unrunnable.class))
                .configurationParameter(LabHarnessTest.RUN_FIXTURES, "true")
                .execute();

        results.testEvents().assertStatistics(stats -> stats.started(0));
        results.containerEvents().assertThatEvents()
                .haveExactly(1, event(skippedWithReason("lab test skipped: " + NOT_ROOT)));
    }

    @Test
    void aLabClassThatCannotRunFailsUnderCi() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(UnrunnableUnderCi.class))
                .configurationParameter(LabHarnessTest.RUN_FIXTURES, "true")
                .execute();

        results.testEvents().assertStatistics(stats -> stats.started(0));
        results.containerEvents().assertStatistics(stats -> stats.failed(1));
    }

    /** {@link LabRequirement}'s decision for a machine without root, as the fixtures below see it. */
    static final class NotRoot extends Decision {
        NotRoot() {
            super(null);
        }
    }

    static final class NotRootUnderCi extends Decision {
        NotRootUnderCi() {
            super("true");
        }
    }

    abstract static class Decision implements org.junit.jupiter.api.extension.ExecutionCondition {
        private final String ci;

        Decision(String ci) {
            this.ci = ci;
        }

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (!context.getConfigurationParameter(LabHarnessTest.RUN_FIXTURES, Boolean::parseBoolean).orElse(false)) {
                return ConditionEvaluationResult.disabled("fixture of LabRequirementTest");
            }
            return LabRequirement.decide(NOT_ROOT, ci);
        }
    }

    @ExtendWith(NotRoot.class)
    static class Unrunnable {
        @Test
        void neverRuns() {
            throw new AssertionError("a lab test ran without its capability");
        }
    }

    @ExtendWith(NotRootUnderCi.class)
    static class UnrunnableUnderCi {
        @Test
        void neverRuns() {
            throw new AssertionError("a lab test ran without its capability");
        }
    }
}
