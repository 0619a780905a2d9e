package io.tandem.core.config.model;

import java.net.InetAddress;

/** What a {@code virtual_server} line names: {@code IP [PORT]}, {@code fwmark N} or {@code group NAME}. */
public sealed interface VirtualServiceAddress {
    /** {@code virtual_server IP PORT}; port 0 when omitted (allowed only with persistence). */
    record IpPort(InetAddress address, int port) implements VirtualServiceAddress {
    }

    /** {@code virtual_server fwmark N}. */
    record Fwmark(long mark) implements VirtualServiceAddress {
    }

    /** {@code virtual_server group NAME}, referring to a {@code virtual_server_group}. */
    record Group(String name) implements VirtualServiceAddress {
    }
}
