package io.tandem.healthcheck.config;

/**
 * One checker block of a real server: its kind-specific settings and its
 * resolved common options. Records, so equality is keepalived's
 * {@code compare_*_check} across a reload.
 */
public sealed interface CheckerConfig
        permits TcpCheckConfig, HttpCheckConfig, DnsCheckConfig, UdpCheckConfig, PingCheckConfig,
        MiscCheckConfig, SmtpCheckConfig {

    CheckerKind kind();

    CheckerOptions options();
}
