package io.tandem.director.drill;

import io.tandem.core.lab.Command;
import java.io.IOException;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The compose drill test runs under {@code CI=true} (where {@code .ci/run}
 * starts dockerd) or when asked with {@code -Dtandem.compose=true}; otherwise
 * it is skipped with one message. When it runs, a missing tool (root, a
 * running dockerd, docker-compose, debootstrap) fails it with that message:
 * CI must never pass by skipping it.
 */
public final class ComposeRequirement implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        boolean asked = Boolean.getBoolean("tandem.compose");
        if (!ci && !asked) {
            return ConditionEvaluationResult.disabled("compose drill test skipped: it runs under CI=true or with"
                    + " -Dtandem.compose=true (needs root, a running dockerd, docker-compose and debootstrap)");
        }
        String missing = missing();
        if (missing != null) {
            throw new IllegalStateException("the compose drill test cannot run here, and "
                    + (ci ? "CI=true" : "-Dtandem.compose=true") + " forbids skipping it: " + missing
                    + " (bash .ci/run installs and starts what it needs; -Dtandem.skipCompose=true leaves it out)");
        }
        return ConditionEvaluationResult.enabled("root, dockerd, docker-compose and debootstrap available");
    }

    static String missing() {
        try {
            if (!Command.run("id", "-u").stdout().strip().equals("0")) {
                return "needs root (debootstrap, docker)";
            }
            for (String tool : new String[] {"docker", "debootstrap"}) {
                if (!Command.run("sh", "-c", "command -v " + tool).ok()) {
                    return tool + " is not installed (apt-get install docker.io docker-compose debootstrap)";
                }
            }
            Command.Result info = Command.run("docker", "info", "--format", "{{.ServerVersion}}");
            if (!info.ok()) {
                return "dockerd is not running (`docker info`: " + info.stderr().strip() + ")";
            }
            if (ComposeCli.detect() == null) {
                return "neither `docker-compose` nor `docker compose` works";
            }
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
