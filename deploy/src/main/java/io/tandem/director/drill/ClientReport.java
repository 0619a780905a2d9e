package io.tandem.director.drill;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The drill client's report of a window, as {@link DrillClient#report(long)} writes it. */
public record ClientReport(long since, long now, long requests, long answered, long failed, long longestOutageMillis,
        Map<String, Long> answeredBy, Map<String, Long> failures, long lastFailureAt, int established, int kept, List<String> broken,
        long longestStallMillis, int openNow, int answering) {

    static ClientReport from(Object doc) {
        if (!(doc instanceof Map<?, ?> m) || !(m.get("kept") instanceof Map<?, ?> k)) {
            throw new IllegalArgumentException("not a client report: " + doc);
        }
        return new ClientReport(num(m, "since"), num(m, "now"), num(m, "requests"), num(m, "answered"),
                num(m, "failed"), num(m, "longest_outage_ms"), counts(m, "answered_by"), counts(m, "failures"),
                num(m, "last_failure_at"),
                (int) num(k, "established"), (int) num(k, "kept"),
                ((List<?>) k.get("broken")).stream().map(Object::toString).toList(), num(k, "longest_stall_ms"),
                (int) num(k, "open_now"), (int) num(k, "answering"));
    }

    private static Map<String, Long> counts(Map<?, ?> m, String key) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (m.get(key) instanceof Map<?, ?> counts) {
            counts.forEach((k, n) -> out.put(k.toString(), ((Number) n).longValue()));
        }
        return out;
    }

    private static long num(Map<?, ?> m, String key) {
        if (!(m.get(key) instanceof Number n)) {
            throw new IllegalArgumentException("client report without " + key + ": " + m);
        }
        return n.longValue();
    }

    /** One line for a drill report. */
    public String summary() {
        return String.format("new connections: %d requests, %d answered, %d failed%s, longest outage %d ms, by %s;"
                + " long-lived: %d established before, %d kept, %d broken, longest stall %d ms",
                requests, answered, failed, failures.isEmpty() ? "" : " " + failures, longestOutageMillis, answeredBy,
                established, kept, broken.size(), longestStallMillis);
    }
}
