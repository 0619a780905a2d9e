package io.tandem.director.run;

import io.tandem.forwarder.api.ConnectionSnapshot;
import io.tandem.forwarder.api.RealServerSnapshot;
import io.tandem.forwarder.api.ServiceSnapshot;
import io.tandem.forwarder.api.Stats;
import io.tandem.forwarder.conn.ForwardMethod;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The /status document, both ways: written by the director from the
 * forwarder's snapshots and the health states, read back by {@code tandem
 * status} and {@code tandem ipvsadm} into the same snapshot types, so the
 * CLI formats exactly what the daemon reported.
 */
public final class StatusReport {
    private static final String[] STATS = {"conns", "inpkts", "outpkts", "inbytes", "outbytes",
        "cps", "inpps", "outpps", "inbps", "outbps"};

    private StatusReport() {
    }

    /** The health of one real server, if the checker has said anything yet. */
    public record Health(boolean up, int weight) {
    }

    public static Map<String, Object> write(String state, String mode, List<ServiceSnapshot> services,
            List<ConnectionSnapshot> connections, int tableSize, Map<String, Object> counters,
            BiFunction<ServiceSnapshot, InetSocketAddress, Optional<Health>> health) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("state", state);
        doc.put("mode", mode);
        doc.put("table_size", tableSize);
        List<Object> list = new ArrayList<>();
        for (ServiceSnapshot s : services) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("protocol", s.protocol() == 6 ? "TCP" : "UDP");
            m.put("address", s.address().getHostAddress());
            m.put("port", s.port());
            m.put("fwmark", s.fwmark());
            m.put("scheduler", s.scheduler());
            m.put("persistence_timeout", s.persistenceTimeoutSeconds());
            m.put("persistence_netmask", s.persistenceNetmask().getHostAddress());
            m.put("stats", stats(s.stats()));
            List<Object> reals = new ArrayList<>();
            for (RealServerSnapshot r : s.realServers()) {
                Map<String, Object> rm = new LinkedHashMap<>();
                rm.put("address", r.address().getHostAddress());
                rm.put("port", r.port());
                rm.put("forward", r.method().name());
                rm.put("weight", r.weight());
                rm.put("active_conns", r.activeConnections());
                rm.put("inactive_conns", r.inactiveConnections());
                rm.put("persistent_conns", r.persistentConnections());
                Optional<Health> h = health.apply(s, new InetSocketAddress(r.address(), r.port()));
                rm.put("health", h.map(x -> x.up() ? "up" : "down").orElse("unknown"));
                rm.put("stats", stats(r.stats()));
                reals.add(rm);
            }
            m.put("real_servers", reals);
            list.add(m);
        }
        doc.put("services", list);
        List<Object> conns = new ArrayList<>();
        for (ConnectionSnapshot c : connections) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("protocol", c.protocol() == 6 ? "TCP" : "UDP");
            m.put("expires", c.expiresInSeconds());
            m.put("state", c.state());
            m.put("client", c.clientAddress().getHostAddress() + ":" + c.clientPort());
            m.put("virtual", c.virtualAddress().getHostAddress() + ":" + c.virtualPort());
            m.put("destination", c.destinationAddress().getHostAddress() + ":" + c.destinationPort());
            conns.add(m);
        }
        doc.put("connections", conns);
        doc.put("counters", counters);
        return doc;
    }

    private static Map<String, Object> stats(Stats s) {
        long[] v = {s.connections(), s.inPackets(), s.outPackets(), s.inBytes(), s.outBytes(),
            s.connectionsPerSecond(), s.inPacketsPerSecond(), s.outPacketsPerSecond(), s.inBytesPerSecond(),
            s.outBytesPerSecond()};
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < STATS.length; i++) {
            m.put(STATS[i], v[i]);
        }
        return m;
    }

    // ---- reading back (the CLI) ----

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }

    private static long num(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? n.longValue() : 0;
    }

    public static List<ServiceSnapshot> services(Map<String, Object> doc) {
        List<ServiceSnapshot> out = new ArrayList<>();
        for (Object o : list(doc.get("services"))) {
            Map<String, Object> s = map(o);
            List<RealServerSnapshot> reals = new ArrayList<>();
            for (Object ro : list(s.get("real_servers"))) {
                Map<String, Object> r = map(ro);
                reals.add(new RealServerSnapshot(address((String) r.get("address")), (int) num(r, "port"),
                        ForwardMethod.valueOf((String) r.get("forward")), (int) num(r, "weight"),
                        num(r, "active_conns"), num(r, "inactive_conns"), num(r, "persistent_conns"),
                        readStats(map(r.get("stats")))));
            }
            out.add(new ServiceSnapshot("TCP".equals(s.get("protocol")) ? 6 : 17, address((String) s.get("address")),
                    (int) num(s, "port"), (int) num(s, "fwmark"), (String) s.get("scheduler"),
                    (int) num(s, "persistence_timeout"), address((String) s.get("persistence_netmask")), false,
                    readStats(map(s.get("stats"))), reals));
        }
        return out;
    }

    public static List<ConnectionSnapshot> connections(Map<String, Object> doc) {
        List<ConnectionSnapshot> out = new ArrayList<>();
        for (Object o : list(doc.get("connections"))) {
            Map<String, Object> c = map(o);
            InetSocketAddress client = socket((String) c.get("client"));
            InetSocketAddress vip = socket((String) c.get("virtual"));
            InetSocketAddress dest = socket((String) c.get("destination"));
            out.add(new ConnectionSnapshot("TCP".equals(c.get("protocol")) ? 6 : 17, num(c, "expires"),
                    (String) c.get("state"), client.getAddress(), client.getPort(), vip.getAddress(), vip.getPort(),
                    dest.getAddress(), dest.getPort()));
        }
        return out;
    }

    private static Stats readStats(Map<String, Object> m) {
        long[] v = new long[STATS.length];
        for (int i = 0; i < STATS.length; i++) {
            v[i] = num(m, STATS[i]);
        }
        return new Stats(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
    }

    private static InetAddress address(String literal) {
        return InetAddress.ofLiteral(literal);
    }

    private static InetSocketAddress socket(String text) {
        int colon = text.lastIndexOf(':');
        return new InetSocketAddress(address(text.substring(0, colon)), Integer.parseInt(text.substring(colon + 1)));
    }
}
