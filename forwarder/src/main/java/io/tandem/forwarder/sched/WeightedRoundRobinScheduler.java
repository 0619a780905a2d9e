package io.tandem.forwarder.sched;

/**
 * {@code wrr}: IPVS's interleaved weighted round robin ({@code ip_vs_wrr.c}).
 * The current weight {@code cw} steps down from the largest weight by the
 * weights' greatest common divisor; a destination is chosen when its weight
 * is at least {@code cw}. Over one cycle each destination gets
 * {@code weight / gcd} flows.
 */
public final class WeightedRoundRobinScheduler implements Scheduler {
    private int index = -1;
    private int currentWeight;
    private int maxWeight;
    private int gcd;
    private int builtVersion = -1;

    @Override
    public int select(Destinations d, int sourceKey, int sourcePort, int destinationKey) {
        if (builtVersion != d.version()) {
            rebuild(d);
        }
        int n = d.size();
        if (n == 0 || maxWeight == 0) {
            return NONE;
        }
        // at most one full cycle over every weight level
        long limit = (long) n * (maxWeight / gcd + 1);
        for (long step = 0; step < limit; step++) {
            index = (index + 1) % n;
            if (index == 0) {
                currentWeight -= gcd;
                if (currentWeight <= 0) {
                    currentWeight = maxWeight;
                }
            }
            if (d.available(index) && d.weight(index) >= currentWeight) {
                return index;
            }
        }
        return NONE;
    }

    private void rebuild(Destinations d) {
        int max = 0;
        int g = 0;
        for (int i = 0; i < d.size(); i++) {
            if (d.available(i)) {
                max = Math.max(max, d.weight(i));
                g = gcd(g, d.weight(i));
            }
        }
        maxWeight = max;
        gcd = Math.max(g, 1);
        if (currentWeight > maxWeight) {
            currentWeight = maxWeight;
        }
        if (index >= d.size()) {
            index = -1;
        }
        builtVersion = d.version();
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    @Override
    public String name() {
        return "wrr";
    }
}
