package io.tandem.core.config.model;

/** A {@code track_interface} line: {@code IFNAME [weight W [reverse]]}; weight 0 means FAULT when down. */
public record TrackedInterface(String name, int weight, boolean reverse) {
}
