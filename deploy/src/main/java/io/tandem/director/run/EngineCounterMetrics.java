package io.tandem.director.run;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.core.packet.ParseResult;
import io.tandem.forwarder.engine.EngineCounters;
import io.tandem.forwarder.path.DropReason;
import io.tandem.forwarder.path.IcmpCounter;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * The forwarder's own counters (the {@code forwarder} part of /status) as
 * Prometheus counters, read from the latest {@link EngineCounters} the
 * director fetched: frames by what became of them, drops by reason, malformed
 * frames by parser verdict, ICMP carried and sent, GSO super-frames, TOA and
 * the transmit ring. Before the first fetch every one reads 0.
 *
 * <pre>
 * tandem_forwarder_frames_total{result="received|transmitted|passed|dropped"}
 * tandem_forwarder_drops_total{reason="not_syn|no_destination|..."}
 * tandem_forwarder_malformed_total{verdict="truncated_ipv4|bad_ipv4_checksum|..."}
 * tandem_forwarder_icmp_total{kind="errors_forwarded|fragmentation_needed_sent"}
 * tandem_forwarder_super_frames_total{how="offloaded|segmented"}
 * tandem_forwarder_toa_total{result="added|no_room"}
 * tandem_forwarder_transmit_ring_full_total, tandem_forwarder_transmit_kick_failures_total,
 * tandem_forwarder_rescheduled_total,
 * tandem_forwarder_neighbour_misses_total
 * </pre>
 */
final class EngineCounterMetrics {
    /** The counters as last fetched; null before the first fetch. */
    static final class LatestCounters {
        private volatile EngineCounters counters;

        void set(EngineCounters latest) {
            counters = latest;
        }

        EngineCounters get() {
            return counters;
        }
    }

    private EngineCounterMetrics() {
    }

    static void register(MeterRegistry registry, LatestCounters latest) {
        counter(registry, "tandem.forwarder.frames", "Frames the forwarder received, and what became of them",
                latest, EngineCounters::received, "result", "received");
        counter(registry, "tandem.forwarder.frames", "Frames the forwarder received, and what became of them",
                latest, EngineCounters::transmitted, "result", "transmitted");
        counter(registry, "tandem.forwarder.frames", "Frames the forwarder received, and what became of them",
                latest, EngineCounters::passed, "result", "passed");
        counter(registry, "tandem.forwarder.frames", "Frames the forwarder received, and what became of them",
                latest, EngineCounters::dropped, "result", "dropped");
        for (DropReason reason : DropReason.values()) {
            counter(registry, "tandem.forwarder.drops", "Frames the forwarder dropped, by reason", latest,
                    c -> c.drops().getOrDefault(reason, 0L), "reason", label(reason.name()));
        }
        for (ParseResult verdict : ParseResult.values()) {
            if (verdict != ParseResult.OK) {
                counter(registry, "tandem.forwarder.malformed",
                        "Frames the parser stopped at, by verdict (malformed ones dropped, others passed)", latest,
                        c -> c.malformed().getOrDefault(verdict, 0L), "verdict", label(verdict.name()));
            }
        }
        for (IcmpCounter kind : IcmpCounter.values()) {
            counter(registry, "tandem.forwarder.icmp", "ICMP errors carried like their flow, and ICMP sent", latest,
                    c -> c.icmp().getOrDefault(kind, 0L), "kind", kind.label());
        }
        counter(registry, "tandem.forwarder.super.frames",
                "Frames larger than the MTU: sent whole for the kernel to segment, or cut in software", latest,
                EngineCounters::offloaded, "how", "offloaded");
        counter(registry, "tandem.forwarder.super.frames",
                "Frames larger than the MTU: sent whole for the kernel to segment, or cut in software", latest,
                EngineCounters::segmented, "how", "segmented");
        counter(registry, "tandem.forwarder.toa", "FULLNAT handshake segments given the client's address (TOA)",
                latest, EngineCounters::toaAdded, "result", "added");
        counter(registry, "tandem.forwarder.toa", "FULLNAT handshake segments given the client's address (TOA)",
                latest, EngineCounters::toaNoRoom, "result", "no_room");
        counter(registry, "tandem.forwarder.transmit.ring.full", "Frames not sent because the transmit ring was full",
                latest, EngineCounters::transmitRingFull);
        counter(registry, "tandem.forwarder.transmit.kick.failures",
                "Transmit ring kicks the kernel refused (their frames went with the next kick)", latest,
                EngineCounters::transmitKickFailures);
        counter(registry, "tandem.forwarder.rescheduled",
                "SYNs that replaced a finished or orphaned entry with the same ports (conn_reuse_mode)", latest,
                EngineCounters::rescheduled);
        counter(registry, "tandem.forwarder.neighbour.misses", "Next hops whose MAC was not known when needed",
                latest, EngineCounters::neighbourMisses);
    }

    private static void counter(MeterRegistry registry, String name, String help, LatestCounters latest,
            ToLongFunction<EngineCounters> value, String... tags) {
        FunctionCounter.builder(name, latest, l -> {
            EngineCounters c = l.get();
            return c == null ? 0 : value.applyAsLong(c);
        }).description(help).tags(tags).register(registry);
    }

    private static String label(String enumName) {
        return enumName.toLowerCase(Locale.ROOT);
    }
}
