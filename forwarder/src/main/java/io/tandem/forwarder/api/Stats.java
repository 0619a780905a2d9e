package io.tandem.forwarder.api;

/**
 * Traffic counters and rates of a virtual service or real server (IPVS's
 * {@code ip_vs_stats_user}): totals since start, rates per second over the
 * last estimation period.
 */
public record Stats(
        long connections, long inPackets, long outPackets, long inBytes, long outBytes,
        long connectionsPerSecond, long inPacketsPerSecond, long outPacketsPerSecond,
        long inBytesPerSecond, long outBytesPerSecond) {

    public static final Stats ZERO = new Stats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
