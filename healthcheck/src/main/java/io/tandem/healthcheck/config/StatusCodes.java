package io.tandem.healthcheck.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code status_code} set of an HTTP_GET/SSL_GET url: single codes and
 * ranges ({@code "200-299 301 302"}); keepalived's default is 200-299.
 */
public record StatusCodes(List<Range> ranges) {

    /** An inclusive range of status codes. */
    public record Range(int from, int to) {
        public Range {
            if (from < 100 || to > 999 || from > to) {
                throw new IllegalArgumentException(
                        "invalid status_code range: " + from + "-" + to + " (expected: 100 ~ 999, from <= to)");
            }
        }
    }

    public static final StatusCodes DEFAULT = new StatusCodes(List.of(new Range(200, 299)));

    public StatusCodes {
        ranges = List.copyOf(ranges);
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("invalid status_code: empty (expected: at least one code)");
        }
    }

    /** Parses keepalived's syntax: codes and {@code low-high} ranges separated by spaces or commas. */
    public static StatusCodes parse(String text) {
        List<Range> out = new ArrayList<>();
        for (String word : text.trim().split("[\\s,]+")) {
            if (word.isEmpty()) {
                continue;
            }
            int dash = word.indexOf('-');
            try {
                out.add(dash < 0 ? new Range(Integer.parseInt(word), Integer.parseInt(word))
                        : new Range(Integer.parseInt(word.substring(0, dash)),
                                Integer.parseInt(word.substring(dash + 1))));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "invalid status_code: \"" + word + "\" (expected: a code or a range like 200-299)", e);
            }
        }
        return new StatusCodes(out);
    }

    public boolean contains(int code) {
        for (Range r : ranges) {
            if (code >= r.from && code <= r.to) {
                return true;
            }
        }
        return false;
    }
}
