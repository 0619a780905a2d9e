package io.tandem.vrrp;

import java.util.Objects;

/**
 * Something an instance tracks (keepalived's {@code track_script}, {@code track_interface},
 * {@code track_file}...), by name, with its weight: 0 puts the instance in FAULT while the
 * tracker is down; a positive weight is added to the priority while it is up; a negative
 * weight is added while it is down.
 */
public record VrrpTracker(String name, int weight) {
    public VrrpTracker {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("invalid tracker name: \"" + name + "\" (expected: not blank)");
        }
        if (weight < -254 || weight > 254) {
            throw new IllegalArgumentException("invalid weight: " + weight + " (expected: -254 ~ 254)");
        }
    }
}
