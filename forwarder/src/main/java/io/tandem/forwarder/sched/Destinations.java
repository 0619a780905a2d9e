package io.tandem.forwarder.sched;

import java.util.Arrays;

/**
 * The real servers of one virtual service as the schedulers see them: an
 * identity, a weight and connection counts per destination, indexed
 * {@code 0 .. size()-1} in configuration order. Primitive arrays, no object
 * per server; owned by one worker thread.
 *
 * <p>A destination with weight 0 is drained (IPVS: quiescent) and never
 * chosen for a new flow; an overloaded one ({@link #setOverloaded}) neither.
 *
 * <p>Indexes are stable: connections refer to their destination by index, so
 * {@link #remove} only marks the slot removed (never chosen again), and
 * {@link #add} reuses a removed slot once no connection counts against it.
 * Adding back a removed destination (same identity) restores its slot, with
 * the connections that still count against it: IPVS's destination trash
 * ({@code ip_vs_trash_get_dest}), which lets flows of a real server that was
 * removed and added back go on.
 */
public final class Destinations {
    private int size;
    private long[] identity;
    private int[] weight;
    private int[] active;
    private int[] inactive;
    private boolean[] overloaded;
    private boolean[] removed;
    private int version;

    public Destinations(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("invalid capacity: " + capacity + " (expected: >= 1)");
        }
        identity = new long[capacity];
        weight = new int[capacity];
        active = new int[capacity];
        inactive = new int[capacity];
        overloaded = new boolean[capacity];
        removed = new boolean[capacity];
    }

    /**
     * Appends a destination. {@code identity} names it stably across
     * reconfigurations (for IPv4, {@code address << 16 | port}); hashing
     * schedulers derive their tables from it.
     *
     * @return its index
     */
    public int add(long identity, int weight) {
        checkWeight(weight);
        if (indexOf(identity) >= 0) {
            throw new IllegalArgumentException("duplicate destination identity: " + identity);
        }
        int slot = removedIndexOf(identity);
        for (int i = 0; slot < 0 && i < size; i++) {
            if (removed[i] && active[i] == 0 && inactive[i] == 0) {
                slot = i;
            }
        }
        if (slot < 0) {
            if (size == this.identity.length) {
                int capacity = size * 2;
                this.identity = Arrays.copyOf(this.identity, capacity);
                this.weight = Arrays.copyOf(this.weight, capacity);
                active = Arrays.copyOf(active, capacity);
                inactive = Arrays.copyOf(inactive, capacity);
                overloaded = Arrays.copyOf(overloaded, capacity);
                removed = Arrays.copyOf(removed, capacity);
            }
            slot = size++;
        }
        this.identity[slot] = identity;
        this.weight[slot] = weight;
        overloaded[slot] = false;
        removed[slot] = false;
        version++;
        return slot;
    }

    /**
     * Removes the destination at {@code index}: it takes no new flow; its
     * slot (and index) stays until its connections are gone.
     */
    public void remove(int index) {
        checkIndex(index);
        removed[index] = true;
        weight[index] = 0;
        version++;
    }

    public boolean isRemoved(int index) {
        return removed[index];
    }

    /** The index of a removed destination with this identity (its slot kept for its connections), or -1. */
    public int removedIndexOf(long identity) {
        for (int i = 0; i < size; i++) {
            if (this.identity[i] == identity && removed[i]) {
                return i;
            }
        }
        return -1;
    }

    /** The connections (active and inactive) counting against the destination at {@code index}. */
    public long connections(int index) {
        checkIndex(index);
        return (long) active[index] + inactive[index];
    }

    /** The index of the destination with this identity, or -1. */
    public int indexOf(long identity) {
        for (int i = 0; i < size; i++) {
            if (this.identity[i] == identity && !removed[i]) {
                return i;
            }
        }
        return -1;
    }

    /** The number of slots, removed ones included: iterate {@code 0 .. size()-1} and check {@link #available}. */
    public int size() {
        return size;
    }

    /** Grows whenever the set or a weight changes, so table-based schedulers know to rebuild. */
    public int version() {
        return version;
    }

    public long identity(int index) {
        checkIndex(index);
        return identity[index];
    }

    public int weight(int index) {
        checkIndex(index);
        return weight[index];
    }

    public void setWeight(int index, int weight) {
        checkIndex(index);
        checkWeight(weight);
        if (removed[index]) {
            throw new IllegalStateException("destination " + index + " was removed");
        }
        if (this.weight[index] != weight) {
            this.weight[index] = weight;
            version++;
        }
    }

    public int activeConnections(int index) {
        return active[index];
    }

    public int inactiveConnections(int index) {
        return inactive[index];
    }

    public void setConnections(int index, int activeConnections, int inactiveConnections) {
        checkIndex(index);
        active[index] = activeConnections;
        inactive[index] = inactiveConnections;
    }

    /** Adds to the connection counts (the connection table's {@code DestinationCounters} callback). */
    public void adjustConnections(int index, int deltaActive, int deltaInactive) {
        active[index] += deltaActive;
        inactive[index] += deltaInactive;
    }

    public boolean overloaded(int index) {
        return overloaded[index];
    }

    public void setOverloaded(int index, boolean overloaded) {
        checkIndex(index);
        if (this.overloaded[index] != overloaded) {
            this.overloaded[index] = overloaded;
            version++;
        }
    }

    /** True when the destination may take a new flow: weight above 0 and not overloaded. */
    public boolean available(int index) {
        return weight[index] > 0 && !overloaded[index] && !removed[index];
    }

    /**
     * IPVS's connection overhead, {@code active * 256 + inactive}: active
     * connections weigh far more than ones in TIME_WAIT and the like
     * ({@code ip_vs_dest_conn_overhead}).
     */
    public long overhead(int index) {
        return ((long) active[index] << 8) + inactive[index];
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("invalid destination index: " + index
                    + " (expected: 0 ~ " + (size - 1) + ")");
        }
    }

    private static void checkWeight(int weight) {
        if (weight < 0) {
            throw new IllegalArgumentException("invalid weight: " + weight + " (expected: 0 ~ 2147483647)");
        }
    }
}
