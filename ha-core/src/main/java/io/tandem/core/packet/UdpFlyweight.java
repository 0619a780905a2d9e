package io.tandem.core.packet;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight over a UDP header (RFC 768; over IPv6, RFC 8200 §8.1).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Length             |           Checksum            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Checksum 0 has two special meanings (RFC 768, "Fields"): over IPv4 a
 * transmitted 0 means "no checksum", so a computed 0 is sent as 0xFFFF;
 * over IPv6 the checksum is mandatory and a 0 is invalid. The rewrite methods
 * leave a "no checksum" 0 alone and never produce 0.
 */
public final class UdpFlyweight {
    public static final int SOURCE_PORT_OFFSET = 0;
    public static final int DESTINATION_PORT_OFFSET = 2;
    public static final int LENGTH_OFFSET = 4;
    public static final int CHECKSUM_OFFSET = 6;
    public static final int HEADER_LENGTH = 8;
    /** The checksum field value meaning "not computed" (IPv4 only). */
    public static final int NO_CHECKSUM = 0;

    private MemorySegment segment = MemorySegment.NULL;
    private long offset;

    public UdpFlyweight wrap(MemorySegment segment, long offset) {
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

    public UdpFlyweight sourcePort(int port) {
        NetworkOrder.putShort(segment, offset + SOURCE_PORT_OFFSET, port);
        return this;
    }

    /** Both ports in one read: the source port in the high 16 bits, the destination port in the low 16. */
    public int ports() {
        return NetworkOrder.getInt(segment, offset + SOURCE_PORT_OFFSET);
    }

    /** Writes both ports in one store; the checksum is not touched. */
    public UdpFlyweight ports(int source, int destination) {
        NetworkOrder.putInt(segment, offset + SOURCE_PORT_OFFSET, (source & 0xFFFF) << 16 | (destination & 0xFFFF));
        return this;
    }

    public int destinationPort() {
        return NetworkOrder.getUnsignedShort(segment, offset + DESTINATION_PORT_OFFSET);
    }

    public UdpFlyweight destinationPort(int port) {
        NetworkOrder.putShort(segment, offset + DESTINATION_PORT_OFFSET, port);
        return this;
    }

    /** Length of header and payload in bytes. */
    public int length() {
        return NetworkOrder.getUnsignedShort(segment, offset + LENGTH_OFFSET);
    }

    public UdpFlyweight length(int length) {
        NetworkOrder.putShort(segment, offset + LENGTH_OFFSET, length);
        return this;
    }

    public int checksum() {
        return NetworkOrder.getUnsignedShort(segment, offset + CHECKSUM_OFFSET);
    }

    public UdpFlyweight checksum(int checksum) {
        NetworkOrder.putShort(segment, offset + CHECKSUM_OFFSET, checksum);
        return this;
    }

    public long payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    public int payloadLength() {
        return length() - HEADER_LENGTH;
    }

    /** Maps a computed checksum of 0 to 0xFFFF, its other one's-complement form, as RFC 768 requires. */
    public static int transmittedForm(int checksum) {
        return checksum == 0 ? 0xFFFF : checksum;
    }

    /**
     * The checksum to transmit, given the pseudo-header sum and the datagram's
     * length: summed with the checksum field taken as zero, 0 sent as 0xFFFF.
     */
    public int computeChecksum(long pseudoHeaderSum, int length) {
        long sum = InternetChecksum.sum(segment, offset, CHECKSUM_OFFSET, pseudoHeaderSum);
        sum = InternetChecksum.sum(segment, offset + HEADER_LENGTH, length - HEADER_LENGTH, sum);
        return transmittedForm(InternetChecksum.fold(sum));
    }

    public UdpFlyweight updateChecksum(long pseudoHeaderSum, int length) {
        return checksum(computeChecksum(pseudoHeaderSum, length));
    }

    /** Whether the checksum verifies; a 0 checksum does not (callers accept it over IPv4 before asking). */
    public boolean isChecksumValid(long pseudoHeaderSum, int length) {
        return checksum() != NO_CHECKSUM
                && InternetChecksum.fold(InternetChecksum.sum(segment, offset, length, pseudoHeaderSum)) == 0;
    }

    public UdpFlyweight rewriteSourcePort(int port) {
        adjust16(sourcePort(), port);
        return sourcePort(port);
    }

    public UdpFlyweight rewriteDestinationPort(int port) {
        adjust16(destinationPort(), port);
        return destinationPort(port);
    }

    /**
     * Applies the summed RFC 1624 terms of every covered word that changed (pseudo-header
     * included), see {@link InternetChecksum#adjust}: one fold for a whole rewrite. A "no checksum"
     * 0 stays 0; a result of 0 is sent as 0xFFFF.
     */
    public UdpFlyweight adjustChecksum(long delta) {
        int checksum = checksum();
        if (checksum != NO_CHECKSUM) {
            checksum(transmittedForm(InternetChecksum.adjust(checksum, delta)));
        }
        return this;
    }

    /** Accounts in the checksum for an IPv4 pseudo-header address change; a "no checksum" 0 stays 0. */
    public UdpFlyweight adjustChecksumForAddress(int oldAddress, int newAddress) {
        int checksum = checksum();
        if (checksum != NO_CHECKSUM) {
            checksum(transmittedForm(InternetChecksum.update32(checksum, oldAddress, newAddress)));
        }
        return this;
    }

    /** Accounts in the checksum for 64 bits of an IPv6 pseudo-header address changing. */
    public UdpFlyweight adjustChecksumForAddress(long oldHalf, long newHalf) {
        int checksum = checksum();
        if (checksum != NO_CHECKSUM) {
            checksum(transmittedForm(InternetChecksum.update64(checksum, oldHalf, newHalf)));
        }
        return this;
    }

    private void adjust16(int oldWord, int newWord) {
        int checksum = checksum();
        if (checksum != NO_CHECKSUM) {
            checksum(transmittedForm(InternetChecksum.update16(checksum, oldWord, newWord)));
        }
    }
}
