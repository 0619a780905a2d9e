package io.tandem.core.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Big-endian ("network byte order", RFC 1700) value layouts shared by the
 * flyweights, and the 48-bit MAC address accessors, which have no layout of
 * their own. All accesses are unaligned: headers sit at any offset in a frame.
 */
final class NetworkOrder {
    static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    static final ValueLayout.OfShort SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt INT =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfLong LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private NetworkOrder() {
    }

    static int getUnsignedByte(MemorySegment segment, long offset) {
        return segment.get(BYTE, offset) & 0xFF;
    }

    static void putByte(MemorySegment segment, long offset, int value) {
        segment.set(BYTE, offset, (byte) value);
    }

    static int getUnsignedShort(MemorySegment segment, long offset) {
        return segment.get(SHORT, offset) & 0xFFFF;
    }

    static void putShort(MemorySegment segment, long offset, int value) {
        segment.set(SHORT, offset, (short) value);
    }

    static int getInt(MemorySegment segment, long offset) {
        return segment.get(INT, offset);
    }

    static void putInt(MemorySegment segment, long offset, int value) {
        segment.set(INT, offset, value);
    }

    static long getLong(MemorySegment segment, long offset) {
        return segment.get(LONG, offset);
    }

    static void putLong(MemorySegment segment, long offset, long value) {
        segment.set(LONG, offset, value);
    }

    /** A MAC address as the low 48 bits of a long, first octet most significant. */
    static long getMac(MemorySegment segment, long offset) {
        return ((long) getUnsignedShort(segment, offset) << 32)
                | (getInt(segment, offset + 2) & 0xFFFF_FFFFL);
    }

    /** Writes the low 48 bits of {@code mac}, first octet most significant. */
    static void putMac(MemorySegment segment, long offset, long mac) {
        putShort(segment, offset, (int) (mac >>> 32));
        putInt(segment, offset + 2, (int) mac);
    }
}
