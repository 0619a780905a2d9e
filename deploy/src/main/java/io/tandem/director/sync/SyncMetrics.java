package io.tandem.director.sync;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.forwarder.sync.ConnectionSync;
import io.tandem.forwarder.sync.SyncRejection;
import java.util.function.ToDoubleFunction;

/**
 * Connection sync's series, {@code tandem_sync_*}: messages and entries sent
 * and received, drops by reason, bulk resyncs, the master's batching delay
 * and the role. IPVS's sync daemon exports none of these; the names follow
 * Prometheus conventions.
 */
public final class SyncMetrics {
    private SyncMetrics() {
    }

    public static void register(MeterRegistry registry, ConnectionSync sync) {
        counter(registry, "tandem_sync_messages_sent_total", "Sync messages sent", sync, ConnectionSync::messagesSent);
        counter(registry, "tandem_sync_entries_sent_total", "Connection entries sent", sync,
                ConnectionSync::entriesSent);
        counter(registry, "tandem_sync_bytes_sent_total", "Sync payload bytes sent", sync, ConnectionSync::bytesSent);
        counter(registry, "tandem_sync_send_errors_total", "Sync messages the socket refused", sync,
                ConnectionSync::sendErrors);
        counter(registry, "tandem_sync_messages_received_total", "Sync messages accepted", sync,
                ConnectionSync::messagesReceived);
        counter(registry, "tandem_sync_entries_received_total", "Connection entries received", sync,
                ConnectionSync::entriesReceived);
        counter(registry, "tandem_sync_messages_ignored_total", "Messages for the other role", sync,
                ConnectionSync::ignored);
        counter(registry, "tandem_sync_inbox_overflow_total", "Entries lost because the worker fell behind", sync,
                ConnectionSync::inboxOverflow);
        counter(registry, "tandem_sync_owner_mismatch_total",
                "FULLNAT entries whose local port another worker owns than their client port (worker counts differ)",
                sync, ConnectionSync::ownerMismatch);
        for (SyncRejection r : SyncRejection.values()) {
            FunctionCounter.builder("tandem_sync_messages_dropped_total", sync, s -> s.rejected(r))
                    .description("Sync messages dropped, by reason").tag("reason", r.label()).register(registry);
        }
        counter(registry, "tandem_sync_resync_requests_sent_total", "Bulk resyncs asked for", sync,
                ConnectionSync::resyncRequestsSent);
        counter(registry, "tandem_sync_resyncs_served_total", "Bulk resyncs sent to a standby", sync,
                ConnectionSync::resyncsServed);
        counter(registry, "tandem_sync_resyncs_completed_total", "Bulk resyncs received whole", sync,
                ConnectionSync::resyncsCompleted);
        Gauge.builder("tandem_sync_last_resync_entries", sync, ConnectionSync::lastResyncEntries)
                .description("Entries in the last bulk resync received").register(registry);
        Gauge.builder("tandem_sync_max_batch_delay_seconds", sync, s -> s.maxFlushDelayNanos() / 1e9)
                .description("Longest a change waited in the master's batch").register(registry);
        Gauge.builder("tandem_sync_master", sync, s -> s.master() ? 1 : 0)
                .description("1 while this director sends its table, 0 while it receives").register(registry);
        Gauge.builder("tandem_sync_epoch", sync, s -> (double) s.epoch())
                .description("The mastership epoch of this director's messages").register(registry);
    }

    private static void counter(MeterRegistry registry, String name, String help, ConnectionSync sync,
            ToDoubleFunction<ConnectionSync> f) {
        FunctionCounter.builder(name, sync, f).description(help).register(registry);
    }
}
