package io.tandem.healthcheck.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Checker options as written at one level of the configuration, null where
 * not written. keepalived inherits them virtual server -> real server ->
 * checker: {@link #over(OptionOverrides)} lays a lower level over its parent,
 * and {@link #resolve} fills what is still unset with keepalived's defaults
 * ({@code connect_timeout} 5 s, {@code retry} 1 (DNS 3, MISC 0),
 * {@code delay_before_retry} 1 s (HTTP/SSL 3 s, DNS {@code delay_loop}),
 * {@code delay_loop} 60 s, {@code warmup} = {@code delay_loop}).
 */
public record OptionOverrides(InetAddress connectIp, Integer connectPort, InetAddress bindTo, Integer bindPort,
        Duration connectTimeout, Integer retry, Duration delayBeforeRetry, Duration delayLoop, Duration warmup,
        Boolean alpha, Boolean logAllFailures, Integer rise, Integer fall) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_DELAY_LOOP = Duration.ofSeconds(60);

    public static final OptionOverrides NONE = builder().build();

    /** This level's values where set, else {@code parent}'s. */
    public OptionOverrides over(OptionOverrides parent) {
        return new OptionOverrides(pick(connectIp, parent.connectIp), pick(connectPort, parent.connectPort),
                pick(bindTo, parent.bindTo), pick(bindPort, parent.bindPort),
                pick(connectTimeout, parent.connectTimeout), pick(retry, parent.retry),
                pick(delayBeforeRetry, parent.delayBeforeRetry), pick(delayLoop, parent.delayLoop),
                pick(warmup, parent.warmup), pick(alpha, parent.alpha), pick(logAllFailures, parent.logAllFailures),
                pick(rise, parent.rise), pick(fall, parent.fall));
    }

    /** The options of a {@code kind} checker of the real server at {@code realServer}. */
    public CheckerOptions resolve(CheckerKind kind, InetSocketAddress realServer) {
        Duration loop = pick(delayLoop, DEFAULT_DELAY_LOOP);
        int port = pick(connectPort, realServer.getPort());
        CheckerOptions.requirePort("connect_port", port);
        InetSocketAddress target = new InetSocketAddress(pick(connectIp, realServer.getAddress()), port);
        return new CheckerOptions(target, bindTo, pick(bindPort, 0), pick(connectTimeout, DEFAULT_CONNECT_TIMEOUT),
                pick(retry, kind.defaultRetry()), pick(delayBeforeRetry, kind.defaultDelayBeforeRetry(loop)), loop,
                pick(warmup, loop), pick(alpha, false), pick(logAllFailures, false), pick(rise, 1), pick(fall, 1));
    }

    private static <T> T pick(T mine, T fallback) {
        return mine != null ? mine : fallback;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects the options of one configuration block; unset stays null. */
    public static final class Builder {
        private InetAddress connectIp;
        private Integer connectPort;
        private InetAddress bindTo;
        private Integer bindPort;
        private Duration connectTimeout;
        private Integer retry;
        private Duration delayBeforeRetry;
        private Duration delayLoop;
        private Duration warmup;
        private Boolean alpha;
        private Boolean logAllFailures;
        private Integer rise;
        private Integer fall;

        public Builder connectIp(InetAddress v) { connectIp = v; return this; }
        public Builder connectPort(int v) { connectPort = v; return this; }
        public Builder bindTo(InetAddress v) { bindTo = v; return this; }
        public Builder bindPort(int v) { bindPort = v; return this; }
        public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }
        public Builder retry(int v) { retry = v; return this; }
        public Builder delayBeforeRetry(Duration v) { delayBeforeRetry = v; return this; }
        public Builder delayLoop(Duration v) { delayLoop = v; return this; }
        public Builder warmup(Duration v) { warmup = v; return this; }
        public Builder alpha(boolean v) { alpha = v; return this; }
        public Builder logAllFailures(boolean v) { logAllFailures = v; return this; }
        public Builder rise(int v) { rise = v; return this; }
        public Builder fall(int v) { fall = v; return this; }

        public OptionOverrides build() {
            return new OptionOverrides(connectIp, connectPort, bindTo, bindPort, connectTimeout, retry,
                    delayBeforeRetry, delayLoop, warmup, alpha, logAllFailures, rise, fall);
        }
    }
}
