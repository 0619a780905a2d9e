package io.tandem.forwarder.engine;

import io.tandem.forwarder.conn.ForwardMethod;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
 * @param toa FULLNAT inserts the client's address into the handshake (TCP option 254, {@code toa})
 */
public record ServiceSpec(int protocol, Inet4Address address, int port, String scheduler, List<String> schedulerFlags,
        int persistenceTimeoutSeconds, int persistenceNetmask, List<Inet4Address> localAddresses,
        List<RealServerSpec> realServers, boolean toa) {
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
        for (int i = 0; i < realServers.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (realServers.get(i).sameServer(realServers.get(j))) {
                    throw new IllegalArgumentException("duplicate real server " + realServers.get(i) + " in service "
                            + address.getHostAddress() + ":" + port + " (expected: each address and port once)");
                }
            }
        }
        boolean fullNat = realServers.stream().anyMatch(r -> r.method() == ForwardMethod.FULLNAT);
        if (fullNat && localAddresses.isEmpty()) {
            throw new IllegalArgumentException("service " + address.getHostAddress() + ":" + port
                    + " uses FULLNAT but has no local_address_group (expected: at least one local address)");
        }
        if (toa && (localAddresses.isEmpty() || protocol != 6)) {
            throw new IllegalArgumentException("service " + address.getHostAddress() + ":" + port
                    + " has toa, which only TCP FULLNAT carries (expected: protocol TCP and a local_address_group)");
        }
    }

    /** Without TOA. */
    public ServiceSpec(int protocol, Inet4Address address, int port, String scheduler, List<String> schedulerFlags,
            int persistenceTimeoutSeconds, int persistenceNetmask, List<Inet4Address> localAddresses,
            List<RealServerSpec> realServers) {
        this(protocol, address, port, scheduler, schedulerFlags, persistenceTimeoutSeconds, persistenceNetmask,
                localAddresses, realServers, false);
    }

    /** A service without persistence or local addresses. */
    public static ServiceSpec of(int protocol, Inet4Address address, int port, String scheduler,
            List<RealServerSpec> realServers) {
        return new ServiceSpec(protocol, address, port, scheduler, List.of(), 0, -1, List.of(), realServers);
    }

    /** What names this service at runtime. */
    public ServiceAddress serviceAddress() {
        return new ServiceAddress(protocol, address, port);
    }

    /** The real server at {@code rip:rport}, if this service has it. */
    public Optional<RealServerSpec> realServer(Inet4Address rip, int rport) {
        int i = indexOf(rip, rport);
        return i < 0 ? Optional.empty() : Optional.of(realServers.get(i));
    }

    /** This service with {@code realServer} added, or put in place of the one with its address and port. */
    public ServiceSpec withRealServer(RealServerSpec realServer) {
        List<RealServerSpec> reals = new ArrayList<>(realServers);
        int i = indexOf(realServer.address(), realServer.port());
        if (i < 0) {
            reals.add(realServer);
        } else {
            reals.set(i, realServer);
        }
        return withRealServers(reals);
    }

    /** This service without the real server at {@code rip:rport}. */
    public ServiceSpec withoutRealServer(Inet4Address rip, int rport) {
        List<RealServerSpec> reals = new ArrayList<>(realServers);
        reals.removeIf(r -> r.address().equals(rip) && r.port() == rport);
        return withRealServers(reals);
    }

    public ServiceSpec withRealServers(List<RealServerSpec> reals) {
        return new ServiceSpec(protocol, address, port, scheduler, schedulerFlags, persistenceTimeoutSeconds,
                persistenceNetmask, localAddresses, reals, toa);
    }

    private int indexOf(Inet4Address rip, int rport) {
        for (int i = 0; i < realServers.size(); i++) {
            if (realServers.get(i).address().equals(rip) && realServers.get(i).port() == rport) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return (protocol == 6 ? "TCP " : "UDP ") + address.getHostAddress() + ":" + port;
    }
}
