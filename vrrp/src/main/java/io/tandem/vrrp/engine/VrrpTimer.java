package io.tandem.vrrp.engine;

/**
 * One named, restartable timer of RFC 9568 §6.2 (Master_Down_Timer, Adver_Timer).
 * Restarting cancels the pending expiry; an expiry that was already queued when the
 * timer was cancelled or restarted is ignored (generation check).
 */
final class VrrpTimer {
    private final VrrpScheduler scheduler;
    private final Runnable onExpiry;
    private VrrpScheduler.Cancellable pending;
    private long generation;
    private long deadlineNanos;

    VrrpTimer(VrrpScheduler scheduler, Runnable onExpiry) {
        this.scheduler = scheduler;
        this.onExpiry = onExpiry;
    }

    /** (Re)starts the timer to expire {@code delayNanos} from now. */
    void start(long delayNanos) {
        cancel();
        long g = ++generation;
        deadlineNanos = scheduler.nanoTime() + delayNanos;
        pending = scheduler.schedule(() -> expire(g), delayNanos);
    }

    void cancel() {
        generation++;
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
    }

    boolean isRunning() {
        return pending != null;
    }

    /** Nanoseconds until expiry; meaningful only while {@link #isRunning()}. */
    long remainingNanos() {
        return deadlineNanos - scheduler.nanoTime();
    }

    private void expire(long g) {
        if (g != generation) {
            return;
        }
        pending = null;
        onExpiry.run();
    }
}
