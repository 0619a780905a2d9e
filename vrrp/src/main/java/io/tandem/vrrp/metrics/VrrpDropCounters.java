package io.tandem.vrrp.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.vrrp.packet.VrrpDropListener;
import io.tandem.vrrp.packet.VrrpDropReason;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Counts the packets the decoder and the dispatcher discard, labelled like the
 * instance meters. The instance name comes from {@link InstanceNames} when the
 * interface and VRID belong to a configured instance, else it is empty. Each counter
 * is looked up once and cached, so counting a flood of bad packets allocates nothing.
 * Used on one event loop.
 */
public final class VrrpDropCounters implements VrrpDropListener {
    /** Names the instance configured for a VRID on an interface. */
    @FunctionalInterface
    public interface InstanceNames {
        /** The instance name, or {@code null} when none is configured. */
        String instanceName(String interfaceName, int vrid);
    }

    private final MeterRegistry registry;
    private final InstanceNames instanceNames;
    private final Map<String, Counter[][]> byInterface = new HashMap<>();

    public VrrpDropCounters(MeterRegistry registry, InstanceNames instanceNames) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.instanceNames = Objects.requireNonNull(instanceNames, "instanceNames");
    }

    @Override
    public void dropped(VrrpDropReason reason, String interfaceName, int vrid) {
        Counter[][] counters = byInterface.computeIfAbsent(interfaceName,
                k -> new Counter[VrrpDropReason.values().length][256]);
        Counter counter = counters[reason.ordinal()][vrid];
        if (counter == null) {
            String instance = instanceNames.instanceName(interfaceName, vrid);
            counter = Counter.builder(VrrpMetricNames.forDrop(reason))
                    .tags(VrrpInstanceMetrics.tags(instance == null ? "" : instance, interfaceName, vrid))
                    .register(registry);
            counters[reason.ordinal()][vrid] = counter;
        }
        counter.increment();
    }
}
