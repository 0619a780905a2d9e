package io.tandem.core.config.model;

import java.time.Duration;

/**
 * Gratuitous ARP / unsolicited NA timing after becoming MASTER (keepalived.conf(5) {@code garp_*}):
 * defaults 5 s delay, 5 repeats, no refresh, 1 refresh repeat; lower-priority ones follow the master ones.
 */
public record Garp(Duration masterDelay, int masterRepeat, Duration masterRefresh, int masterRefreshRepeat,
                   Duration lowerPriorityDelay, int lowerPriorityRepeat) {
    public static final Garp DEFAULTS = new Garp(Duration.ofSeconds(5), 5, Duration.ZERO, 1, Duration.ofSeconds(5), 5);
}
