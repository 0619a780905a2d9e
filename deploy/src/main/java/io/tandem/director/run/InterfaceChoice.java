package io.tandem.director.run;

import io.tandem.core.netlink.IfAddress;
import io.tandem.core.netlink.Link;
import io.tandem.core.netlink.RtNetlink;
import io.tandem.forwarder.engine.RealServerSpec;
import io.tandem.forwarder.engine.ServiceSpec;
import java.io.IOException;
import java.net.Inet4Address;
import java.util.List;

/**
 * The forwarding interface when none is named: the one with an IPv4 address
 * on the first real server's subnet (where a director's LAN leg is).
 */
final class InterfaceChoice {
    private InterfaceChoice() {
    }

    static String choose(List<ServiceSpec> services) throws IOException {
        return choose(services, java.util.Optional.empty());
    }

    /**
     * As {@link #choose(List)}; without any real server (they all come from real_server_discovery), the
     * {@code fallback} (the first vrrp_instance's interface, where the VIPs are).
     */
    static String choose(List<ServiceSpec> services, java.util.Optional<String> fallback) throws IOException {
        java.util.Optional<RealServerSpec> any = services.stream().flatMap(s -> s.realServers().stream()).findFirst();
        if (any.isEmpty() && fallback.isPresent()) {
            return fallback.get();
        }
        RealServerSpec first = any.orElseThrow(() -> new IOException(
                "no real server to choose the interface by (expected: --interface)"));
        int target = toInt(first.address());
        try (RtNetlink netlink = RtNetlink.open()) {
            for (IfAddress a : netlink.listAddresses()) {
                if (a.address() instanceof Inet4Address v4 && a.prefixLength() > 0) {
                    int mask = -1 << (32 - a.prefixLength());
                    if ((toInt(v4) & mask) == (target & mask)) {
                        Link link = netlink.link(a.ifindex()).orElseThrow();
                        if (!link.loopback()) {
                            return link.name();
                        }
                    }
                }
            }
        }
        throw new IOException("no interface on the subnet of real server " + first
                + " (expected: --interface NAME)");
    }

    private static int toInt(Inet4Address a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }
}
