package io.tandem.forwarder.service;

import io.tandem.forwarder.conn.ConnectionTable;

/**
 * FULLNAT's local addresses ({@code local_address_group}) and the ports the
 * director uses on them. The director's source for a new flow is the next
 * (address, port) whose reply key is not already in the connection table, so
 * two flows to one real server never share a source: no collision, and no
 * per-flow memory beyond the connection entry itself.
 */
public final class LocalAddressPool {
    /** The ports used, as Linux's default ip_local_port_range. */
    public static final int FIRST_PORT = 32768;
    public static final int LAST_PORT = 60999;

    private final int[] addresses;
    private int nextAddress;
    private int nextPort = FIRST_PORT;

    public LocalAddressPool(int... addresses) {
        if (addresses.length == 0) {
            throw new IllegalArgumentException("invalid local_address_group: empty (expected: at least one address)");
        }
        this.addresses = addresses.clone();
    }

    public int size() {
        return addresses.length;
    }

    public int address(int index) {
        return addresses[index];
    }

    /**
     * The next (address, port) that no connection to {@code destAddr:destPort}
     * uses, packed {@code address << 32 | port}, or -1 when every pair is taken.
     */
    public long allocate(ConnectionTable table, int protocol, int destAddr, int destPort, long now) {
        int ports = LAST_PORT - FIRST_PORT + 1;
        long attempts = (long) ports * addresses.length;
        for (long n = 0; n < attempts; n++) {
            int address = addresses[nextAddress];
            int port = nextPort;
            nextAddress++;
            if (nextAddress == addresses.length) {
                nextAddress = 0;
                nextPort = nextPort == LAST_PORT ? FIRST_PORT : nextPort + 1;
            }
            if (table.lookupOut(protocol, destAddr, destPort, address, port, now) == ConnectionTable.NONE) {
                return ((long) address << 32) | port;
            }
        }
        return -1;
    }
}
