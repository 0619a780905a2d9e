package io.tandem.director.drill;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The vector selectors of a PromQL expression ({@code up{job="tandem"}},
 * {@code keepalived_vrrp_state}, {@code {__name__=~"..."}}): what must return
 * data for the expression to mean anything. A small lexer, not a parser: it
 * skips strings, ranges ({@code [5m]}), label lists of {@code by}, {@code on}
 * and friends, function and aggregation names, keywords and numbers, and
 * keeps each metric name with its matchers.
 */
final class PromQlSelectors {
    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
            "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");
    private static final Set<String> LABEL_LISTS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2", "inf", "nan",
            "start", "end");

    private final String text;
    private int at;

    private PromQlSelectors(String text) {
        this.text = text;
    }

    static List<String> of(String expr) {
        return new PromQlSelectors(expr).selectors();
    }

    private List<String> selectors() {
        List<String> out = new ArrayList<>();
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '"' || c == '\'' || c == '`') {
                skipString();
            } else if (c == '[') {
                skipTo(']');
            } else if (c == '{') {
                int from = at;
                skipBraces();
                out.add(text.substring(from, at));
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                identifier(out);
            } else if (Character.isDigit(c) || c == '.') {
                while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '.')) {
                    at++; // 0.1, 1e3, and the unit of a duration after offset (5m)
                }
            } else {
                at++;
            }
        }
        return out;
    }

    private void identifier(List<String> out) {
        int from = at;
        while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_'
                || text.charAt(at) == ':')) {
            at++;
        }
        String name = text.substring(from, at);
        int next = nextNonSpace();
        char following = next < text.length() ? text.charAt(next) : 0;
        if (LABEL_LISTS.contains(name)) {
            if (following == '(') {
                at = next;
                skipTo(')');
            }
        } else if (following == '(' || AGGREGATIONS.contains(name) || KEYWORDS.contains(name)) {
            return; // a function, an aggregation (its modifiers and body follow), or a keyword
        } else if (following == '{') {
            at = next;
            skipBraces();
            out.add(name + text.substring(next, at));
        } else {
            out.add(name);
        }
    }

    private int nextNonSpace() {
        int i = at;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private void skipString() {
        char quote = text.charAt(at++);
        while (at < text.length() && text.charAt(at) != quote) {
            at += text.charAt(at) == '\\' && quote != '`' ? 2 : 1;
        }
        at++;
    }

    private void skipBraces() {
        at++; // {
        while (at < text.length() && text.charAt(at) != '}') {
            char c = text.charAt(at);
            if (c == '"' || c == '\'' || c == '`') {
                skipString();
            } else {
                at++;
            }
        }
        at++; // }
    }

    private void skipTo(char close) {
        while (at < text.length() && text.charAt(at) != close) {
            at++;
        }
        at++;
    }
}
