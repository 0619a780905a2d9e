package io.tandem.core.packet;

/**
 * How many frames ended in each {@link ParseResult}: the "bad input counted,
 * never thrown" ledger of one worker. Not thread-safe: one instance per worker
 * thread; readers on other threads see eventually-consistent plain longs.
 */
public final class ParseCounters {
    private final long[] counts = new long[ParseResult.count()];

    /** Counts {@code result} and returns it, so a call site can count and branch in one expression. */
    public ParseResult record(ParseResult result) {
        counts[result.ordinal()]++;
        return result;
    }

    public long count(ParseResult result) {
        return counts[result.ordinal()];
    }

    /** Frames that ended in anything but {@link ParseResult#OK}. */
    public long rejected() {
        long total = 0;
        for (int i = 0; i < counts.length; i++) {
            if (i != ParseResult.OK.ordinal()) {
                total += counts[i];
            }
        }
        return total;
    }
}
