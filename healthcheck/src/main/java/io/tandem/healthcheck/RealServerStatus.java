package io.tandem.healthcheck;

import java.net.InetSocketAddress;

/** One real server's current health, for status output and gauges. */
public record RealServerStatus(String service, InetSocketAddress realServer, boolean up, int weight,
        boolean serviceHasQuorum) {
}
