package io.tandem.vrrp.engine;

import io.tandem.vrrp.VrrpTracker;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trackers of one instance and what they make of its priority (keepalived's
 * effective priority): base plus the weight of each positive-weight tracker that is up
 * and each negative-weight tracker that is down, clamped to 1 ~ 254; an address owner
 * stays at 255 whatever its trackers say. A weight-0 tracker that is down is a fault.
 */
final class TrackerSet {
    private final int basePriority;
    private final Map<String, Integer> weights = new LinkedHashMap<>();
    private final Map<String, Boolean> up = new LinkedHashMap<>();

    TrackerSet(int basePriority, List<VrrpTracker> trackers) {
        this.basePriority = basePriority;
        for (VrrpTracker tracker : trackers) {
            weights.put(tracker.name(), tracker.weight());
            up.put(tracker.name(), Boolean.TRUE);
        }
    }

    /** Records a tracker's state; returns whether it changed. */
    boolean set(String name, boolean isUp) {
        if (!weights.containsKey(name)) {
            throw new IllegalArgumentException("invalid tracker: \"" + name + "\" (expected: one of " + weights.keySet() + ")");
        }
        return up.put(name, isUp) != isUp;
    }

    /** Whether a weight-0 tracker is down. */
    boolean fault() {
        for (Map.Entry<String, Integer> e : weights.entrySet()) {
            if (e.getValue() == 0 && !up.get(e.getKey())) {
                return true;
            }
        }
        return false;
    }

    /** The effective priority. */
    int effectivePriority() {
        if (basePriority == 255) {
            return 255;
        }
        int priority = basePriority;
        for (Map.Entry<String, Integer> e : weights.entrySet()) {
            int weight = e.getValue();
            boolean isUp = up.get(e.getKey());
            if ((weight > 0 && isUp) || (weight < 0 && !isUp)) {
                priority += weight;
            }
        }
        return Math.clamp(priority, 1, 254);
    }
}
