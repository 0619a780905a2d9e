package io.tandem.forwarder.api;

import io.tandem.forwarder.conn.ForwardMethod;
import java.net.InetAddress;

/** One real server of a virtual service as listings show it (ipvsadm's dest entry). */
public record RealServerSnapshot(
        InetAddress address, int port, ForwardMethod method, int weight,
        long activeConnections, long inactiveConnections, long persistentConnections,
        Stats stats) {
}
