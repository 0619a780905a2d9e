package io.tandem.forwarder.sched;

/** {@code fo}: the available destination with the highest weight; the first one on a tie ({@code ip_vs_fo.c}). */
public final class WeightedFailoverScheduler implements Scheduler {
    @Override
    public int select(Destinations d, int sourceKey, int sourcePort, int destinationKey) {
        int best = NONE;
        for (int i = 0; i < d.size(); i++) {
            if (d.available(i) && (best == NONE || d.weight(i) > d.weight(best))) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public String name() {
        return "fo";
    }
}
