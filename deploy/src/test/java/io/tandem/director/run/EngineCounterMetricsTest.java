package io.tandem.director.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tandem.core.packet.ParseResult;
import io.tandem.forwarder.engine.EngineCounters;
import io.tandem.forwarder.path.DropReason;
import io.tandem.forwarder.path.IcmpCounter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The forwarder's own counters as Prometheus scrapes them: 0 before the first fetch, then the fetched values. */
class EngineCounterMetricsTest {

    @Test
    void theLatestCountersAreScrapedByReasonAndVerdict() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try {
            EngineCounterMetrics.LatestCounters latest = new EngineCounterMetrics.LatestCounters();
            EngineCounterMetrics.register(registry, latest);
            assertThat(registry.scrape()).contains("tandem_forwarder_frames_total{result=\"received\"} 0.0",
                    "tandem_forwarder_drops_total{reason=\"not_syn\"} 0.0");

            latest.set(new EngineCounters(1000, 900, 40, 60, 3, 9, 5, 7, 2, 4, 6, 8, 1, 10, 100,
                    Map.of(DropReason.NOT_SYN, 11L, DropReason.FRAGMENT, 12L),
                    Map.of(IcmpCounter.ERRORS_FORWARDED, 13L),
                    Map.of(ParseResult.BAD_TCP_CHECKSUM, 14L, ParseResult.UNSUPPORTED_ETHERTYPE, 15L)));
            String text = registry.scrape();
            assertThat(text).contains(
                    "tandem_forwarder_frames_total{result=\"received\"} 1000.0",
                    "tandem_forwarder_frames_total{result=\"transmitted\"} 900.0",
                    "tandem_forwarder_frames_total{result=\"passed\"} 40.0",
                    "tandem_forwarder_frames_total{result=\"dropped\"} 60.0",
                    "tandem_forwarder_transmit_ring_full_total 3.0",
                    "tandem_forwarder_transmit_kick_failures_total 9.0",
                    "tandem_forwarder_super_frames_total{how=\"segmented\"} 5.0",
                    "tandem_forwarder_super_frames_total{how=\"offloaded\"} 7.0",
                    "tandem_forwarder_neighbour_misses_total 2.0",
                    "tandem_forwarder_rescheduled_total 6.0",
                    "tandem_forwarder_toa_total{result=\"added\"} 8.0",
                    "tandem_forwarder_toa_total{result=\"no_room\"} 1.0",
                    "tandem_forwarder_drops_total{reason=\"not_syn\"} 11.0",
                    "tandem_forwarder_drops_total{reason=\"fragment\"} 12.0",
                    "tandem_forwarder_drops_total{reason=\"table_full\"} 0.0",
                    "tandem_forwarder_icmp_total{kind=\"errors_forwarded\"} 13.0",
                    "tandem_forwarder_malformed_total{verdict=\"bad_tcp_checksum\"} 14.0",
                    "tandem_forwarder_malformed_total{verdict=\"unsupported_ethertype\"} 15.0",
                    "# TYPE tandem_forwarder_drops_total counter");
            assertThat(text).doesNotContain("verdict=\"ok\"");
        } finally {
            registry.close();
        }
    }
}
