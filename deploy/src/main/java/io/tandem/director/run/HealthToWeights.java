package io.tandem.director.run;

import io.tandem.forwarder.engine.ForwarderEngine;
import io.tandem.forwarder.engine.ServiceSpec;
import io.tandem.healthcheck.HealthEvent;
import io.tandem.healthcheck.HealthListener;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health events to forwarder weights: up -> the configured (or checker's)
 * weight, down -> 0 (drain: existing flows finish, new ones go elsewhere;
 * inhibit_on_failure or not: keepalived would remove the real server without
 * it, which with IPVS's default expire_nodest_conn drops its flows' packets;
 * draining keeps them), misc_dynamic -> the new weight. Keeps each real server's
 * health for /status; a real server is down until its checks first pass.
 */
final class HealthToWeights implements HealthListener {
    private static final Logger LOG = LoggerFactory.getLogger(HealthToWeights.class);

    private final ForwarderEngine engine;
    private volatile Map<String, ServiceSpec> services;
    private final Map<String, StatusReport.Health> health = new ConcurrentHashMap<>();

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
            case HealthEvent.QuorumLost q -> LOG.warn("service {}: quorum lost (live weight {})", q.service(),
                    q.liveWeight());
            case HealthEvent.QuorumRegained q -> LOG.info("service {}: quorum regained (live weight {})",
                    q.service(), q.liveWeight());
        }
    }

    private void apply(String service, InetSocketAddress rs, boolean up, int weight, String what) {
        health.put(key(service, rs), new StatusReport.Health(up, weight));
        ServiceSpec spec = services.get(service);
        if (spec == null || !(rs.getAddress() instanceof Inet4Address rip)) {
            LOG.warn("health event for unknown real server {} of {}", rs, service);
            return;
        }
        LOG.info("real server {}:{} of {} {}: weight {}", rip.getHostAddress(), rs.getPort(), service, what, weight);
        engine.setWeight(spec.address(), spec.protocol(), spec.port(), rip, rs.getPort(), weight)
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        LOG.warn("weight of {} in {} not set: {}", rs, service, failure.toString());
                    }
                });
    }
}
