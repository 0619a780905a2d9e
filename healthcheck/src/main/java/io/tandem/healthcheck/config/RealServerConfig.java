package io.tandem.healthcheck.config;

import io.tandem.core.config.model.ScriptCommand;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * A {@code real_server} block as the checker sees it.
 *
 * @param address          the real server's IP and port
 * @param weight           {@code weight} (default 1)
 * @param inhibitOnFailure {@code inhibit_on_failure}: a failed server is drained (weight 0) instead of removed
 * @param notifyUp         {@code notify_up} command (with its user), or null
 * @param notifyDown       {@code notify_down} command (with its user), or null
 * @param checkers         its checkers; all must pass. None: always up
 */
public record RealServerConfig(InetSocketAddress address, int weight, boolean inhibitOnFailure,
        ScriptCommand notifyUp, ScriptCommand notifyDown, List<CheckerConfig> checkers) {

    public RealServerConfig {
        Objects.requireNonNull(address, "address");
        checkers = List.copyOf(checkers);
        if (weight < 0) {
            throw new IllegalArgumentException("invalid weight: " + weight + " (expected: >= 0)");
        }
    }

    public static RealServerConfig of(InetSocketAddress address, int weight, List<CheckerConfig> checkers) {
        return new RealServerConfig(address, weight, false, null, null, checkers);
    }
}
