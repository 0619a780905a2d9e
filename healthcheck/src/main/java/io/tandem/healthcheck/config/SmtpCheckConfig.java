package io.tandem.healthcheck.config;

import java.util.Objects;

/**
 * SMTP_CHECK (keepalived {@code check_smtp.c}): expects the 220 greeting,
 * sends {@code HELO helo_name}, expects 250, sends QUIT, expects 221
 * (RFC 5321 section 4.3.2).
 */
public record SmtpCheckConfig(CheckerOptions options, String heloName) implements CheckerConfig {

    public SmtpCheckConfig {
        Objects.requireNonNull(options, "options");
        heloName = heloName == null ? "localhost" : heloName;
        if (heloName.isEmpty() || heloName.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            throw new IllegalArgumentException("invalid helo_name: \"" + heloName + "\" (expected: a host name)");
        }
    }

    @Override
    public CheckerKind kind() {
        return CheckerKind.SMTP_CHECK;
    }
}
