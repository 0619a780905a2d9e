package io.tandem.core.packet;

import io.netty.buffer.ByteBuf;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The Internet checksum (RFC 1071) and its incremental update (RFC 1624).
 *
 * <p>Partial sums are plain {@code long}s of 16-bit big-endian words, so a
 * pseudo-header and a payload can be summed separately and added (RFC 1071
 * §2(A), "associative"); {@link #fold} turns a partial sum into the final
 * one's-complement checksum. A block summed on its own must start at an even
 * byte of the covered data: an odd-length block pads its last byte with a zero
 * octet (RFC 1071 §4.1), so only the last block of a sum may have odd length.
 *
 * <p>Nothing here allocates. A negative length is a programming error and
 * throws; the caller validates the lengths it takes from packets.
 */
public final class InternetChecksum {
    private InternetChecksum() {
    }

    /**
     * Adds {@code length} bytes at {@code offset} to {@code sum}, as 16-bit
     * big-endian words (RFC 1071 §4.1). Eight bytes are read at a time: a
     * 64-bit word is two 32-bit halves, and a 32-bit value is congruent to the
     * sum of its two 16-bit words modulo 0xFFFF (RFC 1071 §2(C), "parallel
     * summation"), so the folded result is the same.
     */
    public static long sum(MemorySegment segment, long offset, int length, long sum) {
        checkLength(length);
        long i = offset;
        long end = offset + length;
        for (; i + 8 <= end; i += 8) {
            long word = NetworkOrder.getLong(segment, i);
            sum += (word >>> 32) + (word & 0xFFFF_FFFFL);
        }
        if (i + 4 <= end) {
            sum += NetworkOrder.getInt(segment, i) & 0xFFFF_FFFFL;
            i += 4;
        }
        if (i + 2 <= end) {
            sum += NetworkOrder.getUnsignedShort(segment, i);
            i += 2;
        }
        if (i < end) {
            sum += NetworkOrder.getUnsignedByte(segment, i) << 8;
        }
        return sum;
    }

    /**
     * Adds {@code length} bytes of {@code buf} from {@code index} to {@code sum}.
     * Bytes are read in network order whatever the buffer's (deprecated) byte order.
     */
    public static long sum(ByteBuf buf, int index, int length, long sum) {
        checkLength(length);
        int i = index;
        int end = index + length;
        for (; i + 2 <= end; i += 2) {
            sum += (buf.getUnsignedByte(i) << 8) | buf.getUnsignedByte(i + 1);
        }
        if (i < end) {
            sum += buf.getUnsignedByte(i) << 8;
        }
        return sum;
    }

    /** Adds {@code length} bytes of {@code bytes} from {@code offset} to {@code sum}. */
    public static long sum(byte[] bytes, int offset, int length, long sum) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
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

    /**
     * Folds a partial sum to 16 bits with end-around carry and complements it
     * (RFC 1071 §4.1): the value to store in a checksum field. Data that
     * contains its own correct checksum folds to 0.
     */
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

    /** The checksum of {@code length} bytes of {@code bytes} from {@code offset}. */
    public static int checksum(byte[] bytes, int offset, int length) {
        return fold(sum(bytes, offset, length, 0));
    }

    /** The checksum of {@code length} bytes of {@code buf} from {@code index}. */
    public static int checksum(ByteBuf buf, int index, int length) {
        return fold(sum(buf, index, length, 0));
    }

    /**
     * Whether data that includes its checksum field verifies: its sum, checksum
     * included, is all ones, so it folds to 0 (RFC 1071 §1).
     */
    public static boolean isValid(MemorySegment segment, long offset, int length) {
        return checksum(segment, offset, length) == 0;
    }

    /**
     * RFC 1624 §3 eqn. 3: the checksum after one 16-bit word of the covered
     * data changes from {@code oldWord} to {@code newWord},
     * {@code HC' = ~(~HC + ~m + m')}. Unlike eqn. 2 ({@code HC - ~m - m'}),
     * whose two's-complement subtraction can yield 0xFFFF ("-0") where a full
     * recomputation gives 0x0000 (RFC 1624 §4), this form gives exactly what a
     * full recomputation of the new data gives. The one exception is covered
     * data that sums to +0, i.e. is all zeros (RFC 1624 §3, the +0 of one's complement): a word changing
     * from 0 to 0 there yields 0x0000 instead of 0xFFFF. IP headers and
     * pseudo-headers always hold a non-zero word (version, protocol), so no
     * packet checksum meets it.
     *
     * <p>The word must be aligned to an even offset of the covered data; a
     * field at an odd offset is updated with its bytes swapped (RFC 1071 §2(B)).
     */
    public static int update16(int checksum, int oldWord, int newWord) {
        long sum = (~checksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
        return fold(sum);
    }

    /** {@link #update16} for a 32-bit field (an IPv4 address, a TCP sequence number): both of its words change. */
    public static int update32(int checksum, int oldValue, int newValue) {
        long sum = (~checksum & 0xFFFF)
                + (~(oldValue >>> 16) & 0xFFFF) + (~oldValue & 0xFFFF)
                + ((newValue >>> 16) & 0xFFFF) + (newValue & 0xFFFF);
        return fold(sum);
    }

    /** {@link #update16} for a 64-bit field (half of an IPv6 address): all four of its words change. */
    public static int update64(int checksum, long oldValue, long newValue) {
        long sum = (~checksum & 0xFFFF)
                + (~(oldValue >>> 48) & 0xFFFF) + (~(oldValue >>> 32) & 0xFFFF)
                + (~(oldValue >>> 16) & 0xFFFF) + (~oldValue & 0xFFFF)
                + ((newValue >>> 48) & 0xFFFF) + ((newValue >>> 32) & 0xFFFF)
                + ((newValue >>> 16) & 0xFFFF) + (newValue & 0xFFFF);
        return fold(sum);
    }

    /**
     * The RFC 1624 §3 eqn. 3 term of one 16-bit word changing from {@code oldWord} to
     * {@code newWord}: {@code ~m + m'}, to be added up over every changed word of the covered data
     * and applied once with {@link #adjust}. Summing the terms of several fields and folding once
     * gives exactly what updating field after field does, and what a full recomputation gives
     * (with the one exception {@link #update16} names): every step is the same sum modulo 0xFFFF,
     * and a fold yields 0 only for an all-zero sum.
     */
    public static long delta16(int oldWord, int newWord) {
        return (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
    }

    /** {@link #delta16} for a 32-bit field (an IPv4 address): the terms of both of its words. */
    public static long delta32(int oldValue, int newValue) {
        return (~(oldValue >>> 16) & 0xFFFF) + (~oldValue & 0xFFFF)
                + ((newValue >>> 16) & 0xFFFF) + (newValue & 0xFFFF);
    }

    /**
     * RFC 1624 §3 eqn. 3 over any number of changed words: {@code HC' = ~(~HC + delta)}, where
     * {@code delta} is the sum of {@link #delta16} / {@link #delta32} terms (below 2^47, so that
     * nothing overflows). {@code adjust(hc, delta16(m, m'))} is {@code update16(hc, m, m')}.
     */
    public static int adjust(int checksum, long delta) {
        return fold((~checksum & 0xFFFF) + delta);
    }

    private static void checkLength(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("invalid length: " + length + " (expected: >= 0)");
        }
    }
}
