package io.tandem.forwarder.api;

import java.net.InetAddress;
import java.util.List;

/**
 * A virtual service as listings show it (ipvsadm's service entry): by
 * address, port and protocol, or by firewall mark when {@code fwmark} is not 0.
 *
 * @param protocol 6 (TCP) or 17 (UDP)
 * @param persistenceTimeoutSeconds 0 when not persistent
 * @param persistenceNetmask the IPv4 persistence granularity mask (255.255.255.255 = per client)
 */
public record ServiceSnapshot(
        int protocol, InetAddress address, int port, int fwmark,
        String scheduler, int persistenceTimeoutSeconds, InetAddress persistenceNetmask, boolean onePacket,
        Stats stats, List<RealServerSnapshot> realServers) {

    public ServiceSnapshot {
        realServers = List.copyOf(realServers);
    }
}
