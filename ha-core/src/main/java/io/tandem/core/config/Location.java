package io.tandem.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a configuration line came from: the file and its 1-based line number. Lines produced by
 * {@code $VAR} expansion or {@code ~SEQ} repetition carry the location of the line that produced them.
 */
public record Location(Path file, int line) {
    public Location {
        Objects.requireNonNull(file, "file");
        if (line < 0) {
            throw new IllegalArgumentException("invalid line: " + line + " (expected: >= 0)");
        }
    }

    /** A location for a whole file (line 0), used when the file itself cannot be read. */
    public static Location ofFile(Path file) {
        return new Location(file, 0);
    }

    @Override
    public String toString() {
        return file + ":" + line;
    }
}
