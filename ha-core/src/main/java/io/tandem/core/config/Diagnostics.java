package io.tandem.core.config;

import java.util.ArrayList;
import java.util.List;

/** Collects the {@link Diagnostic}s of one configuration load, in the order they were found. */
public final class Diagnostics {
    private final List<Diagnostic> list = new ArrayList<>();

    public void warning(Location at, String message) {
        list.add(new Diagnostic(at, Severity.WARNING, message));
    }

    public void error(Location at, String message) {
        list.add(new Diagnostic(at, Severity.ERROR, message));
    }

    public void fatal(Location at, String message) {
        list.add(new Diagnostic(at, Severity.FATAL, message));
    }

    public void report(Location at, Severity severity, String message) {
        list.add(new Diagnostic(at, severity, message));
    }

    public boolean hasErrors() {
        return list.stream().anyMatch(d -> d.severity() != Severity.WARNING);
    }

    public int size() {
        return list.size();
    }

    /** An unmodifiable copy, in the order found. */
    public List<Diagnostic> list() {
        return List.copyOf(list);
    }
}
