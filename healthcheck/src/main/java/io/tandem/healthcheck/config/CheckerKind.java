package io.tandem.healthcheck.config;

import java.time.Duration;

/**
 * The checker keywords of keepalived.conf(5), with the defaults that differ by
 * kind (keepalived {@code check_*.c}): {@code retry} is 3 for DNS_CHECK and 0
 * for MISC_CHECK, 1 otherwise; {@code delay_before_retry} is 3 s for
 * HTTP_GET/SSL_GET, {@code delay_loop} for DNS_CHECK, 1 s otherwise.
 */
public enum CheckerKind {
    TCP_CHECK, HTTP_GET, SSL_GET, DNS_CHECK, UDP_CHECK, PING_CHECK, MISC_CHECK, SMTP_CHECK;

    public int defaultRetry() {
        return switch (this) {
            case DNS_CHECK -> 3;
            case MISC_CHECK -> 0;
            default -> 1;
        };
    }

    public Duration defaultDelayBeforeRetry(Duration delayLoop) {
        return switch (this) {
            case HTTP_GET, SSL_GET -> Duration.ofSeconds(3);
            case DNS_CHECK -> delayLoop;
            default -> Duration.ofSeconds(1);
        };
    }
}
