package io.tandem.director.run;

import io.tandem.core.config.model.ForwardingMethod;
import io.tandem.core.config.model.KeepalivedConfig;
import io.tandem.core.config.model.LocalAddressGroup;
import io.tandem.core.config.model.RealServer;
import io.tandem.core.config.model.VirtualServer;
import io.tandem.core.config.model.VirtualServiceAddress;
import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.engine.RealServerSpec;
import io.tandem.forwarder.engine.ServiceSpec;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code virtual_server} blocks to the forwarder's {@link ServiceSpec}s:
 * lb_algo, lb_kind (FULLNAT / FNAT with its local_address_group and toa), persistence
 * and the real servers; a {@code sorry_server} is one more real server, with
 * weight 0 until the service loses its quorum. What the forwarder cannot
 * carry yet (fwmark and group services, IPv6, SCTP) is refused with
 * {@code file:line}.
 */
public final class ServiceMapping {
    private ServiceMapping() {
    }

    public static List<ServiceSpec> services(KeepalivedConfig config) {
        List<ServiceSpec> out = new ArrayList<>();
        for (VirtualServer vs : config.virtualServers()) {
            out.add(service(config, vs));
        }
        return out;
    }

    /** The key the health checker and /status use for a service: {@code 10.0.0.1:80/TCP}. */
    public static String key(ServiceSpec s) {
        return s.address().getHostAddress() + ":" + s.port() + "/" + (s.protocol() == 6 ? "TCP" : "UDP");
    }

    static ServiceSpec service(KeepalivedConfig config, VirtualServer vs) {
        String where = vs.location() + ": ";
        if (!(vs.address() instanceof VirtualServiceAddress.IpPort ipPort)) {
            throw new IllegalArgumentException(where + "virtual_server " + vs.address()
                    + " is not supported by the forwarder yet (expected: virtual_server IP PORT)");
        }
        Inet4Address vip = ipv4(ipPort.address(), where + "virtual_server");
        int protocol = switch (vs.protocol()) {
            case TCP -> 6;
            case UDP -> 17;
            case SCTP -> throw new IllegalArgumentException(where + "protocol SCTP is not supported (expected: TCP or UDP)");
        };
        List<RealServerSpec> reals = new ArrayList<>();
        for (RealServer rs : vs.realServers()) {
            reals.add(new RealServerSpec(ipv4(rs.address(), where + "real_server"), rs.port(), rs.weight(),
                    method(rs.method())));
        }
        vs.sorryServer().ifPresent(sorry -> {
            // in the pool with weight 0 until the service loses its quorum (HealthToWeights), unless it is a real server
            Inet4Address address = ipv4(sorry.address(), where + "sorry_server");
            if (reals.stream().noneMatch(r -> r.address().equals(address) && r.port() == sorry.port())) {
                reals.add(new RealServerSpec(address, sorry.port(), 0, method(sorry.method())));
            }
        });
        List<Inet4Address> locals = vs.localAddressGroup().map(name -> localAddresses(config, name, where))
                .orElse(List.of());
        int persistence = vs.persistenceTimeout().map(d -> (int) d.toSeconds()).orElse(0);
        int mask = vs.persistenceGranularity().map(m -> toInt(ipv4(m, where + "persistence_granularity")))
                .orElse(-1);
        return new ServiceSpec(protocol, vip, ipPort.port(), vs.scheduler().ipvsName(), List.of(), persistence, mask,
                locals, reals, vs.toa());
    }

    static ForwardMethod method(ForwardingMethod m) {
        return switch (m) {
            case NAT -> ForwardMethod.NAT;
            case DR -> ForwardMethod.DR;
            case TUN -> ForwardMethod.TUN;
            case FULLNAT -> ForwardMethod.FULLNAT;
        };
    }

    private static List<Inet4Address> localAddresses(KeepalivedConfig config, String name, String where) {
        Optional<LocalAddressGroup> group = config.localAddressGroups().stream()
                .filter(g -> g.name().equals(name)).findFirst();
        if (group.isEmpty()) {
            throw new IllegalArgumentException(where + "unknown local_address_group " + name);
        }
        List<Inet4Address> out = new ArrayList<>();
        for (LocalAddressGroup.Range r : group.get().ranges()) {
            int first = toInt(ipv4(r.first(), where + "local_address_group"));
            int last = toInt(ipv4(r.last(), where + "local_address_group"));
            for (long a = first & 0xFFFF_FFFFL; a <= (last & 0xFFFF_FFFFL); a++) {
                out.add(fromInt((int) a));
            }
        }
        return out;
    }

    private static Inet4Address ipv4(InetAddress address, String what) {
        if (address instanceof Inet4Address v4) {
            return v4;
        }
        throw new IllegalArgumentException(what + " " + address.getHostAddress()
                + " is IPv6, which the forwarder does not carry yet (expected: an IPv4 address)");
    }

    private static int toInt(Inet4Address a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    private static Inet4Address fromInt(int a) {
        try {
            return (Inet4Address) InetAddress.getByAddress(
                    new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

}
