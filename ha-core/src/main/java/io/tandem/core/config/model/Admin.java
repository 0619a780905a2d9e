package io.tandem.core.config.model;

import java.net.InetAddress;
import java.util.Optional;

/** Tandem's {@code admin} block: the admin HTTP endpoint (/metrics, /status), default 127.0.0.1:9165. */
public record Admin(InetAddress address, int port, Optional<String> token) {
    public static final Admin DEFAULT = new Admin(InetAddress.ofLiteral("127.0.0.1"), 9165, Optional.empty());
}
