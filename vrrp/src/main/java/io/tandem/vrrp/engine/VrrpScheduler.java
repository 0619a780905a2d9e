package io.tandem.vrrp.engine;

/**
 * The clock and timers of VRRP instances. In production an event loop
 * ({@link EventLoopVrrpScheduler}); in tests a virtual clock, so timer scenarios
 * run without sleeping. Tasks run on the thread that owns the instances.
 */
public interface VrrpScheduler {
    /** Monotonic time in nanoseconds, for timers. */
    long nanoTime();

    /** Wall-clock time in milliseconds since the epoch, for reports. */
    long currentTimeMillis();

    /** Runs {@code task} once after {@code delayNanos}. */
    Cancellable schedule(Runnable task, long delayNanos);

    /** A scheduled task that has not run yet. */
    @FunctionalInterface
    interface Cancellable {
        /** Stops the task from running; no effect once it ran. */
        void cancel();
    }
}
