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
 */
public final class Destinations {
    private int size;
    private long[] identity;
    private int[] weight;
    private int[] active;
    private int[] inactive;
    private boolean[] overloaded;
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
        if (size == this.identity.length) {
            int capacity = size * 2;
            this.identity = Arrays.copyOf(this.identity, capacity);
            this.weight = Arrays.copyOf(this.weight, capacity);
            active = Arrays.copyOf(active, capacity);
            inactive = Arrays.copyOf(inactive, capacity);
            overloaded = Arrays.copyOf(overloaded, capacity);
        }
        for (int i = 0; i < size; i++) {
            if (this.identity[i] == identity) {
                throw new IllegalArgumentException("duplicate destination identity: " + identity);
            }
        }
        this.identity[size] = identity;
        this.weight[size] = weight;
        version++;
        return size++;
    }

    /** Removes the destination at {@code index}; later ones move down by one. */
    public void remove(int index) {
        checkIndex(index);
        int tail = size - index - 1;
        System.arraycopy(identity, index + 1, identity, index, tail);
        System.arraycopy(weight, index + 1, weight, index, tail);
        System.arraycopy(active, index + 1, active, index, tail);
        System.arraycopy(inactive, index + 1, inactive, index, tail);
        System.arraycopy(overloaded, index + 1, overloaded, index, tail);
        size--;
        version++;
    }

    /** The index of the destination with this identity, or -1. */
    public int indexOf(long identity) {
        for (int i = 0; i < size; i++) {
            if (this.identity[i] == identity) {
                return i;
            }
        }
        return -1;
    }

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
        return weight[index] > 0 && !overloaded[index];
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
