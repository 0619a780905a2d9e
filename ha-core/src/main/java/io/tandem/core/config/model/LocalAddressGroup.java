package io.tandem.core.config.model;

import io.tandem.core.config.Location;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Tandem's (and DPVS's) {@code local_address_group NAME { IP[-LAST] [IFNAME] ... }}: the director's
 * own addresses a FULLNAT service uses as source towards the real servers.
 */
public record LocalAddressGroup(String name, Location location, List<Range> ranges) {
    public LocalAddressGroup {
        ranges = List.copyOf(ranges);
    }

    /** Addresses first..last (inclusive), optionally bound to an interface. */
    public record Range(InetAddress first, InetAddress last, Optional<String> interfaceName) {
    }
}
