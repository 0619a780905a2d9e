package io.tandem.core.config.model;

import io.tandem.core.config.Location;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/** A {@code virtual_server_group}: addresses, address ranges (first to last) with ports, and fwmarks. */
public record VirtualServerGroup(String name, Location location, List<Entry> entries) {
    public VirtualServerGroup {
        entries = List.copyOf(entries);
    }

    /** One line of the group. */
    public sealed interface Entry {
    }

    /** {@code IP[-LAST|/PREFIX] [PORT]}; a single address has first == last. */
    public record AddressRange(InetAddress first, InetAddress last, int port) implements Entry {
    }

    /** {@code fwmark N [inet|inet6]}. */
    public record Fwmark(long mark, Optional<String> family) implements Entry {
    }
}
