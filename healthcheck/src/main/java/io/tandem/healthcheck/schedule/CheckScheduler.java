package io.tandem.healthcheck.schedule;

import java.time.Duration;

/**
 * The clock and timer the schedules run on: one thread, tasks in order.
 * Production uses {@link EventLoopScheduler}; tests a virtual clock.
 */
public interface CheckScheduler {

    /** Monotonic time in nanoseconds. */
    long nanoTime();

    /** Runs {@code task} on the scheduler's thread after {@code delayNanos}. */
    Cancellable schedule(long delayNanos, Runnable task);

    /** Runs {@code task} on the scheduler's thread after {@code delay}. */
    default Cancellable schedule(Duration delay, Runnable task) {
        return schedule(delay.toNanos(), task);
    }

    /** Runs {@code task} on the scheduler's thread as soon as possible (callable from any thread). */
    void execute(Runnable task);

    /** True when the caller is the scheduler's thread. */
    boolean inSchedulerThread();

    /** A scheduled task that can be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }
}
