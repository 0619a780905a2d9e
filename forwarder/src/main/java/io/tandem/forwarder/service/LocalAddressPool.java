package io.tandem.forwarder.service;

import io.tandem.forwarder.conn.ConnectionTable;

/**
 * FULLNAT's local addresses ({@code local_address_group}) and the ports the
 * director uses on them. The director's source for a new flow is the next
 * (address, port) whose reply key is not already in the connection table, so
 * two flows to one real server never share a source: no collision, and no
 * per-flow memory beyond the connection entry itself.
 *
 * <p>With several workers ({@link #slice}), worker {@code i} of {@code n} takes only the
 * ports {@code p} with {@code p % n == i}: the workers' fanout program sends a FULLNAT reply
 * by its destination port, the local port, so the reply reaches the worker that owns the
 * flow ({@link io.tandem.forwarder.io.FlowKey}); the workers' pools never overlap.
 */
public final class LocalAddressPool {
    /** The ports used, as Linux's default ip_local_port_range. */
    public static final int FIRST_PORT = 32768;
    public static final int LAST_PORT = 60999;
    /**
     * Candidates tried per new flow. The search resumes where the last one stopped, so a
     * free pair is still found within a few flows; but an exhausted pool (a SYN flood, too
     * few local addresses) costs a bounded number of lookups per packet, not one per port
     * of every address, which would stall the worker.
     */
    public static final int DEFAULT_PROBES = 1024;

    private final int[] addresses;
    private final int probes;
    private final int stride;
    private final int firstPort;
    private int nextAddress;
    private int nextPort;

    public LocalAddressPool(int... addresses) {
        this(addresses, DEFAULT_PROBES);
    }

    /** A pool trying at most {@code probes} candidates per new flow. */
    public static LocalAddressPool withProbes(int probes, int... addresses) {
        return new LocalAddressPool(addresses, probes);
    }

    private LocalAddressPool(int[] addresses, int probes) {
        this(addresses, probes, 1, 0);
    }

    private LocalAddressPool(int[] addresses, int probes, int stride, int offset) {
        if (addresses.length == 0) {
            throw new IllegalArgumentException("invalid local_address_group: empty (expected: at least one address)");
        }
        if (probes < 1) {
            throw new IllegalArgumentException("invalid probes: " + probes + " (expected: at least 1)");
        }
        if (stride < 1 || offset < 0 || offset >= stride) {
            throw new IllegalArgumentException("invalid worker " + offset + " of " + stride
                    + " (expected: 0 ~ workers - 1, workers >= 1)");
        }
        this.addresses = addresses.clone();
        this.probes = probes;
        this.stride = stride;
        this.firstPort = FIRST_PORT + Math.floorMod(offset - FIRST_PORT, stride);
        this.nextPort = firstPort;
    }

    /**
     * The same addresses for worker {@code worker} of {@code workers}: only the ports
     * {@code p} with {@code p % workers == worker}.
     */
    public LocalAddressPool slice(int worker, int workers) {
        return new LocalAddressPool(addresses, probes, workers, worker);
    }

    /** The ports this pool uses per address. */
    public int ports() {
        return firstPort > LAST_PORT ? 0 : (LAST_PORT - firstPort) / stride + 1;
    }

    public int size() {
        return addresses.length;
    }

    public int address(int index) {
        return addresses[index];
    }

    /**
     * The next (address, port) that no connection to {@code destAddr:destPort}
     * uses, packed {@code address << 32 | port}, or -1 when none of the next
     * {@link #DEFAULT_PROBES probes} candidates is free (every pair taken, or nearly).
     */
    public long allocate(ConnectionTable table, int protocol, int destAddr, int destPort, long now) {
        long attempts = Math.min((long) ports() * addresses.length, probes);
        for (long n = 0; n < attempts; n++) {
            int address = addresses[nextAddress];
            int port = nextPort;
            nextAddress++;
            if (nextAddress == addresses.length) {
                nextAddress = 0;
                nextPort = nextPort + stride > LAST_PORT ? firstPort : nextPort + stride;
            }
            if (table.lookupOut(protocol, destAddr, destPort, address, port, now) == ConnectionTable.NONE) {
                return ((long) address << 32) | port;
            }
        }
        return -1;
    }
}
