package io.tandem.forwarder.sched;

/** {@code rr}: each available destination in turn, weights ignored beyond 0 = drained. */
public final class RoundRobinScheduler implements Scheduler {
    private int last = -1;

    @Override
    public int select(Destinations d, int sourceKey, int sourcePort, int destinationKey) {
        int n = d.size();
        for (int step = 1; step <= n; step++) {
            int i = Math.floorMod(last + step, n);
            if (d.available(i)) {
                last = i;
                return i;
            }
        }
        return NONE;
    }

    @Override
    public String name() {
        return "rr";
    }
}
