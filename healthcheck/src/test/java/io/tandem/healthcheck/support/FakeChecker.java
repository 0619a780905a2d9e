package io.tandem.healthcheck.support;

import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.Checker;
import io.tandem.healthcheck.FailureReason;
import io.tandem.healthcheck.config.CheckerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A checker whose server is simulated on the virtual clock: "up" answers OK
 * after {@code latency}; "down" fails as refused at once or, when
 * {@code silentWhenDown}, times out after {@code connect_timeout} as a real
 * checker would; "hung" never completes.
 */
public final class FakeChecker implements Checker {
    private final CheckerConfig config;
    private final VirtualScheduler scheduler;
    private final List<Double> attempts = new ArrayList<>();
    public volatile boolean serverUp = true;
    public boolean silentWhenDown;
    public boolean hung;
    public Duration latency = Duration.ZERO;
    public CheckResult success = CheckResult.ok();

    public FakeChecker(CheckerConfig config, VirtualScheduler scheduler) {
        this.config = config;
        this.scheduler = scheduler;
    }

    @Override
    public CheckerConfig config() {
        return config;
    }

    @Override
    public CompletionStage<CheckResult> check() {
        attempts.add(scheduler.seconds());
        CompletableFuture<CheckResult> f = new CompletableFuture<>();
        if (hung) {
            return f;
        }
        if (serverUp) {
            scheduler.schedule(latency, () -> f.complete(success));
        } else if (silentWhenDown) {
            scheduler.schedule(config.options().connectTimeout(),
                    () -> f.complete(CheckResult.failed(FailureReason.TIMEOUT, "simulated silence")));
        } else {
            f.complete(CheckResult.failed(FailureReason.REFUSED, "simulated refusal"));
        }
        return f;
    }

    /** Times (virtual seconds) at which attempts started. */
    public List<Double> attempts() {
        return attempts;
    }
}
