package io.tandem.core.netlink;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A route as RTM_NEWROUTE / RTM_DELROUTE carry it (rtnetlink(7)), in the terms of
 * {@code ip route}: {@code [TYPE] DEST/PREFIX [via GATEWAY] [dev IFINDEX] [src SOURCE]
 * [table TABLE] [metric METRIC] [scope SCOPE]}.
 *
 * @param type         RTN_UNICAST, RTN_BLACKHOLE, RTN_UNREACHABLE, RTN_PROHIBIT or RTN_THROW ({@link RtMsg})
 * @param destination  the destination network (its host bits are the caller's business, as with ip route)
 * @param prefixLength 0 ~ 32 for IPv4, 0 ~ 128 for IPv6
 * @param gateway      the next hop, or null for a directly connected route
 * @param ifindex      the outgoing interface, or 0 to let the kernel find it from the gateway
 * @param source       the preferred source address (RTA_PREFSRC), or null
 * @param table        the routing table, 1 ~ 2^32-1 ({@link RtMsg#RT_TABLE_MAIN} by default)
 * @param metric       the route's priority (RTA_PRIORITY), or -1 for none
 * @param scope        the scope; null picks {@code ip route}'s default: link for a unicast route
 *                     without gateway, host for a local one, else universe
 */
public record Route(int type, InetAddress destination, int prefixLength, InetAddress gateway, int ifindex,
        InetAddress source, long table, long metric, AddressScope scope) {
    public Route {
        if (type != RtMsg.RTN_UNICAST && type != RtMsg.RTN_BLACKHOLE && type != RtMsg.RTN_UNREACHABLE
                && type != RtMsg.RTN_PROHIBIT && type != RtMsg.RTN_THROW) {
            throw new IllegalArgumentException("invalid route type: " + type
                    + " (expected: unicast 1, blackhole 6, unreachable 7, prohibit 8 or throw 9)");
        }
        Objects.requireNonNull(destination, "destination");
        int max = destination instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("invalid prefix length for " + AddressText.of(destination) + ": "
                    + prefixLength + " (expected: 0 ~ " + max + ")");
        }
        requireSameFamily("gateway", gateway, destination);
        requireSameFamily("source", source, destination);
        if (gateway != null && type != RtMsg.RTN_UNICAST) {
            throw new IllegalArgumentException("invalid gateway " + AddressText.of(gateway) + " for a route of type "
                    + type + " (expected: none, only unicast routes have a next hop)");
        }
        if (ifindex < 0) {
            throw new IllegalArgumentException("invalid interface index: " + ifindex + " (expected: >= 0)");
        }
        if (table < 1 || table > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("invalid table: " + table + " (expected: 1 ~ 4294967295)");
        }
        if (metric < -1 || metric > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("invalid metric: " + metric + " (expected: 0 ~ 4294967295, -1 for none)");
        }
        if (scope == null) {
            scope = type == RtMsg.RTN_UNICAST && gateway == null && ifindex != 0 ? AddressScope.LINK
                    : AddressScope.UNIVERSE;
        }
    }

    private static void requireSameFamily(String what, InetAddress address, InetAddress destination) {
        if (address != null && (address instanceof Inet4Address) != (destination instanceof Inet4Address)) {
            throw new IllegalArgumentException("invalid " + what + " " + AddressText.of(address) + " for "
                    + AddressText.of(destination) + " (expected: the destination's address family)");
        }
    }

    /** A unicast route in the main table: via {@code gateway} (null: on-link) out of {@code ifindex} (0: any). */
    public static Route unicast(InetAddress destination, int prefixLength, InetAddress gateway, int ifindex) {
        return new Route(RtMsg.RTN_UNICAST, destination, prefixLength, gateway, ifindex, null, RtMsg.RT_TABLE_MAIN,
                -1, null);
    }

    /** {@code 10.0.0.0/8 via 10.77.0.1 dev ifindex 3 table 254}, as error messages show it. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        String typeName = switch (type) {
            case RtMsg.RTN_BLACKHOLE -> "blackhole ";
            case RtMsg.RTN_UNREACHABLE -> "unreachable ";
            case RtMsg.RTN_PROHIBIT -> "prohibit ";
            case RtMsg.RTN_THROW -> "throw ";
            default -> "";
        };
        text.append(typeName).append(AddressText.of(destination)).append('/').append(prefixLength);
        if (gateway != null) {
            text.append(" via ").append(AddressText.of(gateway));
        }
        if (source != null) {
            text.append(" src ").append(AddressText.of(source));
        }
        if (table != RtMsg.RT_TABLE_MAIN) {
            text.append(" table ").append(table);
        }
        if (metric >= 0) {
            text.append(" metric ").append(metric);
        }
        return text.toString();
    }
}
