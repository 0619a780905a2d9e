package io.tandem.forwarder.engine;

import io.tandem.forwarder.path.NextHops;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link NextHops} over the kernel's neighbour table: the worker reads an
 * immutable sorted snapshot (binary search, no allocation) that the
 * {@link NeighbourResolver} replaces whole; next hops come from the
 * interface's {@link Routes}. A miss is counted and its address posted to a
 * fixed ring of wanted addresses, which the resolver asks the kernel to
 * resolve (ARP); the packet itself is dropped by the caller.
 */
public final class NeighbourMacs implements NextHops {
    private static final int WANTED = 64;

    private record Snapshot(int[] addresses, long[] macs) {
    }

    private final Routes routes;
    private volatile Snapshot snapshot = new Snapshot(new int[0], new long[0]);
    private final AtomicIntegerArray wanted = new AtomicIntegerArray(WANTED);
    private final AtomicLong wantedWrites = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    public NeighbourMacs(Routes routes) {
        this.routes = routes;
    }

    @Override
    public int nextHop(int destination) {
        return routes.nextHop(destination);
    }

    @Override
    public long macOf(int address) {
        Snapshot s = snapshot;
        int i = Arrays.binarySearch(s.addresses, address);
        if (i >= 0) {
            return s.macs[i];
        }
        misses.incrementAndGet();
        wanted.set((int) (wantedWrites.getAndIncrement() % WANTED), address);
        return UNRESOLVED;
    }

    /** Replaces the known neighbours (resolver thread). */
    void publish(Map<Integer, Long> resolved) {
        int[] addresses = resolved.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
        long[] macs = new long[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            macs[i] = resolved.get(addresses[i]);
        }
        snapshot = new Snapshot(addresses, macs);
    }

    /** Takes the addresses posted by misses since the last call (resolver thread). */
    int[] drainWanted() {
        int n = (int) Math.min(WANTED, wantedWrites.getAndSet(0));
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = wanted.get(i);
        }
        return out;
    }

    /** Frames that found no resolved neighbour. */
    public long misses() {
        return misses.get();
    }

    /** How many neighbours are resolved now. */
    public int resolved() {
        return snapshot.addresses.length;
    }

    Routes routes() {
        return routes;
    }
}
