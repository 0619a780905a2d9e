package io.tandem.vrrp;

import io.tandem.core.netlink.AddressScope;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One address a master holds: a line of keepalived's {@code virtual_ipaddress} or
 * {@code virtual_ipaddress_excluded}, {@code ADDR[/PREFIX] [dev IF] [scope SCOPE] [label LABEL]}.
 *
 * @param address      the address
 * @param prefixLength 0 ~ 32 (IPv4) or 0 ~ 128 (IPv6); keepalived's default is the host prefix
 * @param device       the interface to add it to, or null for the instance's own
 * @param label        an IPv4 label such as {@code eth0:vip} (at most 15 bytes), or null
 * @param scope        the address scope, global by default
 */
public record VirtualAddress(InetAddress address, int prefixLength, String device, String label, AddressScope scope) {
    public VirtualAddress {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(scope, "scope");
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("invalid prefix length for " + address.getHostAddress() + ": "
                    + prefixLength + " (expected: 0 ~ " + max + ")");
        }
        if (device != null && (device.isEmpty() || device.length() > 15)) {
            throw new IllegalArgumentException("invalid device: \"" + device + "\" (expected: 1 ~ 15 characters)");
        }
        if (label != null) {
            if (!(address instanceof Inet4Address)) {
                throw new IllegalArgumentException("invalid label for " + address.getHostAddress() + ": \"" + label
                        + "\" (expected: none, labels are IPv4 only)");
            }
            if (label.isEmpty() || label.getBytes(StandardCharsets.UTF_8).length > 15) {
                throw new IllegalArgumentException("invalid label: \"" + label + "\" (expected: 1 ~ 15 bytes)");
            }
        }
    }

    /** The address with its host prefix (/32, /128) on the instance's interface, as keepalived adds a bare VIP. */
    public static VirtualAddress of(InetAddress address) {
        return new VirtualAddress(address, address instanceof Inet4Address ? 32 : 128, null, null,
                AddressScope.UNIVERSE);
    }

    /** The interface it goes on: {@link #device()}, else the instance's {@code interfaceName}. */
    public String deviceOr(String interfaceName) {
        return device != null ? device : interfaceName;
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength + (device != null ? " dev " + device : "")
                + (scope.equals(AddressScope.UNIVERSE) ? "" : " scope " + scope) + (label != null ? " label " + label : "");
    }
}
