package io.tandem.forwarder.sync;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Tandem's connection-sync message (version 1), a flyweight over one UDP
 * payload. Big-endian on the wire. Unlike IPVS's sync v1 it carries an epoch,
 * a sequence number and an HMAC-SHA256 trailer, so a standby can refuse
 * forged, replayed and stale messages.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        magic "TDSY"                           |
 * +---------------+---------------+-------------------------------+
 * |   version=1   |     type      |          entry count          |
 * +---------------+---------------+-------------------------------+
 * |                           sync id                             |
 * +-------------------------------+-------------------------------+
 * |        message length         |           reserved            |
 * +-------------------------------+-------------------------------+
 * |                        epoch (64 bits)                        |
 * +                                                               +
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                      sequence (64 bits)                       |
 * +                                                               +
 * |                                                               |
 * +---------------------------------------------------------------+
 * |           entries, {@link SyncEntryFlyweight#LENGTH} bytes each        ...
 * +---------------------------------------------------------------+
 * |                  HMAC-SHA256 (32 bytes) over all of the above ...
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <p>The message length covers the header, the entries and the trailer.
 */
public final class SyncMessageFlyweight {
    public static final int MAGIC = 0x54445359; // "TDSY"
    public static final int VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int TYPE_OFFSET = 5;
    public static final int COUNT_OFFSET = 6;
    public static final int SYNC_ID_OFFSET = 8;
    public static final int LENGTH_OFFSET = 12;
    public static final int EPOCH_OFFSET = 16;
    public static final int SEQUENCE_OFFSET = 24;
    public static final int HEADER_LENGTH = 32;
    public static final int HMAC_LENGTH = 32;

    /** Live table changes from the master. */
    public static final int TYPE_UPDATE = 1;
    /** A standby asks for the whole table (no entries). */
    public static final int TYPE_RESYNC_REQUEST = 2;
    /** One page of a bulk resync. */
    public static final int TYPE_RESYNC_PAGE = 3;
    /** The last page of a bulk resync has been sent (no entries). */
    public static final int TYPE_RESYNC_DONE = 4;

    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    private MemorySegment segment;
    private long offset;
    private int capacity;

    /** Points this flyweight at {@code capacity} bytes of {@code segment} from {@code offset}. */
    public SyncMessageFlyweight wrap(MemorySegment segment, long offset, int capacity) {
        this.segment = segment;
        this.offset = offset;
        this.capacity = capacity;
        return this;
    }

    /** The largest number of entries that fit a message of {@code maxLength} bytes. */
    public static int entriesThatFit(int maxLength) {
        return Math.max(0, (maxLength - HEADER_LENGTH - HMAC_LENGTH) / SyncEntryFlyweight.LENGTH);
    }

    public static int lengthFor(int entries) {
        return HEADER_LENGTH + entries * SyncEntryFlyweight.LENGTH + HMAC_LENGTH;
    }

    public int capacity() {
        return capacity;
    }

    public int magic() {
        return segment.get(INT, offset + MAGIC_OFFSET);
    }

    public int version() {
        return segment.get(BYTE, offset + VERSION_OFFSET) & 0xFF;
    }

    public int type() {
        return segment.get(BYTE, offset + TYPE_OFFSET) & 0xFF;
    }

    public int entryCount() {
        return segment.get(SHORT, offset + COUNT_OFFSET) & 0xFFFF;
    }

    public int syncId() {
        return segment.get(INT, offset + SYNC_ID_OFFSET);
    }

    public int messageLength() {
        return segment.get(SHORT, offset + LENGTH_OFFSET) & 0xFFFF;
    }

    public long epoch() {
        return segment.get(LONG, offset + EPOCH_OFFSET);
    }

    public long sequence() {
        return segment.get(LONG, offset + SEQUENCE_OFFSET);
    }

    /** Writes a header for {@code entries} entries (the HMAC is added by {@link SyncAuthenticator#sign}). */
    public SyncMessageFlyweight writeHeader(int type, int syncId, long epoch, long sequence, int entries) {
        int length = lengthFor(entries);
        if (length > capacity) {
            throw new IllegalArgumentException("sync message too long: " + entries + " entries need " + length
                    + " bytes (expected: <= " + capacity + ")");
        }
        segment.set(INT, offset + MAGIC_OFFSET, MAGIC);
        segment.set(BYTE, offset + VERSION_OFFSET, (byte) VERSION);
        segment.set(BYTE, offset + TYPE_OFFSET, (byte) type);
        segment.set(SHORT, offset + COUNT_OFFSET, (short) entries);
        segment.set(INT, offset + SYNC_ID_OFFSET, syncId);
        segment.set(SHORT, offset + LENGTH_OFFSET, (short) length);
        segment.set(SHORT, offset + LENGTH_OFFSET + 2, (short) 0);
        segment.set(LONG, offset + EPOCH_OFFSET, epoch);
        segment.set(LONG, offset + SEQUENCE_OFFSET, sequence);
        return this;
    }

    /** The absolute offset of entry {@code index}, for {@link SyncEntryFlyweight#wrap}. */
    public long entryOffset(int index) {
        return offset + HEADER_LENGTH + (long) index * SyncEntryFlyweight.LENGTH;
    }

    public MemorySegment segment() {
        return segment;
    }

    public long offset() {
        return offset;
    }
}
