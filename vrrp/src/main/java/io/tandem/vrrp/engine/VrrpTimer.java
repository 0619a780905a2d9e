package io.tandem.vrrp.engine;

/**
 * One named, restartable timer of RFC 9568 §6.2 (Master_Down_Timer, Adver_Timer).
 *
 * <p>Restarting it only moves its deadline when the task already scheduled runs no later
 * than the new deadline: that task, when it runs, schedules itself again for the time
 * left. A backup restarts Master_Down_Timer on every advertisement (100 times a second
 * at 10 ms adverts) but touches the scheduler about once per Master_Down_Interval. A
 * deadline brought forward cancels the scheduled task and schedules a new one. One task
 * object serves every scheduling.
 */
final class VrrpTimer {
    private final VrrpScheduler scheduler;
    private final Runnable onExpiry;
    private final Runnable task = this::run;
    private VrrpScheduler.Cancellable pending;
    private long pendingDeadlineNanos;
    private boolean running;
    private long deadlineNanos;

    VrrpTimer(VrrpScheduler scheduler, Runnable onExpiry) {
        this.scheduler = scheduler;
        this.onExpiry = onExpiry;
    }

    /** (Re)starts the timer to expire {@code delayNanos} from now. */
    void start(long delayNanos) {
        deadlineNanos = scheduler.nanoTime() + delayNanos;
        running = true;
        if (pending != null) {
            if (pendingDeadlineNanos - deadlineNanos <= 0) {
                return; // the scheduled task runs first and schedules the rest
            }
            pending.cancel();
        }
        schedule(delayNanos);
    }

    void cancel() {
        running = false;
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
    }

    boolean isRunning() {
        return running;
    }

    /** Nanoseconds until expiry; meaningful only while {@link #isRunning()}. */
    long remainingNanos() {
        return deadlineNanos - scheduler.nanoTime();
    }

    private void schedule(long delayNanos) {
        pendingDeadlineNanos = deadlineNanos;
        pending = scheduler.schedule(task, delayNanos);
    }

    private void run() {
        pending = null;
        if (!running) {
            return;
        }
        long left = deadlineNanos - scheduler.nanoTime();
        if (left > 0) {
            schedule(left);
            return;
        }
        running = false;
        onExpiry.run();
    }
}
