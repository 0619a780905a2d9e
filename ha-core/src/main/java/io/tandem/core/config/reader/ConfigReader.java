package io.tandem.core.config.reader;

import io.tandem.core.config.Diagnostics;
import io.tandem.core.config.Location;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Reads keepalived.conf and the files it includes into {@link SourceLine}s: comments ({@code #} and
 * {@code !}, outside quotes) removed, {@code include GLOB} followed (relative to the including file,
 * with a guard against include loops), multi-line {@code $NAME=} definitions joined, then each line
 * expanded by {@link LineExpander}. As in keepalived, includes are recognised before conditions and
 * substitution, so an include line cannot be conditional.
 */
public final class ConfigReader {
    /** keepalived's own limit on nested includes is of the same order. */
    static final int MAX_INCLUDE_DEPTH = 32;

    private final Diagnostics diagnostics;
    private final LineExpander expander;
    private final Deque<Path> includeStack = new ArrayDeque<>();
    private final List<SourceLine> lines = new ArrayList<>();

    public ConfigReader(String configId, Diagnostics diagnostics) {
        this(configId, diagnostics, RandomGenerator.getDefault());
    }

    public ConfigReader(String configId, Diagnostics diagnostics, RandomGenerator random) {
        this.diagnostics = diagnostics;
        this.expander = new LineExpander(configId, new Definitions(configId, random), diagnostics);
    }

    /** Reads {@code file}; an unreadable main file is a FATAL diagnostic and gives no lines. */
    public List<SourceLine> read(Path file) {
        Path main = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(main)) {
            diagnostics.fatal(Location.ofFile(main), "configuration file not found: " + file);
            return List.of();
        }
        readFile(main, null);
        return List.copyOf(lines);
    }

    /**
     * Reads a configuration given as {@code text} (a znode's data), its lines named {@code source}
     * ({@code zk://HOST:PORT/PATH}) in every message. Its includes name local files: relative ones
     * from {@code includeBase}, which is also its {@code $_PWD}.
     */
    public List<SourceLine> read(String source, String text, Path includeBase) {
        Path pseudo = includeBase.toAbsolutePath().normalize().resolve(".tandem-config");
        includeStack.push(pseudo);
        try {
            readLines(pseudo, source, text.lines().toList());
        } finally {
            includeStack.pop();
        }
        return List.copyOf(lines);
    }

    private void readFile(Path file, Location includedFrom) {
        if (includeStack.contains(file)) {
            diagnostics.error(includedFrom, "include loop: " + file + " is already being read");
            return;
        }
        if (includeStack.size() >= MAX_INCLUDE_DEPTH) {
            diagnostics.error(includedFrom, "includes nested more than " + MAX_INCLUDE_DEPTH + " deep");
            return;
        }
        List<String> raw;
        try {
            raw = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            Location at = includedFrom == null ? Location.ofFile(file) : includedFrom;
            diagnostics.report(at, includedFrom == null ? io.tandem.core.config.Severity.FATAL
                    : io.tandem.core.config.Severity.ERROR, "cannot read " + file + ": " + e.getMessage());
            return;
        }
        includeStack.push(file);
        try {
            readLines(file, file.toString(), raw);
        } finally {
            includeStack.pop();
        }
    }

    private void readLines(Path file, String source, List<String> raw) {
        for (int i = 0; i < raw.size(); i++) {
            String text = stripComment(raw.get(i)).strip();
            if (text.isEmpty()) {
                continue;
            }
            Location at = new Location(file, i + 1, source);
            String first = text.split("\\s+", 2)[0];
            if (Includes.isIncludeKeyword(first)) {
                include(file, first, text.substring(first.length()).strip(), at);
                continue;
            }
            if (text.endsWith("\\") && isDefinitionStart(text)) {
                StringBuilder joined = new StringBuilder(text.substring(0, text.length() - 1));
                while (++i < raw.size()) {
                    String next = stripComment(raw.get(i)).strip();
                    if (next.isEmpty()) {
                        continue;
                    }
                    boolean more = next.endsWith("\\");
                    joined.append('\n').append(more ? next.substring(0, next.length() - 1) : next);
                    if (!more) {
                        break;
                    }
                }
                text = joined.toString();
            }
            expander.expand(text, at, lines::add);
        }
    }

    private static boolean isDefinitionStart(String text) {
        String t = text;
        if (t.startsWith("@")) {
            int space = t.indexOf(' ');
            t = space < 0 ? "" : t.substring(space).strip();
        }
        return t.startsWith("$") && t.indexOf('=') > 0 && Definitions.DEFINITION.matcher(t).matches();
    }

    private void include(Path file, String keyword, String pattern, Location at) {
        if (pattern.isEmpty()) {
            diagnostics.error(at, keyword + ": missing file name (expected: " + keyword + " FILE|GLOB)");
            return;
        }
        List<Path> matches = Includes.expand(file.getParent(), unquote(pattern));
        if (matches.isEmpty()) {
            String message = keyword + " " + pattern + ": no file matches";
            if (keyword.equals("include") || keyword.equals("includer")) {
                diagnostics.warning(at, message + " (keepalived ignores this too)");
            } else {
                diagnostics.error(at, message);
            }
            return;
        }
        for (Path match : matches) {
            readFile(match, at);
        }
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.charAt(0) == '"' || s.charAt(0) == '\'') && s.charAt(s.length() - 1) == s.charAt(0)) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    /** The line up to the first {@code #} or {@code !} that is not inside quotes. */
    static String stripComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#' || c == '!') {
                return line.substring(0, i);
            }
        }
        return line;
    }
}
