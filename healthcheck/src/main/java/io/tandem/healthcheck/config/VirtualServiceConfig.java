package io.tandem.healthcheck.config;

import io.tandem.core.config.model.ScriptCommand;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * A {@code virtual_server} block as the checker sees it.
 *
 * @param name        the service key used in events and metrics (e.g. "10.0.0.1:80/TCP")
 * @param quorum      {@code quorum}: the weight of live real servers needed (default 1)
 * @param hysteresis  {@code hysteresis} around the quorum (default 0)
 * @param quorumUp    {@code quorum_up} command, or null
 * @param quorumDown  {@code quorum_down} command, or null
 * @param sorryServer {@code sorry_server}, or null
 */
public record VirtualServiceConfig(String name, List<RealServerConfig> realServers, long quorum, long hysteresis,
        ScriptCommand quorumUp, ScriptCommand quorumDown, InetSocketAddress sorryServer) {

    public VirtualServiceConfig {
        Objects.requireNonNull(name, "name");
        realServers = List.copyOf(realServers);
        if (quorum < 1) {
            throw new IllegalArgumentException("invalid quorum: " + quorum + " (expected: >= 1)");
        }
        if (hysteresis < 0) {
            throw new IllegalArgumentException("invalid hysteresis: " + hysteresis + " (expected: >= 0)");
        }
        if (realServers.stream().map(RealServerConfig::address).distinct().count() != realServers.size()) {
            throw new IllegalArgumentException("duplicate real_server in " + name + " (expected: unique addresses)");
        }
    }

    public static VirtualServiceConfig of(String name, List<RealServerConfig> realServers) {
        return new VirtualServiceConfig(name, realServers, 1, 0, null, null, null);
    }
}
