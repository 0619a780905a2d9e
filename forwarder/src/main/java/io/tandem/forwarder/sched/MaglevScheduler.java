package io.tandem.forwarder.sched;

import java.util.Arrays;

/**
 * {@code mh}: Maglev consistent hashing (Eisenbud et al., NSDI'16, §3.4,
 * Pseudocode 1; IPVS's {@code ip_vs_mh.c}). Each destination walks its own
 * permutation of a prime-sized lookup table, {@code (offset + j * skip) mod M}
 * with offset and skip hashed from its identity, and the destinations take
 * turns claiming their next free entry, {@code weight / gcd} entries a turn.
 * Removing one of N destinations moves about 1/N of the table.
 *
 * <p>The table depends only on identities and weights; a destination that is
 * overloaded keeps its entries and, with {@code mh-fallback}, its flows go to
 * the next available destination found by rehashing.
 */
public final class MaglevScheduler implements Scheduler {
    /** Maglev's default table size, a prime (M > 100 x N keeps shares within 1%). */
    public static final int DEFAULT_TABLE_SIZE = 65537;
    private static final int OFFSET_SEED = 0x6d61676c;
    private static final int SKIP_SEED = 0x65762121;
    private static final int FALLBACK_PROBES = 64;
    private static final int MAX_TURNS = 256;

    private final int tableSize;
    private final boolean withPort;
    private final boolean fallback;
    private final int[] table;
    private int[] next = new int[0];
    private int builtVersion = -1;

    public MaglevScheduler(int tableSize, boolean withPort, boolean fallback) {
        if (tableSize < 3 || !isPrime(tableSize)) {
            throw new IllegalArgumentException("invalid Maglev table size: " + tableSize + " (expected: a prime >= 3)");
        }
        this.tableSize = tableSize;
        this.withPort = withPort;
        this.fallback = fallback;
        this.table = new int[tableSize];
    }

    public MaglevScheduler() {
        this(DEFAULT_TABLE_SIZE, false, false);
    }

    @Override
    public int select(Destinations d, int sourceKey, int sourcePort, int destinationKey) {
        if (builtVersion != d.version()) {
            populate(d);
        }
        long key = (sourceKey & 0xFFFF_FFFFL) | (withPort ? (long) (sourcePort & 0xFFFF) << 32 : 0L);
        int dest = table[FlowHash.bucket(key, 0, tableSize)];
        if (dest == NONE || d.available(dest)) {
            return dest;
        }
        if (fallback) {
            for (int probe = 1; probe < FALLBACK_PROBES; probe++) {
                dest = table[FlowHash.bucket(key, probe, tableSize)];
                if (dest != NONE && d.available(dest)) {
                    return dest;
                }
            }
        }
        return NONE;
    }

    /** The destination index owning table entry {@code entry} (for tests and listings). */
    public int entry(Destinations d, int entry) {
        if (builtVersion != d.version()) {
            populate(d);
        }
        return table[entry];
    }

    public int tableSize() {
        return tableSize;
    }

    private void populate(Destinations d) {
        Arrays.fill(table, NONE);
        builtVersion = d.version();
        int n = d.size();
        int gcd = 0;
        int maxWeight = 0;
        for (int i = 0; i < n; i++) {
            gcd = gcd(gcd, d.weight(i));
            maxWeight = Math.max(maxWeight, d.weight(i));
        }
        if (maxWeight == 0) {
            return;
        }
        // turns are scaled down so that the heaviest destination claims at most MAX_TURNS entries a round
        int divisor = Math.max(gcd, (maxWeight + MAX_TURNS - 1) / MAX_TURNS);
        if (next.length < n) {
            next = new int[n];
        }
        Arrays.fill(next, 0, n, 0);
        int filled = 0;
        while (true) {
            for (int i = 0; i < n; i++) {
                int weight = d.weight(i);
                if (weight == 0) {
                    continue;
                }
                int turns = Math.max(1, weight / divisor);
                long id = d.identity(i);
                long offset = FlowHash.bucket(id, OFFSET_SEED, tableSize);
                long skip = FlowHash.bucket(id, SKIP_SEED, tableSize - 1) + 1L;
                for (int t = 0; t < turns; t++) {
                    int c = (int) ((offset + next[i] * skip) % tableSize);
                    while (table[c] != NONE) {
                        next[i]++;
                        c = (int) ((offset + next[i] * skip) % tableSize);
                    }
                    table[c] = i;
                    next[i]++;
                    if (++filled == tableSize) {
                        return;
                    }
                }
            }
        }
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    private static boolean isPrime(int n) {
        for (int f = 2; (long) f * f <= n; f++) {
            if (n % f == 0) {
                return false;
            }
        }
        return n > 1;
    }

    @Override
    public String name() {
        return "mh";
    }
}
