package io.tandem.forwarder.engine;

import java.net.Inet4Address;
import java.util.Objects;

/**
 * What names a virtual service at runtime (ipvsadm's {@code -t|-u VIP:port}):
 * its protocol, address and port. The key of the {@link ForwarderEngine}'s
 * runtime API.
 *
 * @param protocol 6 (TCP) or 17 (UDP)
 */
public record ServiceAddress(int protocol, Inet4Address address, int port) {
    public ServiceAddress {
        if (protocol != 6 && protocol != 17) {
            throw new IllegalArgumentException("invalid protocol: " + protocol + " (expected: 6 (TCP) or 17 (UDP))");
        }
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("invalid port: " + port + " (expected: 0 ~ 65535)");
        }
    }

    public static ServiceAddress tcp(Inet4Address address, int port) {
        return new ServiceAddress(6, address, port);
    }

    public static ServiceAddress udp(Inet4Address address, int port) {
        return new ServiceAddress(17, address, port);
    }

    @Override
    public String toString() {
        return (protocol == 6 ? "TCP " : "UDP ") + address.getHostAddress() + ":" + port;
    }
}
