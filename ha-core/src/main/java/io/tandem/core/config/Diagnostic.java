package io.tandem.core.config;

import java.nio.file.Path;
import java.util.Objects;

/** One problem found in a configuration, printed as {@code file:line: severity: message}. */
public record Diagnostic(Location location, Severity severity, String message) {
    public Diagnostic {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
    }

    public Diagnostic(Path file, int line, Severity severity, String message) {
        this(new Location(file, line), severity, message);
    }

    public Path file() {
        return location.file();
    }

    public int line() {
        return location.line();
    }

    /** {@code file:line: severity: message} (the source's name for a znode), the format of {@code tandem check-config}. */
    public String format() {
        return location + ": " + severity.label() + ": " + message;
    }

    @Override
    public String toString() {
        return format();
    }
}
