package io.tandem.forwarder.engine;

import io.tandem.core.packet.ParseResult;
import io.tandem.forwarder.path.DropReason;
import io.tandem.forwarder.path.IcmpCounter;
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
}
