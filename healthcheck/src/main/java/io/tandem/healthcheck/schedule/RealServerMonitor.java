package io.tandem.healthcheck.schedule;

import io.tandem.healthcheck.HealthEvent;
import io.tandem.healthcheck.config.RealServerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The checkers of one real server: it is up when all of them are up (none:
 * always up). Its weight is the configured one unless a MISC_CHECK with
 * {@code misc_dynamic} set another. Changes go to the service as events.
 */
final class RealServerMonitor implements CheckerRunner.Owner {
    private final VirtualServiceMonitor service;
    private RealServerConfig config;
    private final List<CheckerRunner> runners;
    private boolean up;
    private int weight;

    RealServerMonitor(VirtualServiceMonitor service, RealServerConfig config, List<CheckerRunner> runners) {
        this.service = service;
        this.config = config;
        this.runners = new ArrayList<>(runners);
        this.up = allUp();
        this.weight = effectiveWeight();
    }

    RealServerConfig config() {
        return config;
    }

    List<CheckerRunner> runners() {
        return runners;
    }

    boolean isUp() {
        return up;
    }

    int weight() {
        return weight;
    }

    /** The weight this server adds to the service's quorum. */
    long liveWeight() {
        return up ? weight : 0;
    }

    /** The event telling the director this server's current state (start, new server). */
    HealthEvent currentStateEvent() {
        return up ? new HealthEvent.RealServerUp(service.name(), config.address(), weight)
                : new HealthEvent.RealServerDown(service.name(), config.address(), disposition());
    }

    /** After a reload: new settings (weight, inhibit) for the same address; emits what changed. */
    void reconfigure(RealServerConfig newConfig, List<CheckerRunner> newRunners) {
        config = newConfig;
        runners.clear();
        runners.addAll(newRunners);
        recompute();
    }

    void stop() {
        runners.forEach(CheckerRunner::stop);
    }

    @Override
    public void checkerChanged(CheckerRunner runner) {
        recompute();
    }

    private void recompute() {
        long liveBefore = liveWeight();
        boolean nowUp = allUp();
        int nowWeight = effectiveWeight();
        int oldWeight = weight;
        weight = nowWeight;
        service.liveWeightChanged(this, (nowUp ? nowWeight : 0) - liveBefore);
        if (nowUp != up) {
            up = nowUp;
            service.realServerChanged(currentStateEvent());
        } else if (up && nowWeight != oldWeight) {
            service.realServerChanged(
                    new HealthEvent.RealServerWeightChanged(service.name(), config.address(), oldWeight, nowWeight));
        }
    }

    private HealthEvent.Disposition disposition() {
        return config.inhibitOnFailure() ? HealthEvent.Disposition.DRAIN : HealthEvent.Disposition.REMOVE;
    }

    private boolean allUp() {
        for (CheckerRunner r : runners) {
            if (!r.isUp()) {
                return false;
            }
        }
        return true;
    }

    private int effectiveWeight() {
        for (CheckerRunner r : runners) {
            OptionalInt w = r.dynamicWeight();
            if (w.isPresent()) {
                return w.getAsInt();
            }
        }
        return config.weight();
    }
}
