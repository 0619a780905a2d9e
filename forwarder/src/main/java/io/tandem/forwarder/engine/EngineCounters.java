package io.tandem.forwarder.engine;

import io.tandem.forwarder.path.DropReason;
import io.tandem.forwarder.path.IcmpCounter;
import java.util.Map;

/**
 * The forwarder's own counters at one moment (frames, drops by reason,
 * neighbour misses, table size and capacity, ICMP carried and sent, frames
 * too long for the ring: see {@link io.tandem.forwarder.io.ForwarderWorker#truncated()}).
 */
public record EngineCounters(long received, long transmitted, long passed, long dropped, long transmitRingFull,
        long neighbourMisses, long noDestination, int connections, int capacity, Map<DropReason, Long> drops,
        Map<IcmpCounter, Long> icmp, long truncated) {
    public EngineCounters {
        drops = Map.copyOf(drops);
        icmp = Map.copyOf(icmp);
    }
}
