package io.tandem.core.config.reader;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A parsed {@code ~SEQ(var, start, step, end)}, {@code ~SEQx(...)} or {@code ~LST(var, v1, v2 ...)}
 * prefix (keepalived.conf(5) "Sequence blocks", "List blocks"): the variable assignments, one map
 * per repetition of the rest of the line.
 */
record Repetition(List<Map<String, String>> assignments, String rest) {
    /** The most repetitions one prefix may produce, so that a typo cannot exhaust memory. */
    static final int MAX_REPETITIONS = 100_000;

    static boolean startsRepetition(String line) {
        return line.startsWith("~SEQ(") || line.startsWith("~SEQx(") || line.startsWith("~LST(");
    }

    /**
     * Parses the prefix of {@code line}.
     *
     * @throws IllegalArgumentException with a message naming the value and what was expected
     */
    static Repetition parse(String line) {
        int open = line.indexOf('(');
        int close = matchingParen(line, open);
        if (close < 0) {
            throw new IllegalArgumentException("unterminated " + line.substring(0, open) + "(: missing ')'");
        }
        String kind = line.substring(1, open);
        String body = line.substring(open + 1, close);
        String rest = line.substring(close + 1).strip();
        List<String> parts = splitTopLevel(body);
        return kind.equals("LST") ? list(parts, rest) : sequence(kind.equals("SEQx"), parts, rest);
    }

    private static Repetition sequence(boolean hex, List<String> parts, String rest) {
        if (parts.size() < 2 || parts.size() > 4) {
            throw new IllegalArgumentException("invalid ~SEQ(" + String.join(",", parts)
                    + ") (expected: ~SEQ(var, [start, [step,]] end))");
        }
        String var = variable(parts.getFirst());
        long end = number(parts.getLast());
        long start = parts.size() >= 3 ? number(parts.get(1)) : (end >= 0 ? 1 : -1);
        long step = parts.size() == 4 ? number(parts.get(2)) : (end >= start ? 1 : -1);
        if (step == 0) {
            throw new IllegalArgumentException("invalid ~SEQ step: 0 (expected: non-zero)");
        }
        List<Map<String, String>> out = new ArrayList<>();
        for (long v = start; step > 0 ? v <= end : v >= end; v += step) {
            if (out.size() >= MAX_REPETITIONS) {
                throw new IllegalArgumentException("~SEQ produces more than " + MAX_REPETITIONS + " lines");
            }
            out.add(Map.of(var, hex ? Long.toHexString(v) : Long.toString(v)));
        }
        return new Repetition(out, rest);
    }

    private static Repetition list(List<String> parts, String rest) {
        if (parts.size() < 2) {
            throw new IllegalArgumentException("invalid ~LST(" + String.join(",", parts)
                    + ") (expected: ~LST(var, value, ...))");
        }
        List<String> vars = braced(parts.getFirst()).stream().map(Repetition::variable).toList();
        List<Map<String, String>> out = new ArrayList<>();
        for (String valueSpec : parts.subList(1, parts.size())) {
            List<String> values = braced(valueSpec);
            if (values.size() != vars.size()) {
                throw new IllegalArgumentException("~LST values " + valueSpec + ": " + values.size()
                        + " values (expected: " + vars.size() + ", one per variable)");
            }
            java.util.LinkedHashMap<String, String> m = new java.util.LinkedHashMap<>();
            for (int i = 0; i < vars.size(); i++) {
                m.put(vars.get(i), values.get(i));
            }
            out.add(m);
        }
        return new Repetition(out, rest);
    }

    private static List<String> braced(String spec) {
        String s = spec.strip();
        if (s.startsWith("{") && s.endsWith("}")) {
            return splitTopLevel(s.substring(1, s.length() - 1));
        }
        return List.of(s);
    }

    private static String variable(String s) {
        String v = s.strip();
        if (!v.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("invalid variable name: '" + v
                    + "' (expected: letters, digits and '_', not starting with a digit)");
        }
        return v;
    }

    private static long number(String s) {
        String v = s.strip();
        try {
            boolean negative = v.startsWith("-");
            String digits = negative ? v.substring(1) : v;
            long n = digits.startsWith("0x") || digits.startsWith("0X")
                    ? Long.parseLong(digits.substring(2), 16) : Long.parseLong(digits);
            return negative ? -n : n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid ~SEQ number: '" + v + "' (expected: an integer, decimal or 0x hex)");
        }
    }

    private static int matchingParen(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> splitTopLevel(String body) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(body.substring(from, i).strip());
                from = i + 1;
            }
        }
        out.add(body.substring(from).strip());
        return out;
    }
}
