package io.tandem.vrrp.packet;

import java.net.InetAddress;
import java.util.Objects;

/**
 * An advertisement that passed the wire checks, with what the state machine
 * needs from its IP header: the sender's primary address (RFC 9568 §6.4.3 breaks
 * a priority tie with it) and the receiving interface.
 */
public record InboundAdvertisement(VrrpAdvertisement advertisement, InetAddress source, String interfaceName) {
    public InboundAdvertisement {
        Objects.requireNonNull(advertisement, "advertisement");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(interfaceName, "interfaceName");
    }
}
