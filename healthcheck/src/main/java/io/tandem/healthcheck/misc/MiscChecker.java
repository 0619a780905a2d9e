package io.tandem.healthcheck.misc;

import io.tandem.core.process.ProcessOutcome;
import io.tandem.core.process.ProcessRunner;
import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.Checker;
import io.tandem.healthcheck.FailureReason;
import io.tandem.healthcheck.config.MiscCheckConfig;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * MISC_CHECK (keepalived {@code check_misc.c}): runs {@code misc_path}. Exit 0
 * passes; with {@code misc_dynamic}, 2..255 passes and sets the weight to
 * code - 2; anything else fails. A command still running after
 * {@code misc_timeout} is killed with its children and the check fails.
 */
public final class MiscChecker implements Checker {
    private final MiscCheckConfig config;
    private final ProcessRunner runner;

    public MiscChecker(MiscCheckConfig config, ProcessRunner runner) {
        this.config = config;
        this.runner = runner;
    }

    @Override
    public MiscCheckConfig config() {
        return config;
    }

    @Override
    public Duration attemptDeadline() {
        return config.timeout();
    }

    @Override
    public CompletionStage<CheckResult> check() {
        return runner.run(config.command(), config.user(), config.timeout()).thenApply(this::judge);
    }

    CheckResult judge(ProcessOutcome outcome) {
        return switch (outcome) {
            case ProcessOutcome.Exited(int code) when code == 0 -> CheckResult.ok();
            case ProcessOutcome.Exited(int code) when config.dynamic() && code >= 2 && code <= 255 ->
                    CheckResult.ok(code - 2);
            case ProcessOutcome.Exited(int code) -> CheckResult.failed(FailureReason.EXIT_STATUS,
                    config.command().getFirst() + " exited " + code
                            + (config.dynamic() ? " (expected: 0 or 2 ~ 255)" : " (expected: 0)"));
            case ProcessOutcome.TimedOut(long pid) -> CheckResult.failed(FailureReason.TIMEOUT,
                    config.command().getFirst() + " (pid " + pid + ") still running after " + config.timeout()
                            + ", killed");
            case ProcessOutcome.NotStarted(String reason) -> CheckResult.failed(FailureReason.EXEC_ERROR, reason);
        };
    }
}
