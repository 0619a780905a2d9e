package io.tandem.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a configuration line came from: the file, its 1-based line number, and how messages name the
 * source ({@code source}: the file's path, or {@code zk://HOST:PORT/PATH} for a configuration read from a
 * znode, whose {@code file} is only the base of relative includes). Lines produced by {@code $VAR}
 * expansion or {@code ~SEQ} repetition carry the location of the line that produced them.
 */
public record Location(Path file, int line, String source) {
    public Location {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(source, "source");
        if (line < 0) {
            throw new IllegalArgumentException("invalid line: " + line + " (expected: >= 0)");
        }
    }

    /** A line of a file, named by its path. */
    public Location(Path file, int line) {
        this(file, line, file.toString());
    }

    /** A location for a whole file (line 0), used when the file itself cannot be read. */
    public static Location ofFile(Path file) {
        return new Location(file, 0);
    }

    /** {@code source:line}. */
    @Override
    public String toString() {
        return source + ":" + line;
    }
}
