package io.tandem.healthcheck.process;

import io.tandem.core.process.ProcessOutcome;
import io.tandem.core.process.ProcessRunner;
import io.tandem.healthcheck.HealthEvent;
import io.tandem.healthcheck.HealthListener;
import io.tandem.healthcheck.config.RealServerConfig;
import io.tandem.healthcheck.config.VirtualServiceConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs keepalived's alert commands for health events: a real server's
 * {@code notify_up} / {@code notify_down}, a service's {@code quorum_up} /
 * {@code quorum_down}; fire and forget through the {@link ProcessRunner}
 * (killed after {@code timeout}). Kept apart from the checkers and the
 * schedule. {@link #configure} is called with each loaded configuration.
 */
public final class NotifyScripts implements HealthListener {
    private static final Logger LOG = LoggerFactory.getLogger(NotifyScripts.class);

    private final ProcessRunner runner;
    private final Duration timeout;
    private volatile Map<String, VirtualServiceConfig> services = Map.of();

    public NotifyScripts(ProcessRunner runner, Duration timeout) {
        this.runner = runner;
        this.timeout = timeout;
    }

    public void configure(List<VirtualServiceConfig> configs) {
        Map<String, VirtualServiceConfig> map = new HashMap<>();
        configs.forEach(c -> map.put(c.name(), c));
        services = Map.copyOf(map);
    }

    @Override
    public void onEvent(HealthEvent event) {
        run(event);
    }

    /** Starts the command configured for {@code event}; the outcome, or empty when none is configured. */
    public CompletionStage<Optional<ProcessOutcome>> run(HealthEvent event) {
        VirtualServiceConfig service = services.get(event.service());
        if (service == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        String command = switch (event) {
            case HealthEvent.RealServerUp up -> realServer(service, up.realServer()).notifyUp();
            case HealthEvent.RealServerDown down -> realServer(service, down.realServer()).notifyDown();
            case HealthEvent.QuorumRegained ignored -> service.quorumUp();
            case HealthEvent.QuorumLost ignored -> service.quorumDown();
            case HealthEvent.RealServerWeightChanged ignored -> null;
        };
        if (command == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        List<String> argv = CommandLine.split(command);
        return runner.run(argv, null, timeout).thenApply(outcome -> {
            if (!(outcome instanceof ProcessOutcome.Exited(int code) && code == 0)) {
                LOG.warn("{} for {}: {}", argv.getFirst(), event, outcome);
            }
            return Optional.of(outcome);
        });
    }

    private static RealServerConfig realServer(VirtualServiceConfig service, InetSocketAddress address) {
        for (RealServerConfig rs : service.realServers()) {
            if (rs.address().equals(address)) {
                return rs;
            }
        }
        return new RealServerConfig(address, 0, false, null, null, List.of());
    }
}
