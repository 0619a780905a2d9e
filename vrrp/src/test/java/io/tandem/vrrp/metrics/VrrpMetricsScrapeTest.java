package io.tandem.vrrp.metrics;

import static io.tandem.vrrp.testing.VirtualScheduler.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tandem.vrrp.VrrpInstanceConfig;
import io.tandem.vrrp.engine.VrrpInstance;
import io.tandem.vrrp.engine.VrrpInstanceTable;
import io.tandem.vrrp.packet.InboundAdvertisement;
import io.tandem.vrrp.packet.VrrpAdvertisement;
import io.tandem.vrrp.packet.VrrpDropReason;
import io.tandem.vrrp.testing.RecordingVipOwner;
import io.tandem.vrrp.testing.VirtualScheduler;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What Prometheus scrapes from a VRRP instance: keepalived-exporter's names and labels
 * ({@code keepalived_vrrp_state{iname,intf,vrid}}, the {@code keepalived_*_total} counters) so that its
 * dashboards keep working, plus Tandem's priority, last-transition time and the other reasons a
 * packet is dropped.
 */
class VrrpMetricsScrapeTest {
    private static final String LABELS = "{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\"}";
    private static final InetAddress VIP = InetAddress.ofLiteral("10.0.0.100");

    @Test
    void aMasterThatYieldedShowsKeepalivedExportersSeriesAndTandemsOwn() {
        VirtualScheduler clock = new VirtualScheduler();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        VrrpInstanceConfig config = VrrpInstanceConfig.builder("VI_1", "eth0", 51)
                .primaryAddress(InetAddress.ofLiteral("10.0.0.2")).virtualAddresses(List.of(VIP)).build();
        VrrpInstance instance = new VrrpInstance(config, clock, a -> { }, new RecordingVipOwner(), registry);
        VrrpInstanceTable table = new VrrpInstanceTable();
        table.add(instance);
        VrrpDropCounters drops = new VrrpDropCounters(registry, table);
        instance.start();
        clock.advanceBy(seconds(4)); // master
        InetAddress peer = InetAddress.ofLiteral("10.0.0.3");
        instance.onAdvertisement(new InboundAdvertisement(VrrpAdvertisement.v3(51, 90, 100, List.of(VIP)), peer,
                "eth0"));
        instance.onAdvertisement(new InboundAdvertisement(VrrpAdvertisement.v3(51, 0, 100, List.of(VIP)), peer,
                "eth0"));
        clock.advanceBy(seconds(1));
        instance.onAdvertisement(new InboundAdvertisement(VrrpAdvertisement.v3(51, 200, 100, List.of(VIP)), peer,
                "eth0")); // yields at t = 5 s
        drops.dropped(VrrpDropReason.IP_TTL, "eth0", 51);
        drops.dropped(VrrpDropReason.UNKNOWN_VRID, "eth0", 52);

        String scrape = registry.scrape();
        double lastTransition = (VirtualScheduler.EPOCH_MILLIS + 5_000) / 1000.0;
        assertThat(scrape.lines().toList()).contains(
                "keepalived_vrrp_state" + LABELS + " 1.0",
                "keepalived_become_master_total" + LABELS + " 1.0",
                "keepalived_release_master_total" + LABELS + " 1.0",
                "keepalived_advertisements_received_total" + LABELS + " 3.0",
                "keepalived_priority_zero_received_total" + LABELS + " 1.0",
                "keepalived_ip_ttl_errors_total" + LABELS + " 1.0",
                "tandem_vrrp_unknown_vrid_total{iname=\"\",intf=\"eth0\",vrid=\"52\"} 1.0",
                "tandem_vrrp_priority" + LABELS + " 100.0",
                "tandem_vrrp_last_transition_timestamp_seconds" + LABELS + " " + lastTransition,
                "tandem_vrrp_transitions_total{from=\"MASTER\",iname=\"VI_1\",intf=\"eth0\",to=\"BACKUP\",vrid=\"51\"}"
                        + " 1.0");
        assertThat(scrape).containsPattern("keepalived_advertisements_sent_total\\Q" + LABELS + "\\E [1-9]");
        for (VrrpDropReason reason : VrrpDropReason.values()) {
            String name = VrrpMetricNames.forDrop(reason).replace('.', '_') + "_total";
            assertThat(scrape).as(reason.name()).contains("# TYPE " + name + " counter");
        }
    }
}
