package io.tandem.forwarder.api;

import java.net.InetAddress;

/** One connection-table entry as {@code ipvsadm -Lnc} lists it. */
public record ConnectionSnapshot(
        int protocol, long expiresInSeconds, String state,
        InetAddress clientAddress, int clientPort,
        InetAddress virtualAddress, int virtualPort,
        InetAddress destinationAddress, int destinationPort) {
}
