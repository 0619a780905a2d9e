package io.tandem.core.config;

/** How bad a {@link Diagnostic} is. */
public enum Severity {
    /** Tandem runs, but something keepalived would do is not done (an optional feature). */
    WARNING,
    /** Tandem would run differently from keepalived, or the value is invalid. */
    ERROR,
    /** The configuration cannot be run at all (main file missing or unreadable). */
    FATAL;

    /** The word printed in {@code file:line: severity: message}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
