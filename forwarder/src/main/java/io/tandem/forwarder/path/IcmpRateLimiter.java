package io.tandem.forwarder.path;

/**
 * A token bucket for the ICMP errors the forwarder originates, with Linux's
 * global defaults ({@code net.ipv4.icmp_msgs_per_sec} 1000,
 * {@code icmp_msgs_burst} 50): a flood of oversized packets cannot turn the
 * director into an ICMP source (RFC 1812 §4.3.2.8). One per worker, driven by
 * the worker's clock; nothing is allocated.
 */
final class IcmpRateLimiter {
    static final int DEFAULT_PER_SECOND = 1000;
    static final int DEFAULT_BURST = 50;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long nanosPerToken;
    private final long capacity;
    private long tokens;
    private long last;
    private boolean started;

    IcmpRateLimiter(int perSecond, int burst) {
        if (perSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("invalid ICMP rate: " + perSecond + "/s, burst " + burst
                    + " (expected: both >= 1)");
        }
        this.nanosPerToken = NANOS_PER_SECOND / perSecond;
        this.capacity = burst;
        this.tokens = burst;
    }

    /** Takes a token at {@code now} (nanoseconds); false when the bucket is empty. */
    boolean tryAcquire(long now) {
        if (!started) {
            started = true;
            last = now;
        }
        long earned = (now - last) / nanosPerToken;
        if (earned > 0) {
            tokens = Math.min(capacity, tokens + earned);
            last += earned * nanosPerToken;
        }
        if (tokens == 0) {
            return false;
        }
        tokens--;
        return true;
    }
}
