package io.tandem.core.packet;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight over a TCP header (RFC 9293 §3.1; options §3.2; ECE/CWR per
 * RFC 3168 §6.1).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * |       |       |R|E|G|K|H|T|N|N|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           [Options]                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Options are iterated without allocation: {@link #firstOption()} and
 * {@link #nextOption(long)} return absolute offsets, or {@link #OPTIONS_END}
 * or {@link #OPTIONS_MALFORMED}. Sequence numbers are {@code int}s compared
 * modulo 2^32. The checksum covers the pseudo-header (see {@link PseudoHeader}),
 * the header and the payload; the rewrite methods keep it right by RFC 1624.
 */
public final class TcpFlyweight {
    public static final int SOURCE_PORT_OFFSET = 0;
    public static final int DESTINATION_PORT_OFFSET = 2;
    public static final int SEQUENCE_NUMBER_OFFSET = 4;
    public static final int ACKNOWLEDGMENT_NUMBER_OFFSET = 8;
    public static final int DATA_OFFSET_OFFSET = 12;
    public static final int FLAGS_OFFSET = 13;
    public static final int WINDOW_OFFSET = 14;
    public static final int CHECKSUM_OFFSET = 16;
    public static final int URGENT_POINTER_OFFSET = 18;
    public static final int OPTIONS_OFFSET = 20;

    public static final int MIN_HEADER_LENGTH = 20;
    public static final int MAX_HEADER_LENGTH = 60;
    public static final int MIN_DATA_OFFSET = 5;

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    /** Option kinds (RFC 9293 §3.2, RFC 7323 §2-3, RFC 2018 §2). */
    public static final int OPTION_END = 0;
    public static final int OPTION_NOP = 1;
    public static final int OPTION_MSS = 2;
    public static final int OPTION_WINDOW_SCALE = 3;
    public static final int OPTION_SACK_PERMITTED = 4;
    public static final int OPTION_SACK = 5;
    public static final int OPTION_TIMESTAMPS = 8;

    /** {@link #firstOption()} / {@link #nextOption(long)}: no more options. */
    public static final long OPTIONS_END = -1;
    /** {@link #firstOption()} / {@link #nextOption(long)}: an option's length is below 2 or runs past the header. */
    public static final long OPTIONS_MALFORMED = -2;

    private MemorySegment segment = MemorySegment.NULL;
    private long offset;

    public TcpFlyweight wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    public MemorySegment segment() {
        return segment;
    }

    public long offset() {
        return offset;
    }

    public int sourcePort() {
        return NetworkOrder.getUnsignedShort(segment, offset + SOURCE_PORT_OFFSET);
    }

    public TcpFlyweight sourcePort(int port) {
        NetworkOrder.putShort(segment, offset + SOURCE_PORT_OFFSET, port);
        return this;
    }

    /** Both ports in one read: the source port in the high 16 bits, the destination port in the low 16. */
    public int ports() {
        return NetworkOrder.getInt(segment, offset + SOURCE_PORT_OFFSET);
    }

    /** Writes both ports in one store; the checksum is not touched. */
    public TcpFlyweight ports(int source, int destination) {
        NetworkOrder.putInt(segment, offset + SOURCE_PORT_OFFSET, (source & 0xFFFF) << 16 | (destination & 0xFFFF));
        return this;
    }

    public int destinationPort() {
        return NetworkOrder.getUnsignedShort(segment, offset + DESTINATION_PORT_OFFSET);
    }

    public TcpFlyweight destinationPort(int port) {
        NetworkOrder.putShort(segment, offset + DESTINATION_PORT_OFFSET, port);
        return this;
    }

    public int sequenceNumber() {
        return NetworkOrder.getInt(segment, offset + SEQUENCE_NUMBER_OFFSET);
    }

    public TcpFlyweight sequenceNumber(int sequence) {
        NetworkOrder.putInt(segment, offset + SEQUENCE_NUMBER_OFFSET, sequence);
        return this;
    }

    public int acknowledgmentNumber() {
        return NetworkOrder.getInt(segment, offset + ACKNOWLEDGMENT_NUMBER_OFFSET);
    }

    public TcpFlyweight acknowledgmentNumber(int acknowledgment) {
        NetworkOrder.putInt(segment, offset + ACKNOWLEDGMENT_NUMBER_OFFSET, acknowledgment);
        return this;
    }

    /** Data Offset: header length in 32-bit words. */
    public int dataOffset() {
        return NetworkOrder.getUnsignedByte(segment, offset + DATA_OFFSET_OFFSET) >>> 4;
    }

    /** Writes the Data Offset, clearing the reserved bits. */
    public TcpFlyweight dataOffset(int words) {
        NetworkOrder.putByte(segment, offset + DATA_OFFSET_OFFSET, (words & 0x0F) << 4);
        return this;
    }

    public int headerLength() {
        return dataOffset() * 4;
    }

    /** The eight control bits (CWR ... FIN). */
    public int flags() {
        return NetworkOrder.getUnsignedByte(segment, offset + FLAGS_OFFSET);
    }

    public TcpFlyweight flags(int flags) {
        NetworkOrder.putByte(segment, offset + FLAGS_OFFSET, flags);
        return this;
    }

    /** Whether all bits of {@code mask} are set. */
    public boolean hasFlags(int mask) {
        return (flags() & mask) == mask;
    }

    public int window() {
        return NetworkOrder.getUnsignedShort(segment, offset + WINDOW_OFFSET);
    }

    public TcpFlyweight window(int window) {
        NetworkOrder.putShort(segment, offset + WINDOW_OFFSET, window);
        return this;
    }

    public int checksum() {
        return NetworkOrder.getUnsignedShort(segment, offset + CHECKSUM_OFFSET);
    }

    public TcpFlyweight checksum(int checksum) {
        NetworkOrder.putShort(segment, offset + CHECKSUM_OFFSET, checksum);
        return this;
    }

    public int urgentPointer() {
        return NetworkOrder.getUnsignedShort(segment, offset + URGENT_POINTER_OFFSET);
    }

    public TcpFlyweight urgentPointer(int pointer) {
        NetworkOrder.putShort(segment, offset + URGENT_POINTER_OFFSET, pointer);
        return this;
    }

    /** Absolute offset of the payload. */
    public long payloadOffset() {
        return offset + headerLength();
    }

    public int optionsLength() {
        return headerLength() - MIN_HEADER_LENGTH;
    }

    /**
     * Bytes by which the options can still grow, 40 in all (RFC 9293 §3.1,
     * Data Offset is 4 bits): the room a rewriter has to insert an option,
     * such as the client-address option FULLNAT adds, by moving the payload,
     * raising Data Offset and the IP length and fixing both checksums.
     */
    public int optionSpaceRemaining() {
        return MAX_HEADER_LENGTH - headerLength();
    }

    /** Absolute offset of the first option, {@link #OPTIONS_END}, or {@link #OPTIONS_MALFORMED}. */
    public long firstOption() {
        return checkedOption(offset + OPTIONS_OFFSET);
    }

    /** Absolute offset of the option after the one at {@code position}, {@link #OPTIONS_END}, or {@link #OPTIONS_MALFORMED}. */
    public long nextOption(long position) {
        return checkedOption(position + optionLength(position));
    }

    /** The kind of the option at {@code position}. */
    public int optionKind(long position) {
        return NetworkOrder.getUnsignedByte(segment, position);
    }

    /** The length of the option at {@code position}: 1 for End and No-Operation, else its length octet. */
    public int optionLength(long position) {
        int kind = optionKind(position);
        return kind == OPTION_END || kind == OPTION_NOP ? 1 : NetworkOrder.getUnsignedByte(segment, position + 1);
    }

    /** The offset of the first option of {@code kind}, {@link #OPTIONS_END} if absent, or {@link #OPTIONS_MALFORMED}. */
    public long findOption(int kind) {
        long position = firstOption();
        while (position >= 0 && optionKind(position) != kind) {
            position = nextOption(position);
        }
        return position;
    }

    /** The MSS option's value (RFC 9293 §3.7.1), or -1 when absent or malformed. */
    public int maximumSegmentSize() {
        long position = findOption(OPTION_MSS);
        if (position < 0 || optionLength(position) != 4) {
            return -1;
        }
        return NetworkOrder.getUnsignedShort(segment, position + 2);
    }

    private long checkedOption(long position) {
        long end = offset + headerLength();
        if (position >= end) {
            return OPTIONS_END;
        }
        int kind = optionKind(position);
        if (kind == OPTION_END) {
            return OPTIONS_END;
        }
        if (kind == OPTION_NOP) {
            return position;
        }
        if (position + 2 > end) {
            return OPTIONS_MALFORMED;
        }
        int length = NetworkOrder.getUnsignedByte(segment, position + 1);
        if (length < 2 || position + length > end) {
            return OPTIONS_MALFORMED;
        }
        return position;
    }

    /**
     * The checksum this segment should carry, given the pseudo-header sum and
     * the segment's length (header and payload): summed with the checksum
     * field taken as zero.
     */
    public int computeChecksum(long pseudoHeaderSum, int length) {
        long sum = InternetChecksum.sum(segment, offset, CHECKSUM_OFFSET, pseudoHeaderSum);
        sum = InternetChecksum.sum(segment, offset + URGENT_POINTER_OFFSET, length - URGENT_POINTER_OFFSET, sum);
        return InternetChecksum.fold(sum);
    }

    public TcpFlyweight updateChecksum(long pseudoHeaderSum, int length) {
        return checksum(computeChecksum(pseudoHeaderSum, length));
    }

    public boolean isChecksumValid(long pseudoHeaderSum, int length) {
        return InternetChecksum.fold(InternetChecksum.sum(segment, offset, length, pseudoHeaderSum)) == 0;
    }

    public TcpFlyweight rewriteSourcePort(int port) {
        checksum(InternetChecksum.update16(checksum(), sourcePort(), port));
        return sourcePort(port);
    }

    public TcpFlyweight rewriteDestinationPort(int port) {
        checksum(InternetChecksum.update16(checksum(), destinationPort(), port));
        return destinationPort(port);
    }

    public TcpFlyweight rewriteSequenceNumber(int sequence) {
        checksum(InternetChecksum.update32(checksum(), sequenceNumber(), sequence));
        return sequenceNumber(sequence);
    }

    public TcpFlyweight rewriteAcknowledgmentNumber(int acknowledgment) {
        checksum(InternetChecksum.update32(checksum(), acknowledgmentNumber(), acknowledgment));
        return acknowledgmentNumber(acknowledgment);
    }

    /**
     * Applies the summed RFC 1624 terms of every covered word that changed (pseudo-header
     * included), see {@link InternetChecksum#adjust}: one fold for a whole rewrite.
     */
    public TcpFlyweight adjustChecksum(long delta) {
        return checksum(InternetChecksum.adjust(checksum(), delta));
    }

    /** Accounts in the checksum for an IPv4 pseudo-header address changing from {@code oldAddress} to {@code newAddress}. */
    public TcpFlyweight adjustChecksumForAddress(int oldAddress, int newAddress) {
        return checksum(InternetChecksum.update32(checksum(), oldAddress, newAddress));
    }

    /** Accounts in the checksum for 64 bits of an IPv6 pseudo-header address changing. */
    public TcpFlyweight adjustChecksumForAddress(long oldHalf, long newHalf) {
        return checksum(InternetChecksum.update64(checksum(), oldHalf, newHalf));
    }
}
