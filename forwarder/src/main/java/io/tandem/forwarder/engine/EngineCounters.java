package io.tandem.forwarder.engine;

import io.tandem.core.packet.ParseResult;
import io.tandem.forwarder.path.DropReason;
import io.tandem.forwarder.path.IcmpCounter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The forwarder's own counters at one moment: frames received, transmitted, passed to the kernel
 * and dropped; drops by reason; neighbour misses; table size and capacity; ICMP carried and sent.
 * {@code transmitRingFull} counts frames not sent for want of a free transmit slot, {@code transmitKickFailures}
 * the transmit ring's kicks the kernel refused (their frames went with the next kick);
 * {@code rescheduled} counts the SYNs that replaced a finished or orphaned entry with the same ports
 * ({@code conn_reuse_mode}); {@code toaAdded} the FULLNAT handshake segments given the client's address
 * (TOA) and {@code toaNoRoom} those that had no room for it; {@code offloaded} counts those sent whole as GSO super-frames for the kernel to segment;
 * {@code segmented} counts the frames larger than the MTU that were cut into segments;
 * {@code malformed} counts the frames the parser stopped at, by {@link ParseResult} (never
 * {@code OK}): malformed ones are dropped, those of another ethertype or IP protocol passed, and
 * fragments dropped when addressed to a VIP ({@link DropReason#FRAGMENT}), passed otherwise.
 */
public record EngineCounters(long received, long transmitted, long passed, long dropped, long transmitRingFull,
        long transmitKickFailures,
        long segmented, long offloaded, long neighbourMisses, long noDestination, long rescheduled,
        long toaAdded, long toaNoRoom, int connections, int capacity, Map<DropReason, Long> drops,
        Map<IcmpCounter, Long> icmp, Map<ParseResult, Long> malformed) {
    public EngineCounters {
        drops = Map.copyOf(drops);
        icmp = Map.copyOf(icmp);
        malformed = Map.copyOf(malformed);
    }

    /**
     * The counters of several workers as one: every count summed, table sizes and capacities too;
     * {@code neighbourMisses} is the engine's one neighbour table's, counted once.
     */
    static EngineCounters merge(List<EngineCounters> workers, long neighbourMisses) {
        if (workers.size() == 1) {
            return workers.getFirst();
        }
        long[] sums = new long[12];
        int connections = 0;
        int capacity = 0;
        Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
        Map<IcmpCounter, Long> icmp = new EnumMap<>(IcmpCounter.class);
        Map<ParseResult, Long> malformed = new EnumMap<>(ParseResult.class);
        for (EngineCounters c : workers) {
            long[] each = {c.received, c.transmitted, c.passed, c.dropped, c.transmitRingFull,
                c.transmitKickFailures, c.segmented, c.offloaded, c.noDestination, c.rescheduled, c.toaAdded,
                c.toaNoRoom};
            for (int i = 0; i < sums.length; i++) {
                sums[i] += each[i];
            }
            connections += c.connections;
            capacity += c.capacity;
            c.drops.forEach((k, v) -> drops.merge(k, v, Long::sum));
            c.icmp.forEach((k, v) -> icmp.merge(k, v, Long::sum));
            c.malformed.forEach((k, v) -> malformed.merge(k, v, Long::sum));
        }
        return new EngineCounters(sums[0], sums[1], sums[2], sums[3], sums[4], sums[5], sums[6], sums[7],
                neighbourMisses, sums[8], sums[9], sums[10], sums[11], connections, capacity, drops, icmp, malformed);
    }
}
