package io.tandem.vrrp.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tandem.vrrp.VrrpState;
import io.tandem.vrrp.packet.VrrpDropReason;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters of one VRRP instance, labelled {@code iname, intf, vrid} like
 * keepalived-exporter. Every meter is registered up front, so updating one
 * allocates nothing. Updated on the instance's event loop, read by any thread.
 *
 * <p>{@link #close()} removes the gauges, so that an instance re-created under the
 * same name (a reload) reports its own values; counters stay and keep counting.
 */
public final class VrrpInstanceMetrics {
    private final MeterRegistry registry;
    private final Tags tags;
    private final AtomicInteger state = new AtomicInteger(VrrpState.INIT.metricValue());
    private final AtomicInteger priority = new AtomicInteger();
    private final AtomicLong lastTransitionMillis = new AtomicLong();
    private final Counter advertisementsReceived;
    private final Counter advertisementsSent;
    private final Counter becomeMaster;
    private final Counter releaseMaster;
    private final Counter priorityZeroReceived;
    private final Counter priorityZeroSent;
    private final Counter[] drops = new Counter[VrrpDropReason.values().length];
    private final Counter[][] transitions = new Counter[VrrpState.values().length][VrrpState.values().length];
    private final List<Meter> gauges;

    public VrrpInstanceMetrics(MeterRegistry registry, String instance, String interfaceName, int vrid) {
        this.registry = registry;
        this.tags = tags(instance, interfaceName, vrid);
        gauges = List.of(
                Gauge.builder(VrrpMetricNames.STATE, state, AtomicInteger::get)
                        .description("VRRP state: 0=INIT, 1=BACKUP, 2=MASTER, 3=FAULT").tags(tags).register(registry),
                Gauge.builder(VrrpMetricNames.PRIORITY, priority, AtomicInteger::get)
                        .description("effective VRRP priority").tags(tags).register(registry),
                Gauge.builder(VrrpMetricNames.LAST_TRANSITION, lastTransitionMillis, v -> v.get() / 1000.0)
                        .description("time of the last VRRP state change").baseUnit("seconds").tags(tags)
                        .register(registry));
        advertisementsReceived = counter(VrrpMetricNames.ADVERTISEMENTS_RECEIVED);
        advertisementsSent = counter(VrrpMetricNames.ADVERTISEMENTS_SENT);
        becomeMaster = counter(VrrpMetricNames.BECOME_MASTER);
        releaseMaster = counter(VrrpMetricNames.RELEASE_MASTER);
        priorityZeroReceived = counter(VrrpMetricNames.PRIORITY_ZERO_RECEIVED);
        priorityZeroSent = counter(VrrpMetricNames.PRIORITY_ZERO_SENT);
        for (VrrpDropReason reason : VrrpDropReason.values()) {
            drops[reason.ordinal()] = counter(VrrpMetricNames.forDrop(reason));
        }
        for (VrrpState from : VrrpState.values()) {
            for (VrrpState to : VrrpState.values()) {
                if (from != to) {
                    transitions[from.ordinal()][to.ordinal()] = Counter.builder(VrrpMetricNames.TRANSITIONS)
                            .tags(tags).tag("from", from.name()).tag("to", to.name()).register(registry);
                }
            }
        }
    }

    /** The {@code iname, intf, vrid} labels. */
    public static Tags tags(String instance, String interfaceName, int vrid) {
        return Tags.of(VrrpMetricNames.TAG_INSTANCE, instance, VrrpMetricNames.TAG_INTERFACE, interfaceName,
                VrrpMetricNames.TAG_VRID, Integer.toString(vrid));
    }

    private Counter counter(String name) {
        return Counter.builder(name).tags(tags).register(registry);
    }

    public void transition(VrrpState from, VrrpState to, long epochMillis) {
        state.set(to.metricValue());
        lastTransitionMillis.set(epochMillis);
        transitions[from.ordinal()][to.ordinal()].increment();
        if (to == VrrpState.MASTER) {
            becomeMaster.increment();
        } else if (from == VrrpState.MASTER) {
            releaseMaster.increment();
        }
    }

    public void priority(int effectivePriority) {
        priority.set(effectivePriority);
    }

    public void advertisementReceived(int advertPriority) {
        advertisementsReceived.increment();
        if (advertPriority == 0) {
            priorityZeroReceived.increment();
        }
    }

    public void advertisementSent(int advertPriority) {
        advertisementsSent.increment();
        if (advertPriority == 0) {
            priorityZeroSent.increment();
        }
    }

    public void dropped(VrrpDropReason reason) {
        drops[reason.ordinal()].increment();
    }

    /** Removes the gauges from the registry. */
    public void close() {
        for (Meter gauge : gauges) {
            registry.remove(gauge);
        }
    }
}
