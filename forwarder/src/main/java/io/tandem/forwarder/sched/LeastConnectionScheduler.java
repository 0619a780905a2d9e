package io.tandem.forwarder.sched;

/** {@code lc}: the available destination with the least overhead (active x 256 + inactive), weights ignored. */
public final class LeastConnectionScheduler implements Scheduler {
    @Override
    public int select(Destinations d, int sourceKey, int sourcePort, int destinationKey) {
        int best = NONE;
        long bestOverhead = Long.MAX_VALUE;
        for (int i = 0; i < d.size(); i++) {
            if (d.available(i) && d.overhead(i) < bestOverhead) {
                best = i;
                bestOverhead = d.overhead(i);
            }
        }
        return best;
    }

    @Override
    public String name() {
        return "lc";
    }
}
