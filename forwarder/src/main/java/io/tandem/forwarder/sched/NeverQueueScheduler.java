package io.tandem.forwarder.sched;

/**
 * {@code nq}: an idle available destination (no active connection) if there is
 * one, otherwise the shortest expected delay ({@code ip_vs_nq.c}).
 */
public final class NeverQueueScheduler implements Scheduler {
    @Override
    public int select(Destinations d, int sourceKey, int sourcePort, int destinationKey) {
        for (int i = 0; i < d.size(); i++) {
            if (d.available(i) && d.activeConnections(i) == 0) {
                return i;
            }
        }
        return ShortestExpectedDelayScheduler.shortestExpectedDelay(d);
    }

    @Override
    public String name() {
        return "nq";
    }
}
