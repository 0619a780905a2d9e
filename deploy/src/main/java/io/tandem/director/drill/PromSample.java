package io.tandem.director.drill;

import io.tandem.director.run.JsonReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One series of an instant query's answer from Prometheus's HTTP API ({@code /api/v1/query}). */
public record PromSample(Map<String, String> labels, double value) {

    public PromSample {
        labels = Map.copyOf(labels);
    }

    /** The samples of an answer; an error answer becomes an exception naming the query. */
    public static List<PromSample> parse(String query, String json) throws IOException {
        Object doc;
        try {
            doc = JsonReader.read(json);
        } catch (IllegalArgumentException e) {
            throw new IOException("query " + query + ": " + e.getMessage(), e);
        }
        if (!(doc instanceof Map<?, ?> m) || !"success".equals(m.get("status"))) {
            throw new IOException("query " + query + ": " + (doc instanceof Map<?, ?> e ? e.get("error") : json));
        }
        if (!(m.get("data") instanceof Map<?, ?> data)) {
            throw new IOException("query " + query + ": no data in the answer");
        }
        Object result = data.get("result");
        List<PromSample> out = new ArrayList<>();
        switch (String.valueOf(data.get("resultType"))) {
            case "vector" -> {
                for (Object o : (List<?>) result) {
                    Map<?, ?> series = (Map<?, ?>) o;
                    Map<String, String> labels = new LinkedHashMap<>();
                    ((Map<?, ?>) series.get("metric")).forEach((k, v) -> labels.put(k.toString(), v.toString()));
                    out.add(new PromSample(labels, value((List<?>) series.get("value"))));
                }
            }
            case "scalar" -> out.add(new PromSample(Map.of(), value((List<?>) result)));
            default -> throw new IOException("query " + query + ": result type " + data.get("resultType")
                    + " (expected: vector or scalar)");
        }
        return out;
    }

    /** [time, "value"] */
    private static double value(List<?> pair) {
        return Double.parseDouble(pair.get(1).toString());
    }

    /** {@code {a="1", b="2"} 3.0} */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("{");
        new java.util.TreeMap<>(labels).forEach((k, v) -> s.append(s.length() > 1 ? ", " : "").append(k)
                .append("=\"").append(v).append('"'));
        return s.append("} ").append(format(value)).toString();
    }

    /** A value as a report prints it: integers without a fraction, others to 3 decimals. */
    static String format(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        return value == Math.rint(value) ? Long.toString((long) value) : String.format("%.3f", value);
    }
}
