package io.tandem.core.config.reader;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code $NAME=value} parameters of keepalived.conf(5) "Parameter substitution" and the
 * pre-defined {@code ${_PWD} ${_INSTANCE} ${_RANDOM [MIN [MAX]]} ${_HASH} ${_BANG}}.
 * Substitution is one level per call; the caller repeats it, so that multi-line values can be
 * split into lines before the lines they contain are expanded.
 */
final class Definitions {
    /** {@code $NAME=VALUE}: no space before '=', the name must not start with a digit. */
    static final Pattern DEFINITION = Pattern.compile("^\\$([A-Za-z_][A-Za-z0-9_]*)=(.*)$", Pattern.DOTALL);
    private static final Pattern RANDOM = Pattern.compile("_RANDOM(?:\\s+(\\d{1,18})(?:\\s+(\\d{1,18}))?)?\\s*");

    private final Map<String, String> values = new HashMap<>();
    private final String configId;
    private final RandomGenerator random;

    Definitions(String configId, RandomGenerator random) {
        this.configId = configId;
        this.random = random;
    }

    void define(String name, String value) {
        values.put(name, value);
    }

    /**
     * Replaces every {@code ${NAME}} and every {@code $NAME} followed by white space or the end of
     * the line whose NAME is defined; undefined ones are left as they are (keepalived.conf(5)).
     */
    String substituteOnce(String line, Path currentFile) {
        StringBuilder out = new StringBuilder(line.length());
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c != '$' || i + 1 >= line.length()) {
                out.append(c);
                i++;
                continue;
            }
            if (line.charAt(i + 1) == '{') {
                int close = line.indexOf('}', i + 2);
                Optional<String> value = close < 0 ? Optional.empty()
                        : lookup(line.substring(i + 2, close), currentFile);
                if (value.isPresent()) {
                    out.append(value.get());
                    i = close + 1;
                    continue;
                }
            } else {
                int end = i + 1;
                while (end < line.length() && isNameChar(line.charAt(end), end == i + 1)) {
                    end++;
                }
                boolean delimited = end == line.length() || Character.isWhitespace(line.charAt(end));
                Optional<String> value = end > i + 1 && delimited
                        ? lookup(line.substring(i + 1, end), currentFile) : Optional.empty();
                if (value.isPresent()) {
                    out.append(value.get());
                    i = end;
                    continue;
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    private static boolean isNameChar(char c, boolean first) {
        return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (!first && c >= '0' && c <= '9');
    }

    private Optional<String> lookup(String name, Path currentFile) {
        String value = values.get(name);
        if (value != null) {
            return Optional.of(value);
        }
        return switch (name) {
            case "_PWD" -> Optional.of(String.valueOf(currentFile.toAbsolutePath().getParent()));
            case "_INSTANCE" -> Optional.of(configId);
            case "_HASH" -> Optional.of("#");
            case "_BANG" -> Optional.of("!");
            default -> randomValue(name);
        };
    }

    private Optional<String> randomValue(String name) {
        Matcher m = RANDOM.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        long min = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
        long max = m.group(2) == null ? 32767 : Long.parseLong(m.group(2));
        if (max < min) {
            return Optional.of(Long.toString(min));
        }
        return Optional.of(Long.toString(min + random.nextLong(max - min + 1)));
    }
}
