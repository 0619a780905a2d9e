package io.tandem.core.config.model;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The options every checker has, resolved: where to connect (default: the real server's address
 * and port), where from, and the timing (keepalived's defaults: connect_timeout 5 s, retry 1 (DNS 3,
 * MISC 0), delay_before_retry 1 s (HTTP/SSL 3 s, DNS: the delay loop), warmup up to delay_loop,
 * delay_loop 60 s), each inherited virtual server, then real server, then checker. {@code rise} and
 * {@code fall} are Tandem's extension (consecutive passed / failed checks that bring a checker up /
 * down; 1 as keepalived), inherited the same way.
 */
public record CheckerCommon(InetAddress connectIp, int connectPort, Optional<InetAddress> bindTo,
                            Optional<String> bindInterface, int bindPort, OptionalLong fwmark, boolean alpha,
                            Duration connectTimeout, int retry, Duration delayBeforeRetry, Duration warmup,
                            Duration delayLoop, boolean logAllFailures, int rise, int fall) {
}
