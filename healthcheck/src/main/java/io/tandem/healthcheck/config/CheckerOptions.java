package io.tandem.healthcheck.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * The options common to every checker, resolved (keepalived.conf(5),
 * "real_server" checker options; {@code rise}/{@code fall} are Tandem's
 * extension). Built by {@link OptionOverrides#resolve}; valid by construction.
 *
 * @param connectTo        {@code connect_ip}:{@code connect_port}, default the real server's address
 * @param bindTo           {@code bindto}, or null for the kernel's choice
 * @param bindPort         {@code bind_port}, 0 for any
 * @param connectTimeout   {@code connect_timeout}: the overall deadline of one attempt
 * @param retry            {@code retry}: failed attempts retried before the checker counts as failed
 * @param delayBeforeRetry {@code delay_before_retry}
 * @param delayLoop        {@code delay_loop}: time between checks
 * @param warmup           {@code warmup}: the first check starts after a random delay up to this
 * @param alpha            {@code alpha}: the checker starts failed instead of passed
 * @param logAllFailures   {@code log_all_failures}: log every failed attempt, not only state changes
 * @param rise             consecutive successful checks that bring a failed checker up (1 = keepalived)
 * @param fall             consecutive failed checks (after retries) that bring it down (1 = keepalived)
 */
public record CheckerOptions(InetSocketAddress connectTo, InetAddress bindTo, int bindPort,
        Duration connectTimeout, int retry, Duration delayBeforeRetry, Duration delayLoop,
        Duration warmup, boolean alpha, boolean logAllFailures, int rise, int fall) {

    public CheckerOptions {
        Objects.requireNonNull(connectTo, "connectTo");
        if (connectTo.isUnresolved()) {
            // the checkers run on an event loop: a name would need a blocking lookup there
            throw new IllegalArgumentException("invalid connect address: " + connectTo.getHostString()
                    + " (expected: an IP address; checks do no DNS lookups)");
        }
        requirePort("bind_port", bindPort);
        requirePositive("connect_timeout", connectTimeout);
        requirePositive("delay_loop", delayLoop);
        requireNotNegative("delay_before_retry", delayBeforeRetry);
        requireNotNegative("warmup", warmup);
        if (retry < 0) {
            throw new IllegalArgumentException("invalid retry: " + retry + " (expected: >= 0)");
        }
        if (rise < 1 || fall < 1) {
            throw new IllegalArgumentException("invalid rise/fall: " + rise + "/" + fall + " (expected: >= 1)");
        }
    }

    static void requirePort(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("invalid " + name + ": " + port + " (expected: 0 ~ 65535)");
        }
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("invalid " + name + ": " + value + " (expected: > 0)");
        }
    }

    private static void requireNotNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException("invalid " + name + ": " + value + " (expected: >= 0)");
        }
    }
}
