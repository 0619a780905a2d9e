package io.tandem.forwarder.engine;

/**
 * The forwarder worker's connection-sync counters, read on the worker thread.
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
}
