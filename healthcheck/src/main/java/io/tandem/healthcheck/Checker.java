package io.tandem.healthcheck;

import io.tandem.healthcheck.config.CheckerConfig;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * One health checker of one real server (keepalived's {@code checker_t}):
 * it runs single attempts; retries, delays and up/down state belong to the
 * schedule ({@link io.tandem.healthcheck.schedule.CheckerRunner}).
 *
 * <p>Implementations never block the calling thread: {@link #check()} starts
 * the attempt and returns at once. The stage completes exactly once, normally
 * with a {@link CheckResult} (failures are results, not exceptions), within
 * {@link #attemptDeadline()}.
 *
 * <p>Compare and migrate across a reload (keepalived's {@code compare_*_check}
 * and {@code migrate_checker}): two checkers whose {@link #config()} are equal
 * check the same thing, so the new schedule takes over the old one's state.
 */
public interface Checker {

    /** The immutable configuration; equality is the reload comparison. */
    CheckerConfig config();

    /** Starts one attempt. */
    CompletionStage<CheckResult> check();

    /** The longest an attempt may take before the checker itself reports {@link FailureReason#TIMEOUT}. */
    default Duration attemptDeadline() {
        return config().options().connectTimeout();
    }

    /** True when {@code other} checks the same thing, so its state may migrate to this one. */
    default boolean sameCheckAs(Checker other) {
        return config().equals(other.config());
    }
}
