package io.tandem.vrrp.packet;

import java.util.function.LongSupplier;

/**
 * Lets one event through per interval and counts the rest, so that a flood of
 * bad packets cannot flood the log. Not thread-safe: one per event loop.
 */
public final class RateLimiter {
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private long nextAllowedNanos;
    private boolean started;
    private long suppressed;

    public RateLimiter(long intervalNanos, LongSupplier nanoClock) {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("invalid interval: " + intervalNanos + " ns (expected: > 0)");
        }
        this.intervalNanos = intervalNanos;
        this.nanoClock = nanoClock;
    }

    /** Whether this event may be logged now; if not, it is counted as suppressed. */
    public boolean tryAcquire() {
        long now = nanoClock.getAsLong();
        if (!started || now - nextAllowedNanos >= 0) {
            started = true;
            nextAllowedNanos = now + intervalNanos;
            return true;
        }
        suppressed++;
        return false;
    }

    /** Events suppressed since the last call; resets the count. Call after a successful {@link #tryAcquire()}. */
    public long drainSuppressed() {
        long n = suppressed;
        suppressed = 0;
        return n;
    }
}
