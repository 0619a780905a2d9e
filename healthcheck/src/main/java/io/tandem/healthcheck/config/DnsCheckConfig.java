package io.tandem.healthcheck.config;

import java.util.Locale;
import java.util.Objects;

/**
 * DNS_CHECK (keepalived {@code check_dns.c}): one query over UDP; passes on a
 * response to it with RCODE NOERROR (RFC 1035 section 4.1.1).
 *
 * @param type {@code type}: A, NS, CNAME, SOA (default), MX, TXT or AAAA
 * @param name {@code name}: the queried name, default "."
 */
public record DnsCheckConfig(CheckerOptions options, String type, String name) implements CheckerConfig {

    private static final java.util.Set<String> TYPES = java.util.Set.of("A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA");

    public DnsCheckConfig {
        Objects.requireNonNull(options, "options");
        type = type == null ? "SOA" : type.toUpperCase(Locale.ROOT);
        name = name == null || name.isEmpty() ? "." : name;
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("invalid type: " + type + " (expected: one of " + TYPES + ")");
        }
        if (name.length() > 253 || name.contains("..")) {
            throw new IllegalArgumentException("invalid name: " + name + " (expected: a domain name)");
        }
    }

    @Override
    public CheckerKind kind() {
        return CheckerKind.DNS_CHECK;
    }
}
