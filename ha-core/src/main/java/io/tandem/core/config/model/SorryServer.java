package io.tandem.core.config.model;

import java.net.InetAddress;

/** {@code sorry_server IP [PORT]}: used instead of the real servers while the quorum is lost. */
public record SorryServer(InetAddress address, int port, boolean inhibit, ForwardingMethod method) {
}
