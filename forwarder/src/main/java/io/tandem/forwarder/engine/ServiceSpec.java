package io.tandem.forwarder.engine;

import io.tandem.forwarder.conn.ForwardMethod;
import java.net.Inet4Address;
import java.util.List;

/**
 * A virtual service as the director hands it to the {@link ForwarderEngine}:
 * the forwarder's own value, independent of the configuration model.
 *
 * @param protocol 6 (TCP) or 17 (UDP)
 * @param scheduler an ipvsadm scheduler name (rr, wrr, wlc, mh ...)
 * @param schedulerFlags keepalived's flags (sh-port, mh-fallback ...)
 * @param persistenceTimeoutSeconds 0: not persistent
 * @param persistenceNetmask IPv4 mask for persistence granularity ({@code -1} = per client)
 * @param localAddresses FULLNAT's {@code local_address_group}; empty otherwise
 */
public record ServiceSpec(int protocol, Inet4Address address, int port, String scheduler, List<String> schedulerFlags,
        int persistenceTimeoutSeconds, int persistenceNetmask, List<Inet4Address> localAddresses,
        List<RealServerSpec> realServers) {
    public ServiceSpec {
        if (protocol != 6 && protocol != 17) {
            throw new IllegalArgumentException("invalid protocol: " + protocol + " (expected: 6 (TCP) or 17 (UDP))");
        }
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("invalid port: " + port + " (expected: 0 ~ 65535)");
        }
        if (persistenceTimeoutSeconds < 0) {
            throw new IllegalArgumentException("invalid persistence_timeout: " + persistenceTimeoutSeconds
                    + " (expected: >= 0)");
        }
        schedulerFlags = List.copyOf(schedulerFlags);
        localAddresses = List.copyOf(localAddresses);
        realServers = List.copyOf(realServers);
        boolean fullNat = realServers.stream().anyMatch(r -> r.method() == ForwardMethod.FULLNAT);
        if (fullNat && localAddresses.isEmpty()) {
            throw new IllegalArgumentException("service " + address.getHostAddress() + ":" + port
                    + " uses FULLNAT but has no local_address_group (expected: at least one local address)");
        }
    }

    /** A service without persistence or local addresses. */
    public static ServiceSpec of(int protocol, Inet4Address address, int port, String scheduler,
            List<RealServerSpec> realServers) {
        return new ServiceSpec(protocol, address, port, scheduler, List.of(), 0, -1, List.of(), realServers);
    }

    @Override
    public String toString() {
        return (protocol == 6 ? "TCP " : "UDP ") + address.getHostAddress() + ":" + port;
    }
}
