package io.tandem.forwarder.service;

import io.tandem.forwarder.conn.ConnectionTable;

/**
 * FULLNAT's local addresses ({@code local_address_group}) and the ports the
 * director uses on them. The director's source for a new flow is the next
 * (address, port) whose reply key is not already in the connection table, so
 * two flows to one real server never share a source: no collision, and no
 * per-flow memory beyond the connection entry itself.
 *
 * <p>With several workers, each worker's pool is a {@link #slice} of the ports: those whose
 * fanout key it owns ({@link io.tandem.forwarder.io.FlowKey#ownedPorts}). The workers' fanout
 * program sends a FULLNAT reply by its destination port, the local port, so the reply reaches
 * the worker that chose it, the flow's owner; the workers' slices never overlap.
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
    /** The ports used, ascending; null for all of {@link #FIRST_PORT} ~ {@link #LAST_PORT}. */
    private final int[] ports;
    private int nextAddress;
    private int nextPort = FIRST_PORT;
    /** With {@link #ports}: the index of the next port. */
    private int nextPortIndex;

    public LocalAddressPool(int... addresses) {
        this(addresses, DEFAULT_PROBES);
    }

    /** A pool trying at most {@code probes} candidates per new flow. */
    public static LocalAddressPool withProbes(int probes, int... addresses) {
        return new LocalAddressPool(addresses, probes);
    }

    private LocalAddressPool(int[] addresses, int probes) {
        this(addresses, probes, null);
    }

    private LocalAddressPool(int[] addresses, int probes, int[] ports) {
        if (addresses.length == 0) {
            throw new IllegalArgumentException("invalid local_address_group: empty (expected: at least one address)");
        }
        if (probes < 1) {
            throw new IllegalArgumentException("invalid probes: " + probes + " (expected: at least 1)");
        }
        if (ports != null) {
            if (ports.length == 0) {
                throw new IllegalArgumentException("invalid port slice: empty (expected: at least one port)");
            }
            for (int i = 0; i < ports.length; i++) {
                if (ports[i] < FIRST_PORT || ports[i] > LAST_PORT || i > 0 && ports[i] <= ports[i - 1]) {
                    throw new IllegalArgumentException("invalid port slice: " + ports[i] + " at " + i
                            + " (expected: ascending, " + FIRST_PORT + " ~ " + LAST_PORT + ")");
                }
            }
        }
        this.addresses = addresses.clone();
        this.probes = probes;
        this.ports = ports == null ? null : ports.clone();
        this.nextPort = ports == null ? FIRST_PORT : ports[0];
    }

    /** The same addresses with only {@code ports} (ascending, within the range): one worker's slice. */
    public LocalAddressPool slice(int[] ports) {
        return new LocalAddressPool(addresses, probes, ports);
    }

    /** The ports this pool uses per address. */
    public int ports() {
        return ports == null ? LAST_PORT - FIRST_PORT + 1 : ports.length;
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
                nextPort = ports == null ? (nextPort == LAST_PORT ? FIRST_PORT : nextPort + 1) : nextSlicePort();
            }
            if (table.lookupOut(protocol, destAddr, destPort, address, port, now) == ConnectionTable.NONE) {
                return ((long) address << 32) | port;
            }
        }
        return -1;
    }

    private int nextSlicePort() {
        nextPortIndex = nextPortIndex + 1 == ports.length ? 0 : nextPortIndex + 1;
        return ports[nextPortIndex];
    }
}
