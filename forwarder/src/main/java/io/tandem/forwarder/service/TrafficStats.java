package io.tandem.forwarder.service;

import java.util.Arrays;

/**
 * Connections, packets and bytes in and out per real-server slot of one
 * service, and their sums (ipvsadm --stats). Written by the worker only;
 * readers on other threads see eventually-consistent plain longs.
 */
public final class TrafficStats {
    public static final int CONNECTIONS = 0;
    public static final int IN_PACKETS = 1;
    public static final int OUT_PACKETS = 2;
    public static final int IN_BYTES = 3;
    public static final int OUT_BYTES = 4;
    private static final int FIELDS = 5;

    private long[] counts = new long[8 * FIELDS];
    private final long[] totals = new long[FIELDS];

    private void ensure(int slot) {
        if ((slot + 1) * FIELDS > counts.length) {
            counts = Arrays.copyOf(counts, Math.max(counts.length * 2, (slot + 1) * FIELDS));
        }
    }

    public void connection(int slot) {
        add(slot, CONNECTIONS, 1);
    }

    public void in(int slot, int bytes) {
        add(slot, IN_PACKETS, 1);
        add(slot, IN_BYTES, bytes);
    }

    public void out(int slot, int bytes) {
        add(slot, OUT_PACKETS, 1);
        add(slot, OUT_BYTES, bytes);
    }

    private void add(int slot, int field, long n) {
        ensure(slot);
        counts[slot * FIELDS + field] += n;
        totals[field] += n;
    }

    public long get(int slot, int field) {
        int i = slot * FIELDS + field;
        return i < counts.length ? counts[i] : 0;
    }

    public long total(int field) {
        return totals[field];
    }

    /** Forgets a slot's counts when the slot is reused for another real server (the totals keep them). */
    public void resetSlot(int slot) {
        ensure(slot);
        Arrays.fill(counts, slot * FIELDS, (slot + 1) * FIELDS, 0);
    }
}
