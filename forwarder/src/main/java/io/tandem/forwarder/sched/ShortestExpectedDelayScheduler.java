package io.tandem.forwarder.sched;

/**
 * {@code sed}: the available destination with the smallest expected delay
 * {@code (active + 1) / weight} ({@code ip_vs_sed.c}), compared by
 * cross-multiplication.
 */
public final class ShortestExpectedDelayScheduler implements Scheduler {
    @Override
    public int select(Destinations d, int sourceKey, int sourcePort, int destinationKey) {
        return shortestExpectedDelay(d);
    }

    static int shortestExpectedDelay(Destinations d) {
        int best = NONE;
        for (int i = 0; i < d.size(); i++) {
            if (!d.available(i)) {
                continue;
            }
            if (best == NONE || (d.activeConnections(best) + 1L) * d.weight(i)
                    > (d.activeConnections(i) + 1L) * d.weight(best)) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public String name() {
        return "sed";
    }
}
