package io.tandem.core.config.model;

import java.net.InetAddress;
import java.util.OptionalInt;

/** A {@code unicast_peer} line: {@code IP [min_ttl N] [max_ttl N]}. */
public record UnicastPeer(InetAddress address, OptionalInt minTtl, OptionalInt maxTtl) {
}
