package io.tandem.core.lab;

import java.io.IOException;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Lab tests need root and network namespaces. Without them a lab test is
 * skipped with one clear reason, except under {@code CI=true}, where the
 * missing capability is a failure: CI must never pass by skipping the lab.
 */
public final class LabRequirement implements ExecutionCondition {
    private static volatile String missing;
    private static volatile boolean probed;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return decide(missingCapability(), System.getenv("CI"));
    }

    /**
     * The decision for a capability that is {@code missing} (null when present)
     * under the environment's {@code CI} value (null when unset): run, skip with
     * one message, or, under {@code CI=true}, fail with that message.
     */
    static ConditionEvaluationResult decide(String missing, String ci) {
        if (missing == null) {
            return ConditionEvaluationResult.enabled("root and network namespaces available");
        }
        if ("true".equalsIgnoreCase(ci)) {
            throw new IllegalStateException("lab tests cannot run here, and CI=true forbids skipping them: " + missing);
        }
        return ConditionEvaluationResult.disabled("lab test skipped: " + missing);
    }

    /** Why lab tests cannot run here, or null when they can. */
    public static String missingCapability() {
        if (!probed) {
            synchronized (LabRequirement.class) {
                if (!probed) {
                    missing = probe();
                    probed = true;
                }
            }
        }
        return missing;
    }

    private static String probe() {
        if (!"root".equals(System.getProperty("user.name")) && !isUidZero()) {
            return "needs root (run the tests as root, or with -Dtandem.skipLab=true to leave them out)";
        }
        try {
            Command.Result r = Command.run("ip", "netns", "list");
            if (!r.ok()) {
                return "`ip netns list` failed: " + r.stderr().strip();
            }
        } catch (IOException e) {
            return "iproute2's `ip` is not usable: " + e.getMessage();
        }
        return null;
    }

    private static boolean isUidZero() {
        try {
            return Command.run("id", "-u").stdout().strip().equals("0");
        } catch (IOException e) {
            return false;
        }
    }
}
