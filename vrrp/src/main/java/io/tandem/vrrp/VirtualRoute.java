package io.tandem.vrrp;

import io.tandem.core.netlink.AddressScope;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A route a master holds: a line of keepalived's {@code virtual_routes},
 * {@code [TYPE] DEST/PREFIX [src IP] [via IP] [dev IF] [scope S] [table N] [metric N]},
 * added when the instance becomes MASTER and removed when it stops being MASTER.
 *
 * @param type         what the route does with a packet
 * @param destination  the destination network
 * @param prefixLength 0 ~ 32 (IPv4) or 0 ~ 128 (IPv6)
 * @param via          the next hop (unicast only), or null
 * @param source       the preferred source address, or null
 * @param device       the outgoing interface, or null (the kernel finds it from {@code via})
 * @param table        the routing table, 1 ~ 2^32-1 (254, main, by default)
 * @param metric       the route's metric, or -1 for none
 * @param scope        the scope, or null for ip route's default
 */
public record VirtualRoute(Type type, InetAddress destination, int prefixLength, InetAddress via, InetAddress source,
                           String device, long table, long metric, AddressScope scope) {
    /** The route types of {@code ip route} that keepalived accepts in {@code virtual_routes}. */
    public enum Type { UNICAST, BLACKHOLE, UNREACHABLE, PROHIBIT, THROW }

    /** The main routing table. */
    public static final long MAIN_TABLE = 254;

    public VirtualRoute {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(destination, "destination");
        int max = destination instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("invalid prefix length for " + destination.getHostAddress() + ": "
                    + prefixLength + " (expected: 0 ~ " + max + ")");
        }
        requireSameFamily("via", via, destination);
        requireSameFamily("source", source, destination);
        if (via != null && type != Type.UNICAST) {
            throw new IllegalArgumentException("invalid via " + via.getHostAddress() + " for a " + type
                    + " route (expected: none, only unicast routes have a next hop)");
        }
        if (device != null && (device.isEmpty() || device.length() > 15)) {
            throw new IllegalArgumentException("invalid device: \"" + device + "\" (expected: 1 ~ 15 characters)");
        }
        if (type == Type.UNICAST && via == null && device == null) {
            throw new IllegalArgumentException("invalid route " + destination.getHostAddress() + "/" + prefixLength
                    + ": neither via nor dev (expected: at least one for a unicast route)");
        }
    }

    private static void requireSameFamily(String what, InetAddress address, InetAddress destination) {
        if (address != null && (address instanceof Inet4Address) != (destination instanceof Inet4Address)) {
            throw new IllegalArgumentException("invalid " + what + " " + address.getHostAddress() + " for "
                    + destination.getHostAddress() + " (expected: the destination's address family)");
        }
    }

    /** A unicast route in the main table. */
    public static VirtualRoute unicast(InetAddress destination, int prefixLength, InetAddress via, String device) {
        return new VirtualRoute(Type.UNICAST, destination, prefixLength, via, null, device, MAIN_TABLE, -1, null);
    }

    @Override
    public String toString() {
        return (type == Type.UNICAST ? "" : type.name().toLowerCase(java.util.Locale.ROOT) + " ")
                + destination.getHostAddress() + "/" + prefixLength + (via != null ? " via " + via.getHostAddress() : "")
                + (device != null ? " dev " + device : "") + (table != MAIN_TABLE ? " table " + table : "");
    }
}
