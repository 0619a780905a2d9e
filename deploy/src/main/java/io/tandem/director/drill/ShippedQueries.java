package io.tandem.director.drill;

import io.tandem.director.run.JsonReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every PromQL expression Tandem ships: the targets of the Grafana dashboards
 * ({@code grafana/dashboards/*.json}, rows' panels included) and the alert
 * rules ({@code prometheus/alerts.yml}, one {@code expr:} per line).
 */
final class ShippedQueries {
    /** Where an expression comes from; {@code alert} for alert rules, which need not fire to be right. */
    record Query(String source, String title, String expr, boolean alert) {
        /** The expression as Prometheus can evaluate it: Grafana's interval variables replaced. */
        String evaluable() {
            return expr.replace("$__rate_interval", "1m").replace("$__interval", "30s").replace("$__range", "5m");
        }
    }

    private static final Pattern ALERT = Pattern.compile("^\\s*-\\s*alert:\\s*(\\S+)\\s*$");
    private static final Pattern EXPR = Pattern.compile("^\\s*expr:\\s*(.*)$");

    private ShippedQueries() {
    }

    /** The queries under {@code dir} (deploy/compose): dashboards first, then the alert rules. */
    static List<Query> under(Path dir) throws IOException {
        List<Query> out = new ArrayList<>();
        Path dashboards = dir.resolve("grafana/dashboards");
        try (Stream<Path> files = Files.list(dashboards)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                out.addAll(dashboard(f.getFileName().toString(), Files.readString(f)));
            }
        }
        Path alerts = dir.resolve("prometheus/alerts.yml");
        out.addAll(alerts(alerts.getFileName().toString(), Files.readString(alerts)));
        return out;
    }

    static List<Query> dashboard(String source, String json) {
        if (!(JsonReader.read(json) instanceof Map<?, ?> doc) || !(doc.get("panels") instanceof List<?> panels)) {
            throw new IllegalArgumentException(source + ": not a dashboard (expected: an object with panels)");
        }
        List<Query> out = new ArrayList<>();
        panels(source, panels, out);
        return out;
    }

    private static void panels(String source, List<?> panels, List<Query> out) {
        for (Object p : panels) {
            Map<?, ?> panel = (Map<?, ?>) p;
            if (panel.get("panels") instanceof List<?> nested) {
                panels(source, nested, out);
            }
            if (panel.get("targets") instanceof List<?> targets) {
                for (Object t : targets) {
                    if (((Map<?, ?>) t).get("expr") instanceof String expr) {
                        out.add(new Query(source, String.valueOf(panel.get("title")), expr, false));
                    }
                }
            }
        }
    }

    static List<Query> alerts(String source, String yaml) {
        List<Query> out = new ArrayList<>();
        String alert = null;
        int line = 0;
        for (String l : yaml.split("\n", -1)) {
            line++;
            Matcher a = ALERT.matcher(l);
            if (a.matches()) {
                alert = a.group(1);
                continue;
            }
            Matcher e = EXPR.matcher(l);
            if (e.matches()) {
                String expr = e.group(1).strip();
                if (alert == null || expr.isEmpty() || expr.startsWith("|") || expr.startsWith(">")) {
                    throw new IllegalArgumentException(source + ":" + line + ": expr must be on one line after"
                            + " '- alert: NAME' (found: '" + l.strip() + "')");
                }
                out.add(new Query(source, alert, expr, true));
                alert = null;
            }
        }
        return out;
    }
}
