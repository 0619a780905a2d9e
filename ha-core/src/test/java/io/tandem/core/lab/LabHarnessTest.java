package io.tandem.core.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.TestTag;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The harness tested by a test that fails on purpose: a lab test class that
 * builds a lab, starts a process in it and then fails is run through the JUnit
 * Platform test kit; the failure must be reported, and the lab and its process
 * must be gone afterwards.
 */
@LabTest
class LabHarnessTest {
    /** Configuration parameter that lets the fixtures below run; only the test kit sets it. */
    static final String RUN_FIXTURES = "tandem.lab.harnessFixtures";

    @Test
    void failingLabTestIsReportedAndLeavesNothingBehind() throws Exception {
        DeliberatelyFailing.prefix.set(null);
        DeliberatelyFailing.pid.set(-1);

        List<String> bridgesBefore = rootLinks("bridge");
        List<String> vethsBefore = rootLinks("veth");

        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(DeliberatelyFailing.class))
                .configurationParameter(RUN_FIXTURES, "true")
                .execute();

        results.testEvents().assertStatistics(stats -> stats.started(1).failed(1).succeeded(0).aborted(0));
        results.testEvents().assertThatEvents().haveExactly(1, finishedWithFailure(
                instanceOf(AssertionError.class), message(DeliberatelyFailing.MESSAGE)));
        results.containerEvents().assertStatistics(stats -> stats.failed(0));
        String prefix = DeliberatelyFailing.prefix.get();
        long pid = DeliberatelyFailing.pid.get();
        assertThat(prefix).as("the fixture built its lab").isNotNull();
        assertThat(pid).as("the fixture started its process").isPositive();
        assertThat(LabNamespaces.ofLab(prefix)).isEmpty();
        // the bridges and veths lived in the lab's namespaces; none may have appeared in the root namespace
        assertThat(rootLinks("bridge")).as("bridges in the root namespace").isEqualTo(bridgesBefore);
        assertThat(rootLinks("veth")).as("veths in the root namespace").isEqualTo(vethsBefore);
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(Files.exists(LabOptions.DEFAULT_RECORD_DIRECTORY.resolve(prefix))).isFalse();
        Files.deleteIfExists(DeliberatelyFailing.log.get());
        // @WithLab carries @LabTest: the fixture is tagged "lab" like every lab test
        assertThat(results.containerEvents().started().stream()
                .filter(e -> e.getTestDescriptor().getDisplayName().endsWith(DeliberatelyFailing.class.getSimpleName()))
                .flatMap(e -> e.getTestDescriptor().getTags().stream())
                .map(TestTag::getName)).containsExactly("lab");
    }

    /** The names of the root namespace's links of {@code kind} ({@code ip -o link show type KIND}). */
    private static List<String> rootLinks(String kind) throws java.io.IOException {
        return java.util.Arrays.stream(Command.run("ip", "-o", "link", "show", "type", kind).orThrow().stdout().split("\n"))
                .filter(line -> !line.isBlank())
                .map(line -> line.split(":\\s+")[1].split("@")[0])
                .sorted()
                .toList();
    }

    @Test
    void fixturesDoNotRunOutsideTheTestKit() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(DeliberatelyFailing.class))
                .execute();

        results.containerEvents().assertStatistics(stats -> stats.skipped(1));
        results.testEvents().assertStatistics(stats -> stats.started(0));
    }

    /** Enables a fixture only when {@link #RUN_FIXTURES} is set, as {@link LabHarnessTest} does. */
    static final class OnlyThroughTestKit implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(RUN_FIXTURES, Boolean::parseBoolean).orElse(false)
                    ? ConditionEvaluationResult.enabled("run by LabHarnessTest")
                    : ConditionEvaluationResult.disabled("fixture of LabHarnessTest, fails on purpose");
        }
    }

    /** Builds a lab, starts a process in it, then fails. */
    @ExtendWith(OnlyThroughTestKit.class)
    @WithLab(realServers = 1, directors = false)
    static class DeliberatelyFailing {
        static final String MESSAGE = "deliberate failure inside the lab harness";
        static final AtomicReference<String> prefix = new AtomicReference<>();
        static final AtomicLong pid = new AtomicLong(-1);
        static final AtomicReference<Path> log = new AtomicReference<>();

        @Test
        void buildsStartsAndFails(Lab lab) throws Exception {
            prefix.set(lab.prefix());
            log.set(Files.createTempFile("tandem-harness-", ".log"));
            LabProcess sleeper = lab.realServer(1).start(List.of("sleep", "300"), log.get());
            pid.set(sleeper.pid());
            assertThat(sleeper.isAlive()).isTrue();
            assertThat(LabNamespaces.ofLab(lab.prefix())).hasSize(4);
            throw new AssertionError(MESSAGE);
        }
    }
}
