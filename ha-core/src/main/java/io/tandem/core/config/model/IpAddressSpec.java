package io.tandem.core.config.model;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * An address line of {@code virtual_ipaddress}, {@code virtual_ipaddress_excluded} or
 * {@code static_ipaddress}, in {@code ip addr} syntax:
 * {@code ADDR[/PREFIX] [brd ADDR] [dev IF] [scope SCOPE] [label LABEL] [no_track]}.
 */
public record IpAddressSpec(InetAddress address, int prefixLength, Optional<InetAddress> broadcast,
                            Optional<String> device, AddressScope scope, Optional<String> label, boolean noTrack) {
    public IpAddressSpec {
        Objects.requireNonNull(address, "address");
        int max = address.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("invalid prefix length: " + prefixLength + " (expected: 0 ~ " + max + ")");
        }
    }

    public boolean isIpv6() {
        return address instanceof java.net.Inet6Address;
    }
}
