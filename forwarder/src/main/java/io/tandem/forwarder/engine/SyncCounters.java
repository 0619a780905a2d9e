package io.tandem.forwarder.engine;

import java.util.List;

/**
 * The forwarder workers' connection-sync counters, each read on its worker thread and summed.
 *
 * @param offered entries the master's worker put in the outbox
 * @param overflow entries not sent because the outbox was full
 * @param applied entries from the master applied to this table
 * @param unknownService entries for a virtual service this director lacks
 * @param unknownRealServer entries for a real server this director lacks
 * @param badEntry entries with an unknown kind, protocol or method
 * @param tableFull entries not applied because the table was full
 * @param resyncWalks bulk resyncs this worker walked its table for
 * @param connections entries in the table now
 */
public record SyncCounters(long offered, long overflow, long applied, long unknownService, long unknownRealServer,
        long badEntry, long tableFull, long resyncWalks, int connections) {

    /** Every worker's counters added up. */
    public static SyncCounters sum(List<SyncCounters> each) {
        long offered = 0;
        long overflow = 0;
        long applied = 0;
        long unknownService = 0;
        long unknownRealServer = 0;
        long badEntry = 0;
        long tableFull = 0;
        long resyncWalks = 0;
        int connections = 0;
        for (SyncCounters c : each) {
            offered += c.offered;
            overflow += c.overflow;
            applied += c.applied;
            unknownService += c.unknownService;
            unknownRealServer += c.unknownRealServer;
            badEntry += c.badEntry;
            tableFull += c.tableFull;
            resyncWalks += c.resyncWalks;
            connections += c.connections;
        }
        return new SyncCounters(offered, overflow, applied, unknownService, unknownRealServer, badEntry, tableFull,
                resyncWalks, connections);
    }
}
