package io.tandem.healthcheck.config;

import java.util.Objects;

/** PING_CHECK: passes when an ICMP echo reply (RFC 792) comes back in time. */
public record PingCheckConfig(CheckerOptions options) implements CheckerConfig {
    public PingCheckConfig {
        Objects.requireNonNull(options, "options");
    }

    @Override
    public CheckerKind kind() {
        return CheckerKind.PING_CHECK;
    }
}
