package io.tandem.director.run;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How one reload ended: applied ({@code OK}), refused before anything changed
 * ({@code REJECTED}: the file's errors, or what cannot be reloaded), or applied in part
 * ({@code FAILED}: a change the running engines refused, the rest applied).
 *
 * @param source   where the configuration came from (the file)
 * @param messages the errors ({@code file:line: ...}) or failures; empty when OK
 * @param summary  what changed, for the log and /status
 */
public record ReloadOutcome(Result result, Instant at, String source, List<String> messages, String summary) {
    public enum Result { OK, REJECTED, FAILED;

        /** The label of the {@code tandem_config_reloads_total} series. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ReloadOutcome {
        messages = List.copyOf(messages);
    }

    public static ReloadOutcome rejected(String source, List<String> messages) {
        return new ReloadOutcome(Result.REJECTED, Instant.now(), source, messages, "nothing changed");
    }

    /** The {@code last_reload} object of /status. */
    public Map<String, Object> toStatus() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("result", result.label());
        m.put("at", at.toString());
        m.put("source", source);
        m.put("summary", summary);
        m.put("messages", messages);
        return m;
    }
}
