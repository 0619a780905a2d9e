package io.tandem.core.config.model;

import io.tandem.core.config.Location;
import java.nio.file.Path;
import java.util.OptionalLong;

/** A top-level {@code track_file} block: the file, its default weight, and the value to initialise it with. */
public record TrackFile(String name, Location location, Path file, int weight, boolean weightReverse,
                        OptionalLong initValue, boolean initOverwrite) {
}
