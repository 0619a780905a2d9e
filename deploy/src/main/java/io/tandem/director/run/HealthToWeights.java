package io.tandem.director.run;

import io.tandem.forwarder.engine.ForwarderEngine;
import io.tandem.forwarder.engine.RealServerSpec;
import io.tandem.forwarder.engine.ServiceSpec;
import io.tandem.healthcheck.HealthEvent;
import io.tandem.healthcheck.HealthListener;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health events to forwarder weights: up -> the configured (or checker's)
 * weight, down -> 0 (drain: existing flows finish, new ones go elsewhere;
 * inhibit_on_failure or not: keepalived would remove the real server without
 * it, which with IPVS's default expire_nodest_conn drops its flows' packets;
 * draining keeps them), misc_dynamic -> the new weight. A service that loses its
 * quorum and has a {@code sorry_server} switches to it as keepalived does
 * ({@code update_quorum_state}): the live real servers go to weight 0 and the
 * sorry server to 1; while it serves, real-server changes are only recorded;
 * when the quorum is back, the sorry server goes to 0 and every real server
 * to its recorded weight. Keeps each real server's health for /status; a real
 * server is down until its checks first pass.
 */
final class HealthToWeights implements HealthListener {
    private static final Logger LOG = LoggerFactory.getLogger(HealthToWeights.class);
    /** keepalived gives a sorry server weight 1 (its {@code iweight} default). */
    static final int SORRY_SERVER_WEIGHT = 1;

    private final ForwarderEngine engine;
    private volatile Map<String, ServiceSpec> services;
    private final Map<String, StatusReport.Health> health = new ConcurrentHashMap<>();
    /** Services whose traffic goes to their sorry server right now. */
    private final Set<String> onSorryServer = ConcurrentHashMap.newKeySet();

    HealthToWeights(ForwarderEngine engine, Map<String, ServiceSpec> servicesByKey) {
        this.engine = engine;
        this.services = Map.copyOf(servicesByKey);
    }

    /** After a reload: the services that events now refer to. */
    void services(Map<String, ServiceSpec> servicesByKey) {
        this.services = Map.copyOf(servicesByKey);
    }

    static String key(String service, InetSocketAddress realServer) {
        return service + " " + realServer.getAddress().getHostAddress() + ":" + realServer.getPort();
    }

    Optional<StatusReport.Health> health(String service, InetSocketAddress realServer) {
        return Optional.ofNullable(health.get(key(service, realServer)));
    }

    @Override
    public void onEvent(HealthEvent event) {
        switch (event) {
            case HealthEvent.RealServerUp up -> apply(up.service(), up.realServer(), true, up.weight(), "up");
            case HealthEvent.RealServerDown down -> apply(down.service(), down.realServer(), false, 0,
                    "down (" + down.disposition().name().toLowerCase(java.util.Locale.ROOT) + ")");
            case HealthEvent.RealServerWeightChanged w -> apply(w.service(), w.realServer(), true, w.newWeight(),
                    "weight " + w.oldWeight() + " -> " + w.newWeight());
            case HealthEvent.QuorumLost q -> {
                LOG.warn("service {}: quorum lost (live weight {}){}", q.service(), q.liveWeight(),
                        q.sorryServer() == null ? "" : ", sorry server " + q.sorryServer() + " serves");
                if (q.sorryServer() != null && onSorryServer.add(q.service())) {
                    switchToSorryServer(q.service(), q.sorryServer(), true);
                }
            }
            case HealthEvent.QuorumRegained q -> {
                LOG.info("service {}: quorum regained (live weight {})", q.service(), q.liveWeight());
                if (onSorryServer.remove(q.service())) {
                    switchToSorryServer(q.service(), null, false);
                }
            }
        }
    }

    private void apply(String service, InetSocketAddress rs, boolean up, int weight, String what) {
        health.put(key(service, rs), new StatusReport.Health(up, weight));
        if (onSorryServer.contains(service)) {
            LOG.info("real server {} of {} {}: weight kept at 0 while the sorry server serves", rs, service, what);
            return;
        }
        LOG.info("real server {} of {} {}: weight {}", rs, service, what, weight);
        setWeight(service, rs, weight);
    }

    /**
     * On: every real server of the pool to 0, then the sorry server to {@link #SORRY_SERVER_WEIGHT}. Off:
     * every one to the weight its health says, which is 0 for the sorry server (it has no checks) unless it
     * is one of the real servers.
     */
    private void switchToSorryServer(String service, InetSocketAddress sorry, boolean on) {
        ServiceSpec spec = services.get(service);
        if (spec == null) {
            LOG.warn("quorum event for unknown service {}", service);
            return;
        }
        if (on) {
            for (RealServerSpec r : spec.realServers()) {
                setWeight(service, new InetSocketAddress(r.address(), r.port()), 0);
            }
            setWeight(service, sorry, SORRY_SERVER_WEIGHT);
            return;
        }
        for (RealServerSpec r : spec.realServers()) {
            InetSocketAddress rs = new InetSocketAddress(r.address(), r.port());
            StatusReport.Health h = health.get(key(service, rs));
            setWeight(service, rs, h != null && h.up() ? h.weight() : 0);
        }
    }

    private void setWeight(String service, InetSocketAddress rs, int weight) {
        ServiceSpec spec = services.get(service);
        if (spec == null || !(rs.getAddress() instanceof Inet4Address rip)) {
            LOG.warn("health event for unknown real server {} of {}", rs, service);
            return;
        }
        engine.setWeight(spec.address(), spec.protocol(), spec.port(), rip, rs.getPort(), weight)
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        LOG.warn("weight of {} in {} not set: {}", rs, service, failure.toString());
                    }
                });
    }
}
