package io.tandem.vrrp.track;

import io.tandem.core.process.CommandRunner;
import io.tandem.core.process.ProcessOutcome;
import io.tandem.vrrp.engine.VrrpScheduler;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@code vrrp_script} and keeps its up/down state (keepalived.conf(5) "VRRP
 * script(s)"): the command starts every {@code interval} through a {@link CommandRunner}, so
 * the VRRP loop never waits for it; a run still going at {@code timeout} is killed and counts as
 * a failure; exit status 0 is a success. {@code rise} consecutive successes take a down script
 * up, {@code fall} consecutive failures take an up one down; each change goes to the listener.
 * A run never overlaps the previous one: the next starts one interval after the previous
 * started, or at once if it ran longer.
 *
 * <p>Not thread-safe: everything happens on the scheduler's thread; outcomes come back to it
 * through {@link VrrpScheduler#schedule} with no delay.
 */
public final class ScriptTracker {
    private static final Logger LOG = LoggerFactory.getLogger(ScriptTracker.class);

    private final VrrpScriptConfig config;
    private final VrrpScheduler scheduler;
    private final CommandRunner runner;
    private final Consumer<Boolean> listener;
    private boolean up;
    private int successes;
    private int failures;
    private boolean started;
    private boolean closed;
    private boolean running;
    private long lastStartNanos;
    private VrrpScheduler.Cancellable next;
    private ProcessOutcome lastOutcome;

    /** @param listener told {@code true} when the script goes up, {@code false} when it goes down */
    public ScriptTracker(VrrpScriptConfig config, VrrpScheduler scheduler, CommandRunner runner,
                         Consumer<Boolean> listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.up = !config.initFail();
    }

    public VrrpScriptConfig config() {
        return config;
    }

    /** Whether the script counts as up now. */
    public boolean up() {
        return up;
    }

    /** The last run's outcome, if one ended. */
    public ProcessOutcome lastOutcome() {
        return lastOutcome;
    }

    /** Runs the script now, then every interval. */
    public void start() {
        if (started) {
            throw new IllegalStateException("invalid start of vrrp_script " + config.name()
                    + ": already started (expected: once)");
        }
        started = true;
        next = scheduler.schedule(this::runOnce, 0);
    }

    /** No more runs; a run in progress ends unheeded (its timeout still kills it). */
    public void close() {
        closed = true;
        if (next != null) {
            next.cancel();
        }
    }

    private void runOnce() {
        if (closed || running) {
            return;
        }
        running = true;
        lastStartNanos = scheduler.nanoTime();
        runner.run(config.argv(), config.user().orElse(null), config.timeout())
                .whenComplete((outcome, error) -> scheduler.schedule(() -> finished(outcome, error), 0));
    }

    private void finished(ProcessOutcome outcome, Throwable error) {
        running = false;
        if (closed) {
            return;
        }
        ProcessOutcome result = error != null ? new ProcessOutcome.NotStarted(error.toString()) : outcome;
        record(result);
        long elapsed = scheduler.nanoTime() - lastStartNanos;
        next = scheduler.schedule(this::runOnce, Math.max(0, config.interval().toNanos() - elapsed));
    }

    private void record(ProcessOutcome outcome) {
        boolean success = outcome instanceof ProcessOutcome.Exited(int code) && code == 0;
        if (!success && !outcome.equals(lastOutcome)) {
            LOG.info("vrrp_script {}: {} ({})", config.name(), describe(outcome), String.join(" ", config.argv()));
        }
        lastOutcome = outcome;
        if (success) {
            failures = 0;
            if (!up && ++successes >= config.rise()) {
                change(true);
            }
        } else {
            successes = 0;
            if (up && ++failures >= config.fall()) {
                change(false);
            }
        }
    }

    private void change(boolean nowUp) {
        up = nowUp;
        successes = 0;
        failures = 0;
        LOG.info("vrrp_script {}: now {}", config.name(), nowUp ? "up (exit 0)" : "down");
        listener.accept(nowUp);
    }

    private static String describe(ProcessOutcome outcome) {
        return switch (outcome) {
            case ProcessOutcome.Exited(int code) -> "exited " + code;
            case ProcessOutcome.TimedOut(long pid) -> "timed out, killed pid " + pid;
            case ProcessOutcome.NotStarted(String reason) -> "not started: " + reason;
        };
    }
}
