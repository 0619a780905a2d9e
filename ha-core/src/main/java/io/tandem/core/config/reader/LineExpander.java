package io.tandem.core.config.reader;

import io.tandem.core.config.Diagnostics;
import io.tandem.core.config.Location;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;

/**
 * Turns one logical line into configuration lines, in keepalived's order (keepalived.conf(5)
 * "ADVANCED CONFIGURATION"): an {@code @id} / {@code @^id} condition, a {@code $NAME=value}
 * definition, a {@code ~SEQ}/{@code ~LST} repetition, then parameter substitution, after which the
 * result is processed again (it may hold several lines, conditions or definitions).
 */
final class LineExpander {
    /** Bounds recursive substitution ({@code $A=$A x}) and nested repetition. */
    static final int MAX_DEPTH = 64;
    /** Bounds the lines one source line may produce (nested {@code ~SEQ}). */
    static final int MAX_LINES = 1_000_000;

    private final String configId;
    private final Definitions definitions;
    private final Diagnostics diagnostics;
    private int produced;

    LineExpander(String configId, Definitions definitions, Diagnostics diagnostics) {
        this.configId = configId;
        this.definitions = definitions;
        this.diagnostics = diagnostics;
    }

    void expand(String text, Location at, Consumer<SourceLine> out) {
        process(text, at, out, 0);
    }

    private void process(String text, Location at, Consumer<SourceLine> out, int depth) {
        if (depth > MAX_DEPTH) {
            diagnostics.error(at, "parameter substitution nested more than " + MAX_DEPTH
                    + " levels deep (a definition that refers to itself?)");
            return;
        }
        String line = text.strip();
        if (line.isEmpty()) {
            return;
        }
        if (line.startsWith("@")) {
            line = conditional(line);
            if (line == null || line.isEmpty()) {
                return;
            }
        }
        Matcher def = Definitions.DEFINITION.matcher(line);
        if (def.matches()) {
            definitions.define(def.group(1), def.group(2).strip());
            return;
        }
        if (Repetition.startsRepetition(line)) {
            repeat(line, at, out, depth);
            return;
        }
        String substituted = definitions.substituteOnce(line, at.file());
        if (!substituted.equals(line)) {
            for (String part : substituted.split("\n", -1)) {
                process(part, at, out, depth + 1);
            }
            return;
        }
        if (++produced > MAX_LINES) {
            if (produced == MAX_LINES + 1) {
                diagnostics.error(at, "configuration expands to more than " + MAX_LINES + " lines");
            }
            return;
        }
        out.accept(new SourceLine(at, line));
    }

    /** The rest of an {@code @id} line if it applies to this config id, else null. */
    private String conditional(String line) {
        boolean negated = line.startsWith("@^");
        int start = negated ? 2 : 1;
        int end = start;
        while (end < line.length() && !Character.isWhitespace(line.charAt(end))) {
            end++;
        }
        boolean matches = line.substring(start, end).equals(configId);
        return matches != negated ? line.substring(end).strip() : null;
    }

    private void repeat(String line, Location at, Consumer<SourceLine> out, int depth) {
        Repetition repetition;
        try {
            repetition = Repetition.parse(line);
        } catch (IllegalArgumentException e) {
            diagnostics.error(at, e.getMessage());
            return;
        }
        for (Map<String, String> assignment : repetition.assignments()) {
            assignment.forEach(definitions::define);
            process(repetition.rest(), at, out, depth + 1);
            if (produced > MAX_LINES) {
                return;
            }
        }
    }
}
