package io.tandem.director.run;

import io.tandem.forwarder.engine.ForwarderEngine;
import io.tandem.forwarder.engine.RealServerSpec;
import io.tandem.forwarder.engine.ServiceAddress;
import io.tandem.forwarder.engine.ServiceSpec;
import io.tandem.healthcheck.config.VirtualServiceConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The forwarder's part of a reload ({@link ServiceChanges}), through its runtime API, removals
 * first. Unchanged services are not touched. A changed service keeps the weights its real servers
 * have now (the checks own them) and gets its new real servers at weight 0, raised by their first
 * check; a new service likewise. A change the forwarder refuses leaves that service as it was,
 * and is reported; the rest goes on.
 */
final class ServiceReload {
    /** How long a reload waits for each forwarder change. */
    private static final long CHANGE_TIMEOUT_SECONDS = 15;

    private final List<String> failures = new ArrayList<>();
    private final Set<ServiceAddress> refused = new HashSet<>();
    private final List<ServiceSpec> applied;

    /** Applies {@code changes} from {@code configured} (the running file's services) to {@code engine}. */
    ServiceReload(ForwarderEngine engine, List<ServiceSpec> configured, ServiceChanges changes) {
        Map<ServiceAddress, ServiceSpec> running = new LinkedHashMap<>();
        engine.specs().forEach(s -> running.put(s.serviceAddress(), s));
        Map<ServiceAddress, ServiceSpec> result = new LinkedHashMap<>();
        configured.forEach(s -> result.put(s.serviceAddress(), s));
        changes.unchanged().forEach(s -> result.put(s.serviceAddress(), s)); // the new file's order of real servers
        for (ServiceSpec s : changes.removed()) {
            if (done(engine.removeService(s.serviceAddress()), "remove " + s, s)) {
                result.remove(s.serviceAddress());
            }
        }
        for (ServiceChanges.Change c : changes.changed()) {
            ServiceSpec now = running.get(c.next().serviceAddress());
            List<RealServerSpec> reals = new ArrayList<>();
            for (RealServerSpec r : c.next().realServers()) {
                int weight = now == null ? 0 : now.realServer(r.address(), r.port()).map(RealServerSpec::weight)
                        .orElse(0);
                reals.add(r.withWeight(weight));
            }
            if (done(engine.editService(c.next().withRealServers(reals)), "change " + c, c.next())) {
                result.put(c.next().serviceAddress(), c.next());
            }
        }
        for (ServiceSpec s : changes.added()) {
            ServiceSpec drained = s.withRealServers(s.realServers().stream().map(r -> r.withWeight(0)).toList());
            if (done(engine.addService(drained), "add " + s, s)) {
                result.put(s.serviceAddress(), s);
            }
        }
        applied = List.copyOf(result.values());
    }

    private boolean done(CompletableFuture<Void> change, String what, ServiceSpec service) {
        try {
            change.get(CHANGE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            failures.add(what + ": " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            failures.add(what + ": not done within " + CHANGE_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add(what + ": interrupted");
        }
        refused.add(service.serviceAddress());
        return false;
    }

    /** The services as the forwarder has them now: the new file's, the old one's where a change was refused. */
    List<ServiceSpec> applied() {
        return applied;
    }

    /** What the forwarder refused, one line each. */
    List<String> failures() {
        return List.copyOf(failures);
    }

    /** The checks for {@link #applied}: the new file's, the old file's where a change was refused. */
    List<VirtualServiceConfig> health(List<VirtualServiceConfig> oldHealth, List<VirtualServiceConfig> nextHealth) {
        List<VirtualServiceConfig> out = new ArrayList<>();
        for (ServiceSpec s : applied) {
            String key = ServiceMapping.key(s);
            (refused.contains(s.serviceAddress()) ? oldHealth : nextHealth).stream()
                    .filter(h -> h.name().equals(key)).findFirst().ifPresent(out::add);
        }
        return out;
    }
}
