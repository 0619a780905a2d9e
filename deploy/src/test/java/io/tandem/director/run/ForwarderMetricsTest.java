package io.tandem.director.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tandem.forwarder.api.RealServerSnapshot;
import io.tandem.forwarder.api.ServiceSnapshot;
import io.tandem.forwarder.api.Stats;
import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.engine.RealServerSpec;
import io.tandem.forwarder.engine.ServiceSpec;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The names Prometheus scrapes: node_exporter's ipvs series (totals with _total) and Tandem's per-server totals. */
class ForwarderMetricsTest {

    @Test
    void scrapedWithNodeExportersNamesAndPerServerTotals() throws Exception {
        Inet4Address vip = (Inet4Address) InetAddress.getByName("10.0.0.100");
        Inet4Address rip = (Inet4Address) InetAddress.getByName("10.0.0.11");
        ServiceSpec spec = ServiceSpec.of(6, vip, 80, "rr", List.of(new RealServerSpec(rip, 8080, 1, ForwardMethod.NAT)));
        Stats stats = new Stats(7, 70, 60, 7000, 6000, 0, 0, 0, 0, 0);
        ForwarderMetrics.LatestSnapshot latest = new ForwarderMetrics.LatestSnapshot();
        latest.set(List.of(new ServiceSnapshot(6, vip, 80, 0, "rr", 0, InetAddress.getByName("255.255.255.255"),
                false, stats, List.of(new RealServerSnapshot(rip, 8080, ForwardMethod.NAT, 1, 2, 5, 0, stats)))));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try {
            ForwarderMetrics.register(registry, List.of(spec), latest);
            String text = registry.scrape();
            String labels = "{local_address=\"10.0.0.100\",local_mark=\"\",local_port=\"80\",proto=\"TCP\","
                    + "remote_address=\"10.0.0.11\",remote_port=\"8080\"}";
            assertThat(text).contains("node_ipvs_connections_total 7.0", "node_ipvs_incoming_packets_total 70.0",
                    "node_ipvs_outgoing_packets_total 60.0", "node_ipvs_incoming_bytes_total 7000.0",
                    "node_ipvs_outgoing_bytes_total 6000.0",
                    "node_ipvs_backend_connections_active" + labels + " 2.0",
                    "node_ipvs_backend_connections_inactive" + labels + " 5.0",
                    "node_ipvs_backend_weight" + labels + " 1.0",
                    "tandem_ipvs_backend_connections_total" + labels + " 7.0",
                    "tandem_ipvs_backend_incoming_bytes_total" + labels + " 7000.0",
                    "tandem_ipvs_backend_outgoing_packets_total" + labels + " 60.0");
            assertThat(text).contains("# TYPE node_ipvs_connections_total counter");
        } finally {
            registry.close();
        }
    }
}
