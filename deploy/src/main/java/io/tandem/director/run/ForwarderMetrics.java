package io.tandem.director.run;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tandem.forwarder.api.RealServerSnapshot;
import io.tandem.forwarder.api.ServiceSnapshot;
import io.tandem.forwarder.engine.ServiceSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The forwarder's per-real-server series with node_exporter's ipvs names and
 * labels ({@code node_ipvs_backend_connections_active} ...), read from the
 * latest snapshot the director keeps, and per-real-server traffic totals
 * node_exporter does not have ({@code tandem_ipvs_backend_*_total}, same labels).
 */
final class ForwarderMetrics {
    private final MeterRegistry registry;
    private final LatestSnapshot latest;
    /** The per-real-server gauges, by service and real server, so a reload can add and remove them. */
    private final Map<String, List<Meter>> perRealServer = new HashMap<>();

    private ForwarderMetrics(MeterRegistry registry, LatestSnapshot latest) {
        this.registry = registry;
        this.latest = latest;
    }

    static ForwarderMetrics register(MeterRegistry registry, List<ServiceSpec> specs, LatestSnapshot latest) {
        ForwarderMetrics metrics = new ForwarderMetrics(registry, latest);
        metrics.update(specs);
        // node_exporter's totals are counters; Prometheus's client drops "_total" from a gauge's name,
        // so they are function counters named without it (scraped as node_ipvs_connections_total ...)
        total(registry, "node.ipvs.connections", "Connections scheduled", latest, x -> x.stats().connections());
        total(registry, "node.ipvs.incoming.packets", "Packets from clients", latest, x -> x.stats().inPackets());
        total(registry, "node.ipvs.outgoing.packets", "Packets to clients", latest, x -> x.stats().outPackets());
        total(registry, "node.ipvs.incoming.bytes", "Bytes from clients", latest, x -> x.stats().inBytes());
        total(registry, "node.ipvs.outgoing.bytes", "Bytes to clients", latest, x -> x.stats().outBytes());
        return metrics;
    }

    /** The per-real-server series of {@code specs}: new ones registered, those of removed real servers removed. */
    synchronized void update(List<ServiceSpec> specs) {
        Map<String, List<Meter>> before = new HashMap<>(perRealServer);
        perRealServer.clear();
        for (ServiceSpec s : specs) {
            for (var r : s.realServers()) {
                String key = s.serviceAddress() + " " + r;
                List<Meter> meters = before.remove(key);
                perRealServer.put(key, meters != null ? meters : register(s, r));
            }
        }
        before.values().forEach(meters -> meters.forEach(registry::remove));
    }

    private List<Meter> register(ServiceSpec s, io.tandem.forwarder.engine.RealServerSpec r) {
        Tags tags = Tags.of("local_address", s.address().getHostAddress(), "local_port",
                Integer.toString(s.port()), "local_mark", "", "proto", s.protocol() == 6 ? "TCP" : "UDP",
                "remote_address", r.address().getHostAddress(), "remote_port", Integer.toString(r.port()));
        return List.of(
                gauge(registry, "node_ipvs_backend_connections_active", tags, latest, s, r,
                        RealServerSnapshot::activeConnections),
                gauge(registry, "node_ipvs_backend_connections_inactive", tags, latest, s, r,
                        RealServerSnapshot::inactiveConnections),
                gauge(registry, "node_ipvs_backend_weight", tags, latest, s, r, RealServerSnapshot::weight),
                counter(registry, "tandem.ipvs.backend.connections", "Connections scheduled to the real server",
                        tags, latest, s, r, x -> x.stats().connections()),
                counter(registry, "tandem.ipvs.backend.incoming.packets", "Packets from clients to the real server",
                        tags, latest, s, r, x -> x.stats().inPackets()),
                counter(registry, "tandem.ipvs.backend.outgoing.packets", "Packets from the real server to clients",
                        tags, latest, s, r, x -> x.stats().outPackets()),
                counter(registry, "tandem.ipvs.backend.incoming.bytes", "Bytes from clients to the real server",
                        tags, latest, s, r, x -> x.stats().inBytes()),
                counter(registry, "tandem.ipvs.backend.outgoing.bytes", "Bytes from the real server to clients",
                        tags, latest, s, r, x -> x.stats().outBytes()));
    }

    private static void total(MeterRegistry registry, String name, String help, LatestSnapshot latest,
            ToDoubleFunction<ServiceSnapshot> value) {
        FunctionCounter.builder(name, latest, l -> l.services().stream().mapToDouble(value).sum())
                .description(help).register(registry);
    }

    /** A per-real-server total (node_exporter has none; the names follow its backend series). */
    private static Meter counter(MeterRegistry registry, String name, String help, Tags tags, LatestSnapshot latest,
            ServiceSpec s, io.tandem.forwarder.engine.RealServerSpec r, ToDoubleFunction<RealServerSnapshot> value) {
        return FunctionCounter.builder(name, latest, l -> find(l.services(), s, r).map(value::applyAsDouble)
                .orElse(0.0)).description(help).tags(tags).register(registry);
    }

    private static Meter gauge(MeterRegistry registry, String name, Tags tags, LatestSnapshot latest, ServiceSpec s,
            io.tandem.forwarder.engine.RealServerSpec r, ToDoubleFunction<RealServerSnapshot> value) {
        return Gauge.builder(name, latest, l -> find(l.services(), s, r).map(value::applyAsDouble).orElse(Double.NaN))
                .tags(tags).register(registry);
    }

    private static java.util.Optional<RealServerSnapshot> find(List<ServiceSnapshot> services, ServiceSpec s,
            io.tandem.forwarder.engine.RealServerSpec r) {
        return services.stream()
                .filter(x -> x.protocol() == s.protocol() && x.address().equals(s.address()) && x.port() == s.port())
                .flatMap(x -> x.realServers().stream())
                .filter(x -> x.address().equals(r.address()) && x.port() == r.port()).findFirst();
    }

    /** The snapshot the gauges read, replaced by the director's refresher. */
    static final class LatestSnapshot {
        private volatile List<ServiceSnapshot> services = List.of();

        List<ServiceSnapshot> services() {
            return services;
        }

        void set(List<ServiceSnapshot> snapshot) {
            services = snapshot;
        }
    }
}
