package io.tandem.forwarder.engine;

import io.tandem.forwarder.api.ConnectionSnapshot;
import io.tandem.forwarder.api.RealServerSnapshot;
import io.tandem.forwarder.api.ServiceSnapshot;
import io.tandem.forwarder.api.Stats;
import io.tandem.forwarder.conn.ConnectionTable;
import io.tandem.forwarder.conn.TcpState;
import io.tandem.forwarder.service.ServiceTable;
import io.tandem.forwarder.service.TrafficStats;
import io.tandem.forwarder.service.VirtualService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Listings of the worker's services and connections (ipvsadm -L, --stats,
 * --rate, -c). Runs on the worker thread, through its command queue. Rates
 * are the change since the previous listing divided by the time between them
 * (IPVS estimates over 2 s periods; a scrape interval plays that role here).
 */
final class Snapshots {
    private final ServiceTable services;
    private final ConnectionTable table;
    private final Map<String, long[]> previous = new HashMap<>();
    private long previousAt;

    Snapshots(ServiceTable services, ConnectionTable table) {
        this.services = services;
        this.table = table;
    }

    List<ServiceSnapshot> services(long now) {
        double seconds = previousAt == 0 ? 0 : (now - previousAt) / 1e9;
        previousAt = now;
        List<ServiceSnapshot> out = new ArrayList<>();
        for (VirtualService s : services.all()) {
            List<RealServerSnapshot> reals = new ArrayList<>();
            for (int slot = 0; slot < s.destinations().size(); slot++) {
                if (s.destinations().isRemoved(slot)) {
                    continue;
                }
                long[] counts = new long[5];
                for (int f = 0; f < 5; f++) {
                    counts[f] = s.stats().get(slot, f);
                }
                reals.add(new RealServerSnapshot(Ipv4.fromInt(s.destAddress(slot)), s.destPort(slot),
                        s.destMethod(slot), s.destinations().weight(slot),
                        s.destinations().activeConnections(slot), s.destinations().inactiveConnections(slot), 0,
                        stats(s + " " + slot, counts, seconds)));
            }
            long[] totals = new long[5];
            for (int f = 0; f < 5; f++) {
                totals[f] = s.stats().total(f);
            }
            int timeout = (int) TimeUnit.NANOSECONDS.toSeconds(s.persistenceTimeoutNanos());
            out.add(new ServiceSnapshot(s.protocol(), Ipv4.fromInt(s.address()), s.port(), 0, s.scheduler().name(),
                    timeout, Ipv4.fromInt(s.persistenceMask()), false, stats(s.toString(), totals, seconds), reals));
        }
        return out;
    }

    private Stats stats(String key, long[] counts, double seconds) {
        long[] before = previous.put(key, counts);
        long[] rate = new long[5];
        if (before != null && seconds > 0) {
            for (int f = 0; f < 5; f++) {
                rate[f] = Math.round((counts[f] - before[f]) / seconds);
            }
        }
        return new Stats(counts[TrafficStats.CONNECTIONS], counts[TrafficStats.IN_PACKETS],
                counts[TrafficStats.OUT_PACKETS], counts[TrafficStats.IN_BYTES], counts[TrafficStats.OUT_BYTES],
                rate[TrafficStats.CONNECTIONS], rate[TrafficStats.IN_PACKETS], rate[TrafficStats.OUT_PACKETS],
                rate[TrafficStats.IN_BYTES], rate[TrafficStats.OUT_BYTES]);
    }

    List<ConnectionSnapshot> connections(long now) {
        List<ConnectionSnapshot> out = new ArrayList<>();
        table.forEach(id -> {
            if (table.isTemplate(id)) {
                return;
            }
            out.add(new ConnectionSnapshot(table.protocol(id),
                    Math.max(0, TimeUnit.NANOSECONDS.toSeconds(table.expiresAt(id) - now)),
                    table.protocol(id) == 6 ? TcpState.name(table.state(id)) : "UDP",
                    Ipv4.fromInt(table.clientAddr(id)), table.clientPort(id),
                    Ipv4.fromInt(table.virtualAddr(id)), table.virtualPort(id),
                    Ipv4.fromInt(table.destAddr(id)), table.destPort(id)));
        });
        return out;
    }

    /**
     * The listings of several workers as one: a service (and each of its real servers) once, in
     * the first worker's order, with its counters, rates and connection counts summed; scheduler,
     * persistence and weight as the first worker has them (every worker applies the same changes).
     */
    static List<ServiceSnapshot> merge(List<List<ServiceSnapshot>> workers) {
        if (workers.size() == 1) {
            return workers.getFirst();
        }
        Map<String, ServiceSnapshot> merged = new LinkedHashMap<>();
        for (List<ServiceSnapshot> listing : workers) {
            for (ServiceSnapshot s : listing) {
                merged.merge(s.protocol() + " " + s.address().getHostAddress() + ":" + s.port(), s, Snapshots::sum);
            }
        }
        return List.copyOf(merged.values());
    }

    private static ServiceSnapshot sum(ServiceSnapshot a, ServiceSnapshot b) {
        Map<String, RealServerSnapshot> reals = new LinkedHashMap<>();
        for (RealServerSnapshot r : a.realServers()) {
            reals.put(r.address().getHostAddress() + ":" + r.port(), r);
        }
        for (RealServerSnapshot r : b.realServers()) {
            reals.merge(r.address().getHostAddress() + ":" + r.port(), r, (x, y) -> new RealServerSnapshot(
                    x.address(), x.port(), x.method(), x.weight(), x.activeConnections() + y.activeConnections(),
                    x.inactiveConnections() + y.inactiveConnections(),
                    x.persistentConnections() + y.persistentConnections(), sum(x.stats(), y.stats())));
        }
        return new ServiceSnapshot(a.protocol(), a.address(), a.port(), a.fwmark(), a.scheduler(),
                a.persistenceTimeoutSeconds(), a.persistenceNetmask(), a.onePacket(), sum(a.stats(), b.stats()),
                List.copyOf(reals.values()));
    }

    private static Stats sum(Stats a, Stats b) {
        return new Stats(a.connections() + b.connections(), a.inPackets() + b.inPackets(),
                a.outPackets() + b.outPackets(), a.inBytes() + b.inBytes(), a.outBytes() + b.outBytes(),
                a.connectionsPerSecond() + b.connectionsPerSecond(), a.inPacketsPerSecond() + b.inPacketsPerSecond(),
                a.outPacketsPerSecond() + b.outPacketsPerSecond(), a.inBytesPerSecond() + b.inBytesPerSecond(),
                a.outBytesPerSecond() + b.outBytesPerSecond());
    }
}
