package io.tandem.core.config.model;

import java.util.OptionalInt;

/** A {@code track_script} line: {@code SCRIPT [weight W [reverse]]}; without weight the script's own applies. */
public record TrackedScript(String name, OptionalInt weight, boolean reverse) {
}
