package io.tandem.core.config.reader;

import io.tandem.core.config.Location;

/** One logical configuration line after includes, conditionals and substitution, with its origin. */
public record SourceLine(Location location, String text) {
}
