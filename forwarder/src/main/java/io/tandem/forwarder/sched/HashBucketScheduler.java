package io.tandem.forwarder.sched;

/**
 * {@code sh} and {@code dh}: a table of 256 buckets filled round robin, each
 * destination taking {@code weight} consecutive buckets ({@code
 * ip_vs_sh_reassign}); a flow's bucket comes from the hash of its source
 * (sh) or virtual (dh) address. An unavailable destination's flows get
 * {@link #NONE}, unless fallback is on ({@code sh-fallback}), which probes
 * further hashes for an available one.
 */
public final class HashBucketScheduler implements Scheduler {
    /** IPVS's {@code IP_VS_SH_TAB_SIZE} (and DH's). */
    public static final int TABLE_SIZE = 256;
    private static final int FALLBACK_PROBES = TABLE_SIZE;

    private final boolean byDestination;
    private final boolean withPort;
    private final boolean fallback;
    private final int[] buckets = new int[TABLE_SIZE];
    private int builtVersion = -1;

    private HashBucketScheduler(boolean byDestination, boolean withPort, boolean fallback) {
        this.byDestination = byDestination;
        this.withPort = withPort;
        this.fallback = fallback;
    }

    /** {@code sh}, with the {@code sh-port} and {@code sh-fallback} flags. */
    public static HashBucketScheduler sourceHashing(boolean withPort, boolean fallback) {
        return new HashBucketScheduler(false, withPort, fallback);
    }

    /** {@code dh}. */
    public static HashBucketScheduler destinationHashing() {
        return new HashBucketScheduler(true, false, false);
    }

    @Override
    public int select(Destinations d, int sourceKey, int sourcePort, int destinationKey) {
        if (builtVersion != d.version()) {
            rebuild(d);
        }
        if (d.size() == 0) {
            return NONE;
        }
        long key = byDestination ? destinationKey & 0xFFFF_FFFFL
                : (sourceKey & 0xFFFF_FFFFL) | (withPort ? (long) (sourcePort & 0xFFFF) << 32 : 0L);
        int dest = buckets[FlowHash.bucket(key, 0, TABLE_SIZE)];
        if (d.available(dest)) {
            return dest;
        }
        if (!fallback) {
            return NONE;
        }
        for (int probe = 1; probe < FALLBACK_PROBES; probe++) {
            dest = buckets[FlowHash.bucket(key, probe, TABLE_SIZE)];
            if (d.available(dest)) {
                return dest;
            }
        }
        return NONE;
    }

    private void rebuild(Destinations d) {
        int n = d.size();
        int dest = 0;
        int count = 0;
        for (int i = 0; i < TABLE_SIZE; i++) {
            buckets[i] = n == 0 ? NONE : dest;
            if (n > 0 && ++count >= d.weight(dest)) {
                dest = (dest + 1) % n;
                count = 0;
            }
        }
        builtVersion = d.version();
    }

    @Override
    public String name() {
        return byDestination ? "dh" : "sh";
    }
}
