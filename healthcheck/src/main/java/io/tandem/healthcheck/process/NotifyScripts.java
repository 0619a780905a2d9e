package io.tandem.healthcheck.process;

import io.tandem.core.config.model.ScriptCommand;
import io.tandem.core.process.CommandRunner;
import io.tandem.core.process.ProcessOutcome;
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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs keepalived's alert commands for health events: a real server's
 * {@code notify_up} / {@code notify_down}, a service's {@code quorum_up} /
 * {@code quorum_down}; fire and forget through the {@link CommandRunner}
 * (killed after {@code timeout}), as the command's user when it names one.
 * Kept apart from the checkers and the schedule. {@link #configure} is called
 * with each loaded configuration.
 *
 * <p>As keepalived (without {@code rs_init_notifies}), the first event of a
 * real server, which only states where it starts, runs no command; every
 * later change does. Quorum events always run theirs (keepalived's
 * "Starting with quorum down" runs {@code quorum_down}).
 */
public final class NotifyScripts implements HealthListener {
    private static final Logger LOG = LoggerFactory.getLogger(NotifyScripts.class);

    private final CommandRunner runner;
    private final Duration timeout;
    private volatile Map<String, VirtualServiceConfig> services = Map.of();
    /** Real servers whose starting state was seen (health events come from one thread, in order). */
    private final Set<String> started = ConcurrentHashMap.newKeySet();

    public NotifyScripts(CommandRunner runner, Duration timeout) {
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
        ScriptCommand command = switch (event) {
            case HealthEvent.RealServerUp up -> startedBefore(up) ? realServer(service, up.realServer()).notifyUp()
                    : null;
            case HealthEvent.RealServerDown down -> startedBefore(down)
                    ? realServer(service, down.realServer()).notifyDown() : null;
            case HealthEvent.QuorumRegained ignored -> service.quorumUp();
            case HealthEvent.QuorumLost ignored -> service.quorumDown();
            case HealthEvent.RealServerWeightChanged ignored -> null;
        };
        if (command == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        List<String> argv = command.argv();
        return runner.run(argv, command.user().orElse(null), timeout).thenApply(outcome -> {
            if (!(outcome instanceof ProcessOutcome.Exited(int code) && code == 0)) {
                LOG.warn("{} for {}: {}", argv.getFirst(), event, outcome);
            }
            return Optional.of(outcome);
        });
    }

    /** False for the first event of a real server (its starting state), true after. */
    private boolean startedBefore(HealthEvent event) {
        InetSocketAddress rs = switch (event) {
            case HealthEvent.RealServerUp up -> up.realServer();
            case HealthEvent.RealServerDown down -> down.realServer();
            default -> throw new IllegalArgumentException("not a real-server event: " + event);
        };
        return !started.add(event.service() + " " + rs);
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
