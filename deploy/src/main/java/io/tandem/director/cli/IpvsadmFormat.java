package io.tandem.director.cli;

import io.tandem.forwarder.api.ConnectionSnapshot;
import io.tandem.forwarder.api.RealServerSnapshot;
import io.tandem.forwarder.api.ServiceSnapshot;
import io.tandem.forwarder.api.Stats;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * {@code ipvsadm -Ln} and its variants, column for column: the same title
 * lines, the same printf widths ({@code "  -> %-28s %-7s %-6d %-10u %-10u"}),
 * the same K/M/G/T abbreviation of large numbers ({@code print_largenum}),
 * services and real servers sorted as ipvsadm sorts them. Addresses are
 * always numeric ({@code -n}).
 */
public final class IpvsadmFormat {
    /** What {@code ipvsadm -Ln} shows; Tandem reports its own connection-table size. */
    public enum Mode { DEFAULT, STATS, RATE, PERSISTENT_CONN }

    static final String VERSION_LINE = "IP Virtual Server version 1.2.1 (size=%d)";

    private IpvsadmFormat() {
    }

    public static String list(List<ServiceSnapshot> services, int tableSize, Mode mode, boolean exact) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(VERSION_LINE, tableSize)).append('\n');
        out.append(title(mode));
        List<ServiceSnapshot> sorted = new ArrayList<>(services);
        sorted.sort(SERVICE_ORDER);
        for (ServiceSnapshot s : sorted) {
            service(out, s, mode, exact);
        }
        return out.toString();
    }

    static String title(Mode mode) {
        return switch (mode) {
            case STATS -> String.format("%-33s %8s %8s %8s %8s %8s%n  -> RemoteAddress:Port%n",
                    "Prot LocalAddress:Port", "Conns", "InPkts", "OutPkts", "InBytes", "OutBytes");
            case RATE -> String.format("%-33s %8s %8s %8s %8s %8s%n  -> RemoteAddress:Port%n",
                    "Prot LocalAddress:Port", "CPS", "InPPS", "OutPPS", "InBPS", "OutBPS");
            case PERSISTENT_CONN -> String.format("%-33s %-9s %-11s %-10s %-10s%n  -> RemoteAddress:Port%n",
                    "Prot LocalAddress:Port", "Weight", "PersistConn", "ActiveConn", "InActConn");
            case DEFAULT -> "Prot LocalAddress:Port Scheduler Flags\n"
                    + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n";
        };
    }

    private static void service(StringBuilder out, ServiceSnapshot s, Mode mode, boolean exact) {
        String name;
        boolean v6 = s.address() instanceof Inet6Address;
        if (s.fwmark() != 0) {
            name = "FWM  " + s.fwmark() + (v6 ? " IPv6" : "");
        } else {
            name = (s.protocol() == 6 ? "TCP" : "UDP") + "  " + addrPort(s.address(), s.port());
            if (!v6 && name.length() > 33) {
                name = name.substring(0, 33);
            }
        }
        Stats st = s.stats();
        switch (mode) {
            case STATS -> out.append(String.format("%-33s", name)).append(largeNums(exact, st.connections(),
                    st.inPackets(), st.outPackets(), st.inBytes(), st.outBytes()));
            case RATE -> out.append(String.format("%-33s", name)).append(largeNums(exact,
                    st.connectionsPerSecond(), st.inPacketsPerSecond(), st.outPacketsPerSecond(),
                    st.inBytesPerSecond(), st.outBytesPerSecond()));
            case DEFAULT, PERSISTENT_CONN -> {
                out.append(name).append(' ').append(s.scheduler());
                if (s.persistenceTimeoutSeconds() > 0) {
                    out.append(" persistent ").append(s.persistenceTimeoutSeconds());
                    InetAddress mask = s.persistenceNetmask();
                    if (mask != null && !v6 && !mask.getHostAddress().equals("255.255.255.255")) {
                        out.append(" mask ").append(mask.getHostAddress());
                    }
                    if (s.onePacket()) {
                        out.append(" ops");
                    }
                }
            }
        }
        out.append('\n');
        List<RealServerSnapshot> dests = new ArrayList<>(s.realServers());
        dests.sort(DEST_ORDER);
        for (RealServerSnapshot d : dests) {
            String dname = addrPort(d.address(), d.port());
            if (!v6 && dname.length() > 28) {
                dname = dname.substring(0, 28);
            }
            Stats ds = d.stats();
            switch (mode) {
                case STATS -> out.append(String.format("  -> %-28s", dname)).append(largeNums(exact,
                        ds.connections(), ds.inPackets(), ds.outPackets(), ds.inBytes(), ds.outBytes()));
                case RATE -> out.append(String.format("  -> %-28s %8d %8d %8d", dname,
                        ds.connectionsPerSecond(), ds.inPacketsPerSecond(), ds.outPacketsPerSecond()))
                        .append(largeNums(exact, ds.inBytesPerSecond(), ds.outBytesPerSecond()));
                case PERSISTENT_CONN -> out.append(String.format("  -> %-28s %-9d %-11d %-10d %-10d", dname,
                        d.weight(), d.persistentConnections(), d.activeConnections(), d.inactiveConnections()));
                case DEFAULT -> out.append(String.format("  -> %-28s %-7s %-6d %-10d %-10d", dname,
                        d.method().ipvsadmName(), d.weight(), d.activeConnections(), d.inactiveConnections()));
            }
            out.append('\n');
        }
    }

    /** {@code ipvsadm -Lnc}. */
    public static String connections(List<ConnectionSnapshot> connections) {
        StringBuilder out = new StringBuilder("IPVS connection entries\n");
        out.append(String.format("pro expire %-11s %-18s %-18s %s%n", "state", "source", "virtual", "destination"));
        for (ConnectionSnapshot c : connections) {
            out.append(String.format("%-3s %02d:%02d  %-11s %-18s %-18s %s%n",
                    c.protocol() == 6 ? "TCP" : c.protocol() == 17 ? "UDP" : "IP",
                    c.expiresInSeconds() / 60, c.expiresInSeconds() % 60, c.state(),
                    addrPort(c.clientAddress(), c.clientPort()),
                    addrPort(c.virtualAddress(), c.virtualPort()),
                    addrPort(c.destinationAddress(), c.destinationPort())));
        }
        return out.toString();
    }

    /** ipvsadm's {@code print_largenum}: 9 columns, abbreviated above 100 million unless exact. */
    static String largeNum(long n, boolean exact) {
        if (exact) {
            String digits = Long.toUnsignedString(n);
            return " ".repeat(Math.max(1, 9 - digits.length())) + digits;
        }
        if (Long.compareUnsigned(n, 100_000_000L) < 0) {
            return String.format("%9d", n);
        } else if (Long.compareUnsigned(n, 1_000_000_000L) < 0) {
            return String.format("%8dK", n / 1_000L);
        } else if (Long.compareUnsigned(n, 100_000_000_000L) < 0) {
            return String.format("%8dM", n / 1_000_000L);
        } else if (Long.compareUnsigned(n, 100_000_000_000_000L) < 0) {
            return String.format("%8dG", n / 1_000_000_000L);
        }
        return String.format("%8dT", Long.divideUnsigned(n, 1_000_000_000_000L));
    }

    private static String largeNums(boolean exact, long... values) {
        StringBuilder b = new StringBuilder();
        for (long v : values) {
            b.append(largeNum(v, exact));
        }
        return b.toString();
    }

    static String addrPort(InetAddress address, int port) {
        if (address instanceof Inet6Address) {
            return "[" + ipv6Text(address.getAddress()) + "]:" + port;
        }
        return address.getHostAddress() + ":" + port;
    }

    /** An IPv6 address as inet_ntop writes it (RFC 5952: the longest run of two or more zero groups as ::). */
    static String ipv6Text(byte[] a) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((a[2 * i] & 0xFF) << 8) | (a[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                b.append("::");
                i += bestLength - 1;
                continue;
            }
            if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
                b.append(':');
            }
            b.append(Integer.toHexString(groups[i]));
        }
        return b.toString();
    }

    private static final Comparator<byte[]> UNSIGNED_BYTES = Arrays::compareUnsigned;

    /** ipvsadm sorts services by fwmark, protocol, address, port; real servers by address, port. */
    private static final Comparator<ServiceSnapshot> SERVICE_ORDER = Comparator
            .comparingInt(ServiceSnapshot::fwmark)
            .thenComparingInt(ServiceSnapshot::protocol)
            .thenComparing(s -> s.address().getAddress(), UNSIGNED_BYTES)
            .thenComparingInt(ServiceSnapshot::port);

    private static final Comparator<RealServerSnapshot> DEST_ORDER = Comparator
            .comparing((RealServerSnapshot d) -> d.address().getAddress(), UNSIGNED_BYTES)
            .thenComparingInt(RealServerSnapshot::port);
}
