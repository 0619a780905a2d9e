package io.tandem.director.drill;

import java.util.Map;
import java.util.TreeMap;

/**
 * What the drill client's new connections saw, one entry per request (when it
 * ended, and which real server answered or none), kept in a ring of fixed size
 * so that a client running for days holds the last {@code capacity} requests.
 * {@link #since(long)} sums a window the way a drill reads it: requests,
 * answers per server, and the longest outage (from the last answer before a
 * failure to the next answer, or to now while failures go on).
 */
public final class RequestLedger {
    /** A window of the ledger. */
    public record Window(long requests, long answered, long failed, long longestOutageMillis,
            Map<String, Long> answeredBy, Map<String, Long> failures, long lastAnswerAt, long lastFailureAt) {
    }

    private final long[] endedAt;
    private final String[] server;
    private final String[] failure;
    private long count;

    public RequestLedger(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("invalid ledger capacity: " + capacity + " (expected: at least 1)");
        }
        this.endedAt = new long[capacity];
        this.server = new String[capacity];
        this.failure = new String[capacity];
    }

    /** Records a request that ended at {@code atMillis}, answered by {@code answeredBy} or failed (null). */
    public void record(long atMillis, String answeredBy) {
        record(atMillis, answeredBy, answeredBy == null ? "failed" : null);
    }

    /** Records a request answered by {@code answeredBy}, or not answered ({@code answeredBy} null) for {@code why}. */
    public synchronized void record(long atMillis, String answeredBy, String why) {
        int slot = (int) (count % endedAt.length);
        endedAt[slot] = atMillis;
        server[slot] = answeredBy;
        failure[slot] = answeredBy == null ? why : null;
        count++;
    }

    /**
     * The requests that ended at or after {@code sinceMillis}, up to {@code nowMillis}. An outage that
     * began before the window (a failure in it with no answer since the last one before it) counts from
     * that last answer.
     */
    public synchronized Window since(long sinceMillis, long nowMillis) {
        long first = Math.max(0, count - endedAt.length);
        long requests = 0;
        long answered = 0;
        long lastAnswer = -1;
        long lastFailure = -1;
        boolean failing = false;
        long longest = 0;
        Map<String, Long> by = new TreeMap<>();
        Map<String, Long> failures = new TreeMap<>();
        for (long i = first; i < count; i++) {
            int slot = (int) (i % endedAt.length);
            long at = endedAt[slot];
            String s = server[slot];
            boolean inWindow = at >= sinceMillis;
            if (inWindow) {
                requests++;
            }
            if (s != null) {
                if (inWindow) {
                    answered++;
                    by.merge(s, 1L, Long::sum);
                    if (failing && lastAnswer >= 0) {
                        longest = Math.max(longest, at - lastAnswer);
                    }
                }
                lastAnswer = at;
                failing = false;
            } else if (inWindow) {
                failing = true;
                lastFailure = at;
                failures.merge(String.valueOf(failure[slot]), 1L, Long::sum);
            }
        }
        if (failing) {
            longest = Math.max(longest, nowMillis - (lastAnswer >= 0 ? lastAnswer : sinceMillis));
        }
        return new Window(requests, answered, requests - answered, longest, by, failures, lastAnswer, lastFailure);
    }
}
