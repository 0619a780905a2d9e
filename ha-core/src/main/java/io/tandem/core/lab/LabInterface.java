package io.tandem.core.lab;

import java.net.Inet4Address;

/**
 * One lab-side interface of a host: a veth whose other end ({@link #bridgePort})
 * is a port of {@link #bridge} in the lab's bridge namespace.
 *
 * @param host        the host's short name, {@code rs1}
 * @param name        the interface name inside the host's namespace, {@code eth0}
 * @param bridge      the bridge it hangs on, {@code ext} or {@code lan}
 * @param address     its IPv4 address
 * @param prefixLength its IPv4 prefix length
 * @param mac         its MAC address, lowercase {@code 02:00:0a:4d:00:0b}
 * @param bridgePort  the name of the veth's other end, in the bridge namespace
 */
public record LabInterface(String host, String name, String bridge, Inet4Address address, int prefixLength,
        String mac, String bridgePort) {

    /** The address without a leading slash, {@code 10.77.0.11}. */
    public String ip() {
        return address.getHostAddress();
    }

    /** The address with its prefix length, {@code 10.77.0.11/24}. */
    public String cidr() {
        return ip() + "/" + prefixLength;
    }

    /** The MAC as 6 bytes. */
    public byte[] macBytes() {
        String[] parts = mac.split(":");
        byte[] bytes = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            bytes[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return bytes;
    }
}
