package io.tandem.core.config.model;

import java.util.OptionalInt;

/** A {@code track_file} line inside an instance or sync group: {@code NAME [weight W [reverse]]}. */
public record TrackedFile(String name, OptionalInt weight, boolean reverse) {
}
