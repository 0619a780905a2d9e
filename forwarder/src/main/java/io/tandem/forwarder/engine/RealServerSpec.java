package io.tandem.forwarder.engine;

import io.tandem.forwarder.conn.ForwardMethod;
import java.net.Inet4Address;

/** One real server of a {@link ServiceSpec}: address, port, initial weight and forwarding method. */
public record RealServerSpec(Inet4Address address, int port, int weight, ForwardMethod method) {
    public RealServerSpec {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("invalid real server port: " + port + " (expected: 0 ~ 65535)");
        }
        if (weight < 0) {
            throw new IllegalArgumentException("invalid weight: " + weight + " (expected: >= 0)");
        }
        if (method == null) {
            throw new IllegalArgumentException("invalid forwarding method: null (expected: NAT, DR, TUN or FULLNAT)");
        }
    }

    /** True when {@code other} is the same server (address and port), whatever its weight and method. */
    public boolean sameServer(RealServerSpec other) {
        return address.equals(other.address) && port == other.port;
    }

    public RealServerSpec withWeight(int newWeight) {
        return new RealServerSpec(address, port, newWeight, method);
    }

    @Override
    public String toString() {
        return address.getHostAddress() + ":" + port;
    }
}
