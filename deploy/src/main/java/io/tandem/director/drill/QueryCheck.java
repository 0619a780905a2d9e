package io.tandem.director.drill;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates every shipped expression against a Prometheus that scrapes
 * running directors. A dashboard query must return data (no empty panel from
 * a wrong metric name); an alert rule's expression must evaluate, and each of
 * its selectors must return data (the rule itself fires only when something
 * is wrong, which the drills provoke).
 */
public final class QueryCheck {
    /** One expression's outcome. */
    public record Result(ShippedQueries.Query query, boolean passed, String detail) {
    }

    private final PrometheusClient prometheus;
    private final Map<String, List<PromSample>> selectorCache = new LinkedHashMap<>();

    public QueryCheck(PrometheusClient prometheus) {
        this.prometheus = prometheus;
    }

    public Result check(ShippedQueries.Query q) {
        List<PromSample> result;
        try {
            result = prometheus.query(q.evaluable());
        } catch (IOException e) {
            return new Result(q, false, e.getMessage());
        }
        List<String> empty = new ArrayList<>();
        for (String selector : PromQlSelectors.of(q.evaluable())) {
            try {
                if (selectorCache.computeIfAbsent(selector, this::series).isEmpty()) {
                    empty.add(selector);
                }
            } catch (IllegalStateException e) {
                return new Result(q, false, selector + ": " + e.getMessage());
            }
        }
        if (!empty.isEmpty()) {
            selectorCache.keySet().removeAll(empty); // asked again next time
            return new Result(q, false, "no data for " + String.join(", ", empty));
        }
        if (!q.alert() && result.isEmpty()) {
            return new Result(q, false, "no data");
        }
        return new Result(q, true, result.size() + " series" + (q.alert() ? " firing" : ""));
    }

    private List<PromSample> series(String selector) {
        try {
            return prometheus.query(selector);
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Checks every query shipped under {@code dir} (deploy/compose) against {@code prometheus}. */
    public static List<Result> run(PrometheusClient prometheus, java.nio.file.Path dir, long waitMillis,
            PrintWriter out) throws IOException, InterruptedException {
        return new QueryCheck(prometheus).checkAll(ShippedQueries.under(dir), waitMillis, out);
    }

    /** Checks all {@code queries}, asking again for up to {@code waitMillis} those without data yet. */
    public List<Result> checkAll(List<ShippedQueries.Query> queries, long waitMillis, PrintWriter out)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + waitMillis;
        List<Result> results = new ArrayList<>();
        for (ShippedQueries.Query q : queries) {
            Result r = check(q);
            while (!r.passed() && System.currentTimeMillis() < deadline) {
                Thread.sleep(2000);
                r = check(q);
            }
            out.printf("%-4s %-22s %-40s %s%n", r.passed() ? "ok" : "FAIL", q.source(), q.title(), r.detail());
            if (!r.passed()) {
                out.printf("     %s%n", q.expr());
            }
            out.flush();
            results.add(r);
        }
        return results;
    }
}
