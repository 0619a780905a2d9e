package io.tandem.core.packet;

import io.netty.buffer.ByteBuf;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071) and its incremental update (RFC 1624).
 *
 * <p>Partial sums are plain {@code long}s of 16-bit big-endian words, so a
 * pseudo-header and a payload can be summed separately and added; {@link #fold}
 * turns a partial sum into the final one's-complement checksum. Nothing here
 * allocates.
 */
public final class InternetChecksum {
    private static final ValueLayout.OfShort BE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE_INT =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private InternetChecksum() {
    }

    /** Adds {@code length} bytes at {@code offset} to {@code sum}, as 16-bit big-endian words (RFC 1071 §4.1). */
    public static long sum(MemorySegment segment, long offset, int length, long sum) {
        long i = offset;
        long end = offset + length;
        for (; i + 4 <= end; i += 4) {
            sum += segment.get(BE_INT, i) & 0xFFFF_FFFFL;
        }
        if (i + 2 <= end) {
            sum += segment.get(BE_SHORT, i) & 0xFFFF;
            i += 2;
        }
        if (i < end) {
            sum += (segment.get(ValueLayout.JAVA_BYTE, i) & 0xFF) << 8;
        }
        return sum;
    }

    /** Adds {@code length} bytes of {@code buf} from {@code index} to {@code sum}. */
    public static long sum(ByteBuf buf, int index, int length, long sum) {
        int i = index;
        int end = index + length;
        for (; i + 4 <= end; i += 4) {
            sum += buf.getUnsignedInt(i);
        }
        if (i + 2 <= end) {
            sum += buf.getUnsignedShort(i);
            i += 2;
        }
        if (i < end) {
            sum += buf.getUnsignedByte(i) << 8;
        }
        return sum;
    }

    /** Adds {@code length} bytes of {@code bytes} from {@code offset} to {@code sum}. */
    public static long sum(byte[] bytes, int offset, int length, long sum) {
        int i = offset;
        int end = offset + length;
        for (; i + 2 <= end; i += 2) {
            sum += ((bytes[i] & 0xFF) << 8) | (bytes[i + 1] & 0xFF);
        }
        if (i < end) {
            sum += (bytes[i] & 0xFF) << 8;
        }
        return sum;
    }

    /** Folds a partial sum to 16 bits and complements it: the value to store in a checksum field. */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    /** The checksum of {@code length} bytes at {@code offset}. */
    public static int checksum(MemorySegment segment, long offset, int length) {
        return fold(sum(segment, offset, length, 0));
    }

    /**
     * RFC 1624 eqn. 3: the checksum after one 16-bit word of the covered data
     * changes from {@code oldWord} to {@code newWord}: {@code HC' = ~(~HC + ~m + m')}.
     */
    public static int update16(int checksum, int oldWord, int newWord) {
        long sum = (~checksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
        return fold(sum);
    }

    /** {@link #update16} for a 32-bit field (an IPv4 address): both of its words change. */
    public static int update32(int checksum, int oldValue, int newValue) {
        long sum = (~checksum & 0xFFFF)
                + (~(oldValue >>> 16) & 0xFFFF) + (~oldValue & 0xFFFF)
                + ((newValue >>> 16) & 0xFFFF) + (newValue & 0xFFFF);
        return fold(sum);
    }
}
