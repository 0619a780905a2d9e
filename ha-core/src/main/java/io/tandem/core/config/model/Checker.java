package io.tandem.core.config.model;

import java.util.List;
import java.util.Optional;

/** A health checker block of a real server; one record per checker type, each with the {@link CheckerCommon} options. */
public sealed interface Checker {
    CheckerCommon common();

    /** {@code TCP_CHECK}: the check passes when a connection is established. */
    record TcpCheck(CheckerCommon common) implements Checker {
    }

    /** {@code HTTP_GET} or {@code SSL_GET} ({@code ssl}): every {@code url} must answer as configured. */
    record HttpCheck(CheckerCommon common, boolean ssl, HttpProtocol protocol, boolean fastRecovery,
                     List<UrlCheck> urls, boolean enableSni, Optional<String> sniName) implements Checker {
        public HttpCheck {
            urls = List.copyOf(urls);
        }
    }

    /** {@code DNS_CHECK}: a query of {@code type} for {@code name} (defaults SOA and "."). */
    record DnsCheck(CheckerCommon common, String type, String name) implements Checker {
    }

    /** {@code UDP_CHECK}: send {@code payload}; with {@code requireReply}, a reply (matching the pattern) is needed. */
    record UdpCheck(CheckerCommon common, Optional<HexPattern> payload, boolean requireReply,
                    Optional<HexPattern> replyPattern, int minReplyLength, int maxReplyLength) implements Checker {
    }

    /** {@code MISC_CHECK}: run a program; with {@code dynamic}, exit codes 2..255 set the weight to code - 2. */
    record MiscCheck(CheckerCommon common, ScriptCommand path, Optional<java.time.Duration> timeout, boolean dynamic)
            implements Checker {
    }

    /** {@code SMTP_CHECK}: expects 220, then 250 to HELO {@code heloName}, then 221 to QUIT. */
    record SmtpCheck(CheckerCommon common, String heloName) implements Checker {
    }

    /** {@code PING_CHECK}: an ICMP (or ICMPv6) echo. */
    record PingCheck(CheckerCommon common) implements Checker {
    }

    /** {@code http_protocol}: 1.0, 1.0C (1.0 with Connection: close) or 1.1. */
    enum HttpProtocol { HTTP_1_0, HTTP_1_0C, HTTP_1_1 }
}
