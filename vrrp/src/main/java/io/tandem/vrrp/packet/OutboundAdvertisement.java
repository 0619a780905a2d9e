package io.tandem.vrrp.packet;

import java.net.InetAddress;
import java.util.Objects;

/**
 * An advertisement to send, with the addresses its checksum covers (the IPv4 and
 * IPv6 pseudo-headers hold the source and destination) and the outgoing interface.
 */
public record OutboundAdvertisement(VrrpAdvertisement advertisement, InetAddress source, InetAddress destination,
                                    String interfaceName) {
    public OutboundAdvertisement {
        Objects.requireNonNull(advertisement, "advertisement");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(interfaceName, "interfaceName");
        if (AddressFamily.of(source) != advertisement.family() || AddressFamily.of(destination) != advertisement.family()) {
            throw new IllegalArgumentException("invalid source/destination: " + source.getHostAddress() + " -> "
                    + destination.getHostAddress() + " (expected: " + advertisement.family() + " like the advertisement)");
        }
    }
}
