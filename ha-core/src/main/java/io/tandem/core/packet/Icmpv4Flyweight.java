package io.tandem.core.packet;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight over an ICMP message for IPv4 (RFC 792; Fragmentation Needed's
 * next-hop MTU, RFC 1191 §4).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Identifier          |        Sequence Number        |  echo, echo reply
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            unused             |         Next-Hop MTU          |  error messages
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Internet Header + 64 bits of Original Data Datagram      |  error messages
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The checksum covers the whole ICMP message, no pseudo-header.
 */
public final class Icmpv4Flyweight {
    public static final int TYPE_OFFSET = 0;
    public static final int CODE_OFFSET = 1;
    public static final int CHECKSUM_OFFSET = 2;
    public static final int IDENTIFIER_OFFSET = 4;
    public static final int SEQUENCE_NUMBER_OFFSET = 6;
    public static final int NEXT_HOP_MTU_OFFSET = 6;
    /** Where an error message's copy of the original IP header starts. */
    public static final int ORIGINAL_DATAGRAM_OFFSET = 8;
    public static final int HEADER_LENGTH = 8;
    /** Original data that an error message must carry after the IP header: 64 bits. */
    public static final int ORIGINAL_DATA_LENGTH = 8;

    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_DESTINATION_UNREACHABLE = 3;
    public static final int TYPE_SOURCE_QUENCH = 4;
    public static final int TYPE_REDIRECT = 5;
    public static final int TYPE_ECHO = 8;
    public static final int TYPE_TIME_EXCEEDED = 11;
    public static final int TYPE_PARAMETER_PROBLEM = 12;
    public static final int TYPE_TIMESTAMP = 13;
    public static final int TYPE_TIMESTAMP_REPLY = 14;

    public static final int CODE_FRAGMENTATION_NEEDED = 4;

    private MemorySegment segment = MemorySegment.NULL;
    private long offset;

    public Icmpv4Flyweight wrap(MemorySegment segment, long offset) {
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

    public int type() {
        return NetworkOrder.getUnsignedByte(segment, offset + TYPE_OFFSET);
    }

    public Icmpv4Flyweight type(int type) {
        NetworkOrder.putByte(segment, offset + TYPE_OFFSET, type);
        return this;
    }

    public int code() {
        return NetworkOrder.getUnsignedByte(segment, offset + CODE_OFFSET);
    }

    public Icmpv4Flyweight code(int code) {
        NetworkOrder.putByte(segment, offset + CODE_OFFSET, code);
        return this;
    }

    public int checksum() {
        return NetworkOrder.getUnsignedShort(segment, offset + CHECKSUM_OFFSET);
    }

    public Icmpv4Flyweight checksum(int checksum) {
        NetworkOrder.putShort(segment, offset + CHECKSUM_OFFSET, checksum);
        return this;
    }

    /** Whether this is an echo or echo reply, which carry an identifier and sequence number. */
    public boolean isEcho() {
        int type = type();
        return type == TYPE_ECHO || type == TYPE_ECHO_REPLY;
    }

    public int identifier() {
        return NetworkOrder.getUnsignedShort(segment, offset + IDENTIFIER_OFFSET);
    }

    public Icmpv4Flyweight identifier(int identifier) {
        NetworkOrder.putShort(segment, offset + IDENTIFIER_OFFSET, identifier);
        return this;
    }

    public int sequenceNumber() {
        return NetworkOrder.getUnsignedShort(segment, offset + SEQUENCE_NUMBER_OFFSET);
    }

    public Icmpv4Flyweight sequenceNumber(int sequence) {
        NetworkOrder.putShort(segment, offset + SEQUENCE_NUMBER_OFFSET, sequence);
        return this;
    }

    /** Next-hop MTU of a Destination Unreachable / Fragmentation Needed message (RFC 1191 §4). */
    public int nextHopMtu() {
        return NetworkOrder.getUnsignedShort(segment, offset + NEXT_HOP_MTU_OFFSET);
    }

    /** Writes a Fragmentation Needed message's next-hop MTU and zeroes the unused field before it (RFC 1191 §4). */
    public Icmpv4Flyweight nextHopMtu(int mtu) {
        NetworkOrder.putShort(segment, offset + IDENTIFIER_OFFSET, 0);
        NetworkOrder.putShort(segment, offset + NEXT_HOP_MTU_OFFSET, mtu);
        return this;
    }

    /** Whether this is an error message carrying the original datagram's IP header and first 8 data bytes. */
    public boolean isError() {
        return isErrorType(type());
    }

    public static boolean isErrorType(int type) {
        return switch (type) {
            case TYPE_DESTINATION_UNREACHABLE, TYPE_SOURCE_QUENCH, TYPE_REDIRECT,
                 TYPE_TIME_EXCEEDED, TYPE_PARAMETER_PROBLEM -> true;
            default -> false;
        };
    }

    /** Absolute offset of an error message's embedded original IP header (wrap an {@link Ipv4Flyweight} there). */
    public long originalDatagramOffset() {
        return offset + ORIGINAL_DATAGRAM_OFFSET;
    }

    /** The checksum the message of {@code length} bytes should carry, its checksum field taken as zero. */
    public int computeChecksum(int length) {
        long sum = InternetChecksum.sum(segment, offset, CHECKSUM_OFFSET, 0);
        sum = InternetChecksum.sum(segment, offset + IDENTIFIER_OFFSET, length - IDENTIFIER_OFFSET, sum);
        return InternetChecksum.fold(sum);
    }

    public Icmpv4Flyweight updateChecksum(int length) {
        return checksum(computeChecksum(length));
    }

    public boolean isChecksumValid(int length) {
        return InternetChecksum.isValid(segment, offset, length);
    }

    /** Sets the identifier and updates the checksum incrementally (RFC 1624): the echo "port" NAT rewrites. */
    public Icmpv4Flyweight rewriteIdentifier(int identifier) {
        checksum(InternetChecksum.update16(checksum(), identifier(), identifier));
        return identifier(identifier);
    }
}
