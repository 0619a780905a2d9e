package io.tandem.core.process;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Runs an external command without blocking the caller and reports how it ended. The
 * engines (MISC_CHECK, vrrp_script, notify scripts) depend on this; {@link ProcessRunner}
 * is the real one, tests complete the stages themselves.
 */
@FunctionalInterface
public interface CommandRunner {
    /**
     * Starts {@code argv} (as {@code user} when not null) and kills it with its descendants after
     * {@code timeout}. The stage completes on a thread of the runner, never the caller's.
     */
    CompletionStage<ProcessOutcome> run(List<String> argv, String user, Duration timeout);
}
