package io.tandem.core.config;

import java.nio.file.Path;
import java.util.Objects;

/** One problem found in a configuration, printed as {@code file:line: severity: message}. */
public record Diagnostic(Path file, int line, Severity severity, String message) {
    public Diagnostic {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
    }

    public Diagnostic(Location location, Severity severity, String message) {
        this(location.file(), location.line(), severity, message);
    }

    public Location location() {
        return new Location(file, line);
    }

    /** {@code file:line: severity: message}, the format of {@code tandem check-config}. */
    public String format() {
        return file + ":" + line + ": " + severity.label() + ": " + message;
    }

    @Override
    public String toString() {
        return format();
    }
}
