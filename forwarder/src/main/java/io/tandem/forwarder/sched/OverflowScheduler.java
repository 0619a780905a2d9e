package io.tandem.forwarder.sched;

/**
 * {@code ovf}: the available destination with the highest weight whose active
 * connections are still below its weight; the weight is its connection limit
 * ({@code ip_vs_ovf.c}).
 */
public final class OverflowScheduler implements Scheduler {
    @Override
    public int select(Destinations d, int sourceKey, int sourcePort, int destinationKey) {
        int best = NONE;
        for (int i = 0; i < d.size(); i++) {
            if (d.available(i) && d.activeConnections(i) < d.weight(i)
                    && (best == NONE || d.weight(i) > d.weight(best))) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public String name() {
        return "ovf";
    }
}
