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
        long key = byDestination ? destinationKey & 0xFFFF_FFFFL
                : (sourceKey & 0xFFFF_FFFFL) | (withPort ? (long) (sourcePort & 0xFFFF) << 32 : 0L);
        int dest = buckets[FlowHash.bucket(key, 0, TABLE_SIZE)];
        if (dest == NONE) {
            return NONE;
        }
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
        int present = 0;
        for (int i = 0; i < n; i++) {
            present += d.isRemoved(i) ? 0 : 1;
        }
        int dest = nextPresent(d, 0);
        int count = 0;
        for (int i = 0; i < TABLE_SIZE; i++) {
            buckets[i] = present == 0 ? NONE : dest;
            if (present > 0 && ++count >= d.weight(dest)) {
                dest = nextPresent(d, dest + 1);
                count = 0;
            }
        }
        builtVersion = d.version();
    }

    /** The first slot from {@code from} (wrapping) that was not removed. */
    private static int nextPresent(Destinations d, int from) {
        int n = d.size();
        for (int step = 0; step < n; step++) {
            int i = (from + step) % n;
            if (!d.isRemoved(i)) {
                return i;
            }
        }
        return NONE;
    }

    @Override
    public String name() {
        return byDestination ? "dh" : "sh";
    }
}
