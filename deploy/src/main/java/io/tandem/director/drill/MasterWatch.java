package io.tandem.director.drill;

import java.util.ArrayList;
import java.util.List;

/**
 * Who said they were master, sampled every 200 ms over a period: the drills
 * that must never see two masters, or must see exactly one once settled.
 */
final class MasterWatch {
    private static final long PERIOD_MILLIS = 200;

    private final List<Long> at = new ArrayList<>();
    private final List<List<String>> masters = new ArrayList<>();

    /** Samples {@code stack} for {@code millis} on this thread. */
    static MasterWatch during(DrillStack stack, long millis) throws InterruptedException {
        MasterWatch w = new MasterWatch();
        long end = DrillSteps.now() + millis;
        while (DrillSteps.now() < end) {
            w.add(DrillSteps.now(), stack.masters());
            Thread.sleep(PERIOD_MILLIS);
        }
        return w;
    }

    synchronized void add(long when, List<String> who) {
        at.add(when);
        masters.add(List.copyOf(who));
    }

    /** The samples taken at or after {@code since}. */
    synchronized List<List<String>> since(long since) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < at.size(); i++) {
            if (at.get(i) >= since) {
                out.add(masters.get(i));
            }
        }
        return out;
    }

    /** Samples that showed two masters. */
    synchronized long twoMasters() {
        return masters.stream().filter(m -> m.size() > 1).count();
    }

    /** The longest run of samples without a master, in milliseconds. */
    synchronized long longestWithoutMaster() {
        long longest = 0;
        long from = -1;
        for (int i = 0; i < at.size(); i++) {
            if (masters.get(i).isEmpty()) {
                if (from < 0) {
                    from = at.get(i);
                }
                longest = Math.max(longest, at.get(i) - from + PERIOD_MILLIS);
            } else {
                from = -1;
            }
        }
        return longest;
    }

    /** The sequence of changes: {@code [director-a] -> [] -> [director-b]}, with sample counts. */
    synchronized String describe() {
        StringBuilder s = new StringBuilder();
        List<String> previous = null;
        int run = 0;
        for (List<String> m : masters) {
            if (m.equals(previous)) {
                run++;
                continue;
            }
            if (previous != null) {
                s.append(previous).append(" x").append(run).append(" -> ");
            }
            previous = m;
            run = 1;
        }
        if (previous != null) {
            s.append(previous).append(" x").append(run);
        }
        return masters.size() + " samples: " + s;
    }
}
