package io.tandem.vrrp;

import java.util.Objects;

/**
 * Something an instance tracks (keepalived's {@code track_script}, {@code track_interface},
 * {@code track_file}...), by name, with its weight, as keepalived.conf(5) "VRRP script(s)" and
 * "Track files" describe them.
 *
 * <p>A {@link Kind#STATUS STATUS} tracker is up or down: weight 0 puts the instance in FAULT
 * while it is down; a positive weight is added to the priority while it is up; a negative
 * weight is added while it is down. {@code reverse} turns the adjustment round (a positive
 * weight is taken off while up, a negative one added while down; weight 0 is FAULT while up).
 *
 * <p>A {@link Kind#VALUE VALUE} tracker carries a number (a track file's contents): with weight
 * 0 a non-zero value is FAULT; otherwise value &times; weight (negated by {@code reverse}) is
 * added to the priority, and a result below -253 is FAULT.
 */
public record VrrpTracker(String name, int weight, boolean reverse, Kind kind) {
    /** Whether the tracker is up/down or carries a value. */
    public enum Kind {
        STATUS,
        VALUE
    }

    public VrrpTracker {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (name.isBlank()) {
            throw new IllegalArgumentException("invalid tracker name: \"" + name + "\" (expected: not blank)");
        }
        if (weight < -254 || weight > 254) {
            throw new IllegalArgumentException("invalid weight: " + weight + " (expected: -254 ~ 254)");
        }
    }

    /** An up/down tracker without reverse. */
    public VrrpTracker(String name, int weight) {
        this(name, weight, false, Kind.STATUS);
    }
}
