package io.tandem.core.netlink;

import io.tandem.core.linux.Libc;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * An address assigned to an interface, as RTM_NEWADDR carries it (rtnetlink(7)).
 *
 * @param ifindex the interface index, positive
 * @param address an IPv4 or IPv6 address
 * @param prefixLength 0 ~ 32 for IPv4, 0 ~ 128 for IPv6
 * @param label an IPv4 label such as {@code eth0:vip} (at most 15 bytes), or null
 * @param scope the address scope
 * @param flags IFA_F_* flags, such as {@link IfAddrMsg#IFA_F_NODAD}
 */
public record IfAddress(int ifindex, InetAddress address, int prefixLength, String label, AddressScope scope,
        int flags) {
    /** IFNAMSIZ less the terminating NUL. */
    public static final int MAX_LABEL_LENGTH = 15;

    public IfAddress {
        if (ifindex <= 0) {
            throw new IllegalArgumentException("invalid interface index: " + ifindex + " (expected: > 0)");
        }
        if (address == null) {
            throw new IllegalArgumentException("address is null (expected: an IPv4 or IPv6 address)");
        }
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("invalid prefix length for " + AddressText.of(address) + ": "
                    + prefixLength + " (expected: 0 ~ " + max + ")");
        }
        if (label != null) {
            if (address instanceof Inet6Address) {
                throw new IllegalArgumentException("invalid label for IPv6 address " + AddressText.of(address)
                        + ": '" + label + "' (expected: none, labels are IPv4 only)");
            }
            if (label.isEmpty() || label.getBytes(StandardCharsets.UTF_8).length > MAX_LABEL_LENGTH) {
                throw new IllegalArgumentException("invalid address label: '" + label + "' (expected: 1 ~ "
                        + MAX_LABEL_LENGTH + " bytes)");
            }
        }
        if (scope == null) {
            scope = AddressScope.UNIVERSE;
        }
    }

    /** A global address without label or flags. */
    public static IfAddress of(int ifindex, InetAddress address, int prefixLength) {
        return new IfAddress(ifindex, address, prefixLength, null, AddressScope.UNIVERSE, 0);
    }

    /** This address with IFA_F_NODAD: an IPv6 address usable at once, without duplicate address detection. */
    public IfAddress withNoDad() {
        return new IfAddress(ifindex, address, prefixLength, label, scope, flags | IfAddrMsg.IFA_F_NODAD);
    }

    public IfAddress withLabel(String newLabel) {
        return new IfAddress(ifindex, address, prefixLength, newLabel, scope, flags);
    }

    public IfAddress withScope(AddressScope newScope) {
        return new IfAddress(ifindex, address, prefixLength, label, newScope, flags);
    }

    /** AF_INET or AF_INET6. */
    public int family() {
        return address instanceof Inet4Address ? Libc.AF_INET : Libc.AF_INET6;
    }

    /** Whether both name the same assignment: interface, address and prefix length. */
    public boolean sameAssignment(IfAddress other) {
        return ifindex == other.ifindex && address.equals(other.address) && prefixLength == other.prefixLength;
    }

    /** {@code 10.77.0.100/24} */
    public String cidr() {
        return AddressText.of(address) + "/" + prefixLength;
    }

    @Override
    public String toString() {
        return cidr() + " ifindex " + ifindex + (label != null ? " label " + label : "") + " scope " + scope
                + (flags != 0 ? " flags 0x" + Integer.toHexString(flags) : "");
    }
}
