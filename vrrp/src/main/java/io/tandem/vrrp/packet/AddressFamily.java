package io.tandem.vrrp.packet;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** The IP version a VRRP router runs over; it fixes the size of each address in the packet. */
public enum AddressFamily {
    IPV4(4),
    IPV6(16);

    private final int addressLength;

    AddressFamily(int addressLength) {
        this.addressLength = addressLength;
    }

    /** Bytes per address in the IPvX Address(es) field. */
    public int addressLength() {
        return addressLength;
    }

    /** The family of {@code address}. */
    public static AddressFamily of(InetAddress address) {
        return switch (address) {
            case Inet4Address a -> IPV4;
            case Inet6Address a -> IPV6;
            default -> throw new IllegalArgumentException("invalid address: " + address + " (expected: IPv4 or IPv6)");
        };
    }
}
