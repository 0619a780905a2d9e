package io.tandem.forwarder.engine;

import io.tandem.forwarder.path.DropReason;
import java.util.Map;

/**
 * The forwarder's own counters at one moment (frames, drops by reason, neighbour misses, table size and capacity);
 * {@code segmented} counts the frames larger than the MTU that were cut into segments.
 */
public record EngineCounters(long received, long transmitted, long passed, long dropped, long transmitRingFull,
        long segmented, long neighbourMisses, long noDestination, int connections, int capacity, Map<DropReason, Long> drops) {
    public EngineCounters {
        drops = Map.copyOf(drops);
    }
}
