package io.tandem.director.drill;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The long-lived connections of a drill window: those that were open when it
 * began ({@code established}), how many of them are still open ({@code kept})
 * or broke ({@code broken}, with the reason), and the longest time one of them
 * waited for an answer (a failover they survived shows here); and those open
 * now, and answering now (answered within the last second).
 */
record KeptReport(int established, int kept, List<String> broken, long longestStallMillis, int openNow,
        int answering) {
    /** An open connection answered within this is answering (its requests go every 200 ms or so). */
    static final long ANSWERING_MILLIS = 1000;


    static KeptReport of(List<KeptConnection.Incarnation> all, long since, long now) {
        int established = 0;
        int kept = 0;
        int openNow = 0;
        int answering = 0;
        long longest = 0;
        List<String> broken = new ArrayList<>();
        for (KeptConnection.Incarnation i : all) {
            if (i.brokenAt() < 0) {
                openNow++;
                if (now - i.lastAnswerAt() < ANSWERING_MILLIS) {
                    answering++;
                }
            }
            if (!i.openAt(since)) {
                continue;
            }
            established++;
            longest = Math.max(longest, i.longestStallSince(since));
            if (i.brokenAt() < 0) {
                kept++;
                longest = Math.max(longest, now - i.lastAnswerAt());
            } else {
                broken.add("#" + i.slot() + "." + i.number() + " to " + i.server() + " after "
                        + (i.brokenAt() - since) + " ms: " + i.reason());
            }
        }
        return new KeptReport(established, kept, broken, longest, openNow, answering);
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("established", established);
        m.put("kept", kept);
        m.put("broken", broken);
        m.put("longest_stall_ms", longestStallMillis);
        m.put("open_now", openNow);
        m.put("answering", answering);
        return m;
    }
}
