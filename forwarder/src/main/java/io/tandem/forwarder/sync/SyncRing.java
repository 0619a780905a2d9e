package io.tandem.forwarder.sync;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A single-producer, single-consumer ring of sync entries, off-heap: the
 * forwarder worker and the sync daemon hand entries to each other through
 * two of them (the worker's changes out, the master's entries in) without
 * locks and without allocating. Each slot holds a message type byte (which
 * kind of message the entry travels in) and one {@link SyncEntryFlyweight}.
 *
 * <p>The producer {@link #claim}s a slot, writes it and {@link #commit}s;
 * a full ring refuses the claim (the caller counts the overflow) rather
 * than block the worker. The consumer {@link #peek}s and {@link #release}s.
 */
public final class SyncRing implements AutoCloseable {
    public static final int SLOT = 4 + SyncEntryFlyweight.LENGTH;
    /** The slot's type byte: the entry is a live change (sent as {@link SyncMessageFlyweight#TYPE_UPDATE}). */
    public static final int SLOT_UPDATE = SyncMessageFlyweight.TYPE_UPDATE;
    /** The slot's type byte: the entry is a page of a bulk resync. */
    public static final int SLOT_RESYNC = SyncMessageFlyweight.TYPE_RESYNC_PAGE;
    /** The slot's type byte: a bulk resync walk has ended (no entry; becomes a RESYNC_DONE message). */
    public static final int SLOT_RESYNC_DONE = SyncMessageFlyweight.TYPE_RESYNC_DONE;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment slots;
    private final int mask;
    private final AtomicLong head = new AtomicLong(); // next slot the consumer reads
    private final AtomicLong tail = new AtomicLong(); // next slot the producer writes
    private long cachedHead;
    private long claimed = -1;
    private final SyncEntryFlyweight entry = new SyncEntryFlyweight();
    private final SyncEntryFlyweight readEntry = new SyncEntryFlyweight();

    /** @param capacity slots, rounded up to a power of two */
    public SyncRing(int capacity) {
        if (capacity < 2 || capacity > (1 << 24)) {
            throw new IllegalArgumentException("invalid sync ring capacity: " + capacity + " (expected: 2 ~ 16777216)");
        }
        int size = Integer.highestOneBit(capacity - 1) << 1;
        this.mask = size - 1;
        this.slots = arena.allocate((long) size * SLOT, 8);
    }

    public int capacity() {
        return mask + 1;
    }

    /** Entries waiting for the consumer. */
    public int size() {
        return (int) (tail.get() - head.get());
    }

    // ---------------------------------------------------------------- producer

    /**
     * Claims the next slot for an entry that travels in messages of
     * {@code slotType}; returns the entry to write, or null when the ring is full.
     */
    public SyncEntryFlyweight claim(int slotType) {
        long t = tail.getPlain();
        if (t - cachedHead > mask) {
            cachedHead = head.getAcquire();
            if (t - cachedHead > mask) {
                return null;
            }
        }
        claimed = t;
        long offset = (t & mask) * SLOT;
        slots.set(ValueLayout.JAVA_BYTE, offset, (byte) slotType);
        return entry.wrap(slots, offset + 4);
    }

    /** Publishes the claimed slot to the consumer. */
    public void commit() {
        if (claimed < 0) {
            throw new IllegalStateException("no slot claimed");
        }
        tail.setRelease(claimed + 1);
        claimed = -1;
    }

    // ---------------------------------------------------------------- consumer

    /** The oldest slot's type, or -1 when the ring is empty; {@link #entry()} reads its entry. */
    public int peek() {
        long h = head.getPlain();
        if (h == tail.getAcquire()) {
            return -1;
        }
        long offset = (h & mask) * SLOT;
        readEntry.wrap(slots, offset + 4);
        return slots.get(ValueLayout.JAVA_BYTE, offset) & 0xFF;
    }

    /** The entry of the slot {@link #peek()} returned. */
    public SyncEntryFlyweight entry() {
        return readEntry;
    }

    /** The segment and offset of the peeked entry, for copying it whole. */
    public MemorySegment segment() {
        return slots;
    }

    public long entryOffset() {
        return (head.getPlain() & mask) * SLOT + 4;
    }

    /** Frees the slot {@link #peek()} returned. */
    public void release() {
        head.setRelease(head.getPlain() + 1);
    }

    @Override
    public void close() {
        arena.close();
    }
}
