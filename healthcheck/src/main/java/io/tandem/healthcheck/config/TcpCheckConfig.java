package io.tandem.healthcheck.config;

import java.util.Objects;

/** TCP_CHECK: passes when the TCP connection is established. */
public record TcpCheckConfig(CheckerOptions options) implements CheckerConfig {
    public TcpCheckConfig {
        Objects.requireNonNull(options, "options");
    }

    @Override
    public CheckerKind kind() {
        return CheckerKind.TCP_CHECK;
    }
}
