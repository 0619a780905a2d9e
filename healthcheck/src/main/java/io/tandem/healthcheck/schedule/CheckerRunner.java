package io.tandem.healthcheck.schedule;

import io.tandem.healthcheck.CheckObserver;
import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.Checker;
import io.tandem.healthcheck.FailureReason;
import io.tandem.healthcheck.config.CheckerOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schedule of one checker, its retry policy as data ({@link CheckerOptions}):
 * the first attempt after a random {@code warmup}; then one check every
 * {@code delay_loop}. A failed attempt is retried {@code retry} times,
 * {@code delay_before_retry} apart, before the check counts as failed;
 * {@code fall} failed checks in a row take the checker down, {@code rise}
 * passed checks bring it up. It starts up, or down with {@code alpha}.
 *
 * <p>Worst-case detection of a dead server with {@code rise = fall = 1}:
 * {@code delay_loop + retry x delay_before_retry + (retry + 1) x connect_timeout}.
 *
 * <p>Runs on the {@link CheckScheduler}'s thread only; results from other
 * threads are handed over with {@link CheckScheduler#execute}. State changes go
 * through {@link #transition}. An attempt whose checker gives no result within
 * its own deadline plus {@link #GUARD_GRACE} (a bug: every checker has a
 * deadline) is failed by {@link #expireIfHung}, which the monitor's periodic
 * sweep calls, rather than by a timer armed for every attempt.
 */
public final class CheckerRunner {
    private static final Logger LOG = LoggerFactory.getLogger(CheckerRunner.class);
    /** Extra time after a checker's own deadline before the schedule declares it hung. */
    static final Duration GUARD_GRACE = Duration.ofSeconds(1);

    /** Told when the checker goes up or down or reports a new weight. */
    @FunctionalInterface
    public interface Owner {
        void checkerChanged(CheckerRunner runner);
    }

    private final Checker checker;
    private final CheckerOptions options;
    private final CheckScheduler scheduler;
    private final CheckObserver.Sink sink;
    private final String name;
    private final long guardNanos;
    private final Runnable attemptTask = this::attempt;
    private Owner owner = runner -> { };

    private boolean up;
    private int passedInRow;
    private int failedInRow;
    private int retriesUsed;
    private OptionalInt dynamicWeight = OptionalInt.empty();

    private boolean running;
    private long generation;
    private boolean inFlight;
    private long attemptStartNanos;
    private long nextAttemptNanos;
    private CheckScheduler.Cancellable timer;

    public CheckerRunner(Checker checker, CheckScheduler scheduler, CheckObserver.Sink sink, String name) {
        this.checker = Objects.requireNonNull(checker, "checker");
        this.options = checker.config().options();
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.name = Objects.requireNonNull(name, "name");
        this.guardNanos = checker.attemptDeadline().plus(GUARD_GRACE).toNanos();
        this.up = !options.alpha();
    }

    public Checker checker() {
        return checker;
    }

    public boolean isUp() {
        return up;
    }

    /** The weight the last passing MISC_CHECK with {@code misc_dynamic} set, if any. */
    public OptionalInt dynamicWeight() {
        return dynamicWeight;
    }

    public String name() {
        return name;
    }

    /** Starts the schedule: the first attempt after a random delay up to {@code warmup}. */
    public void start(Owner owner, RandomGenerator random) {
        this.owner = Objects.requireNonNull(owner, "owner");
        running = true;
        long warmup = options.warmup().toNanos();
        scheduleAttempt(warmup == 0 ? 0 : random.nextLong(warmup + 1));
    }

    /**
     * keepalived's {@code migrate_checker}: this runner (for an equal checker
     * after a reload) takes over {@code old}'s state and its next attempt time;
     * {@code old} stops. An attempt of {@code old} still running is restarted here.
     */
    public void migrateFrom(CheckerRunner old, Owner owner) {
        if (!checker.sameCheckAs(old.checker)) {
            throw new IllegalArgumentException("cannot migrate " + old.name + " to a different checker: "
                    + old.checker.config() + " (expected: " + checker.config() + ")");
        }
        up = old.up;
        passedInRow = old.passedInRow;
        failedInRow = old.failedInRow;
        retriesUsed = old.retriesUsed;
        dynamicWeight = old.dynamicWeight;
        long delay = old.inFlight ? 0 : Math.max(0, old.nextAttemptNanos - scheduler.nanoTime());
        old.stop();
        this.owner = Objects.requireNonNull(owner, "owner");
        running = true;
        scheduleAttempt(delay);
    }

    /** Stops the schedule; an attempt still running is ignored when it ends. */
    public void stop() {
        running = false;
        generation++;
        inFlight = false;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    /**
     * Fails the attempt in flight with TIMEOUT when its checker has given no result for its deadline
     * plus {@link #GUARD_GRACE} by {@code nowNanos}; true when it did.
     */
    boolean expireIfHung(long nowNanos) {
        if (!inFlight || nowNanos - attemptStartNanos < guardNanos) {
            return false;
        }
        finish(generation, CheckResult.failed(FailureReason.TIMEOUT, "checker gave no result within "
                + checker.attemptDeadline().plus(GUARD_GRACE)));
        return true;
    }

    private void scheduleAttempt(long delayNanos) {
        nextAttemptNanos = scheduler.nanoTime() + delayNanos;
        timer = scheduler.schedule(delayNanos, attemptTask);
    }

    private void attempt() {
        timer = null;
        if (!running) {
            return;
        }
        long attempt = ++generation;
        inFlight = true;
        attemptStartNanos = scheduler.nanoTime();
        CompletionStage<CheckResult> stage;
        try {
            stage = checker.check();
        } catch (RuntimeException e) {
            stage = CompletableFuture.completedFuture(CheckResult.failed(FailureReason.INTERNAL_ERROR, e.toString()));
        }
        stage.whenComplete((result, error) -> {
            CheckResult r = error == null ? result
                    : CheckResult.failed(FailureReason.INTERNAL_ERROR, String.valueOf(error));
            if (scheduler.inSchedulerThread()) {
                finish(attempt, r);
            } else {
                scheduler.execute(() -> finish(attempt, r));
            }
        });
    }

    private void finish(long attempt, CheckResult result) {
        if (!running || attempt != generation || !inFlight) {
            return;
        }
        inFlight = false;
        sink.onResult(result, scheduler.nanoTime() - attemptStartNanos);
        if (result.success()) {
            passed(result);
        } else {
            failed(result);
        }
    }

    private void passed(CheckResult result) {
        retriesUsed = 0;
        failedInRow = 0;
        passedInRow = Math.min(passedInRow + 1, Integer.MAX_VALUE - 1);
        boolean weightChanged = result.dynamicWeight().isPresent() && !result.dynamicWeight().equals(dynamicWeight);
        if (weightChanged) {
            dynamicWeight = result.dynamicWeight();
        }
        scheduleAttempt(options.delayLoop().toNanos());
        if (!up && passedInRow >= options.rise()) {
            transition(true, result);
        } else if (weightChanged) {
            owner.checkerChanged(this);
        }
    }

    private void failed(CheckResult result) {
        if (options.logAllFailures()) {
            LOG.info("{}: check failed ({} of {} tries): {}", name, retriesUsed + 1, options.retry() + 1, result);
        }
        if (retriesUsed < options.retry()) {
            retriesUsed++;
            scheduleAttempt(options.delayBeforeRetry().toNanos());
            return;
        }
        retriesUsed = 0;
        passedInRow = 0;
        failedInRow = Math.min(failedInRow + 1, Integer.MAX_VALUE - 1);
        scheduleAttempt(options.delayLoop().toNanos());
        if (up && failedInRow >= options.fall()) {
            transition(false, result);
        }
    }

    /** The one place the checker's state changes. */
    private void transition(boolean nowUp, CheckResult cause) {
        LOG.info("{}: {} -> {} ({})", name, up ? "UP" : "DOWN", nowUp ? "UP" : "DOWN", cause);
        up = nowUp;
        owner.checkerChanged(this);
    }

    @Override
    public String toString() {
        return name + (up ? " UP" : " DOWN");
    }
}
