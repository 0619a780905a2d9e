package io.tandem.forwarder.engine;

import io.tandem.core.packet.ParseResult;
import io.tandem.forwarder.conn.ConnectionTable;
import io.tandem.forwarder.io.ForwarderWorker;
import io.tandem.forwarder.path.DropReason;
import io.tandem.forwarder.path.IcmpCounter;
import io.tandem.forwarder.service.ConnectionScheduler;
import io.tandem.forwarder.service.ServiceTable;
import java.util.EnumMap;
import java.util.Map;

/**
 * One forwarding worker of a {@link ForwarderEngine} and the state it alone owns: its socket
 * (inside the {@link ForwarderWorker}), services, connection table, scheduler and listings.
 * Everything here is touched on the worker's thread only, through its command queue.
 *
 * @param index the worker's number, 0 ~ workers - 1: it owns the flows whose fanout key
 *     ({@link io.tandem.forwarder.io.FlowKey}) is {@code index} modulo the workers
 */
record WorkerUnit(int index, ServiceTable services, ServiceEditor editor, ConnectionTable table,
        ConnectionScheduler scheduler, ForwarderWorker worker, Snapshots snapshots, Thread thread) {

    /** Starts the worker's thread, named {@code name}. */
    static WorkerUnit start(int index, ServiceTable services, ServiceEditor editor, ConnectionTable table,
            ConnectionScheduler scheduler, ForwarderWorker worker, String name) {
        return new WorkerUnit(index, services, editor, table, scheduler, worker, new Snapshots(services, table),
                Thread.ofPlatform().name(name).daemon().start(worker));
    }

    /** The worker's counters (on its thread); {@code neighbourMisses} is the engine's. */
    EngineCounters counters(long neighbourMisses) {
        Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            drops.put(r, worker.forwarder().dropped(r));
        }
        Map<IcmpCounter, Long> icmp = new EnumMap<>(IcmpCounter.class);
        for (IcmpCounter c : IcmpCounter.values()) {
            icmp.put(c, worker.forwarder().icmp(c));
        }
        Map<ParseResult, Long> malformed = new EnumMap<>(ParseResult.class);
        for (ParseResult r : ParseResult.values()) {
            if (r != ParseResult.OK) {
                malformed.put(r, worker.forwarder().parseCounters().count(r));
            }
        }
        return new EngineCounters(worker.received(), worker.transmitted(), worker.passed(), worker.dropped(),
                worker.transmitRingFull(), worker.transmitKickFailures(), worker.segmented(), worker.offloaded(),
                neighbourMisses, scheduler.noDestination(), worker.forwarder().rescheduled(),
                worker.forwarder().toaAdded(), worker.forwarder().toaNoRoom(), table.size(), table.capacity(), drops,
                icmp, malformed);
    }
}
