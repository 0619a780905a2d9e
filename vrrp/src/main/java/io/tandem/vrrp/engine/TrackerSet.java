package io.tandem.vrrp.engine;

import io.tandem.vrrp.VrrpTracker;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trackers of one instance and what they make of its priority (keepalived's
 * effective priority): base plus each tracker's adjustment (see {@link VrrpTracker}),
 * clamped to 1 ~ 254; an address owner stays at 255 whatever its trackers say. A weight-0
 * tracker that is down (up, with reverse), a weight-0 value tracker with a non-zero value,
 * and a value tracker whose value &times; weight is below -253 are faults (keepalived.conf(5)
 * "VRRP script(s)", "Track files").
 */
final class TrackerSet {
    /** keepalived.conf(5) "Track files": a result below this is FAULT. */
    static final long VALUE_FAULT_BELOW = -253;

    private static final class State {
        final VrrpTracker tracker;
        boolean up = true;
        long value;

        State(VrrpTracker tracker) {
            this.tracker = tracker;
        }

        boolean fault() {
            VrrpTracker t = tracker;
            if (t.kind() == VrrpTracker.Kind.STATUS) {
                return t.weight() == 0 && (t.reverse() == up);
            }
            long v = t.reverse() ? -value : value;
            return t.weight() == 0 ? v != 0 : v * t.weight() < VALUE_FAULT_BELOW;
        }

        long adjustment() {
            VrrpTracker t = tracker;
            int weight = t.weight();
            if (weight == 0 || fault()) {
                return 0;
            }
            if (t.kind() == VrrpTracker.Kind.STATUS) {
                boolean applies = weight > 0 ? up : !up;
                return applies ? (t.reverse() ? -weight : weight) : 0;
            }
            return (t.reverse() ? -value : value) * weight;
        }
    }

    private final int basePriority;
    private final Map<String, State> trackers = new LinkedHashMap<>();

    TrackerSet(int basePriority, List<VrrpTracker> trackers) {
        this.basePriority = basePriority;
        for (VrrpTracker tracker : trackers) {
            this.trackers.put(tracker.name(), new State(tracker));
        }
    }

    /** Records an up/down tracker's state; returns whether it changed. */
    boolean set(String name, boolean isUp) {
        State s = state(name, VrrpTracker.Kind.STATUS);
        boolean changed = s.up != isUp;
        s.up = isUp;
        return changed;
    }

    /** Records a value tracker's value; returns whether it changed. */
    boolean setValue(String name, long value) {
        State s = state(name, VrrpTracker.Kind.VALUE);
        // far beyond any priority: clamped so that value * weight cannot overflow
        long clamped = Math.clamp(value, -(1L << 40), 1L << 40);
        boolean changed = s.value != clamped;
        s.value = clamped;
        return changed;
    }

    private State state(String name, VrrpTracker.Kind kind) {
        State s = trackers.get(name);
        if (s == null) {
            throw new IllegalArgumentException("invalid tracker: \"" + name + "\" (expected: one of "
                    + trackers.keySet() + ")");
        }
        if (s.tracker.kind() != kind) {
            throw new IllegalArgumentException("invalid use of tracker \"" + name + "\": it is a " + s.tracker.kind()
                    + " tracker (expected: a " + kind + " tracker)");
        }
        return s;
    }

    /** Whether a tracker puts the instance in FAULT. */
    boolean fault() {
        for (State s : trackers.values()) {
            if (s.fault()) {
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
        long priority = basePriority;
        for (State s : trackers.values()) {
            priority += s.adjustment();
        }
        return (int) Math.clamp(priority, 1, 254);
    }
}
