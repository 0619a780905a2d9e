package io.tandem.forwarder.sched;

/**
 * {@code wlc}: the available destination with the least overhead per unit of
 * weight, compared without division as IPVS does
 * ({@code loh * dw > doh * lw}, {@code ip_vs_wlc.c}).
 */
public final class WeightedLeastConnectionScheduler implements Scheduler {
    @Override
    public int select(Destinations d, int sourceKey, int sourcePort, int destinationKey) {
        int best = NONE;
        for (int i = 0; i < d.size(); i++) {
            if (!d.available(i)) {
                continue;
            }
            if (best == NONE
                    || d.overhead(best) * d.weight(i) > d.overhead(i) * d.weight(best)) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public String name() {
        return "wlc";
    }
}
