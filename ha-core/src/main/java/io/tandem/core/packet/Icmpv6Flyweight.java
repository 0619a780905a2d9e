package io.tandem.core.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Flyweight over an ICMPv6 message (RFC 4443 §2.1; Neighbor Discovery types,
 * RFC 4861 §4).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Identifier          |        Sequence Number        |  echo (§4.1, §4.2)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  MTU / Pointer / unused                       |  errors (§3)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    As much of the invoking packet as fits the minimum MTU     |  errors (§3)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Types below 128 are errors, 128 and above informational (§2.1). The
 * checksum covers the IPv6 pseudo-header with Next Header 58 (§2.3).
 *
 * <pre>
 * Neighbor Advertisement (RFC 4861 §4.4), then options (§4.6):
 * |     Type      |     Code      |          Checksum             |
 * |R|S|O|                     Reserved                            |
 * |                  Target Address (128 bits)                    |
 * |     Type      |    Length     |    Link-Layer Address ...     |  option 2: Target Link-Layer Address
 * </pre>
 */
public final class Icmpv6Flyweight {
    public static final int TYPE_OFFSET = 0;
    public static final int CODE_OFFSET = 1;
    public static final int CHECKSUM_OFFSET = 2;
    public static final int IDENTIFIER_OFFSET = 4;
    public static final int SEQUENCE_NUMBER_OFFSET = 6;
    /** Packet Too Big's MTU, Parameter Problem's pointer (32 bits). */
    public static final int PARAMETER_OFFSET = 4;
    public static final int INVOKING_PACKET_OFFSET = 8;
    public static final int HEADER_LENGTH = 8;
    public static final int NEXT_HEADER = 58;

    public static final int TYPE_DESTINATION_UNREACHABLE = 1;
    public static final int TYPE_PACKET_TOO_BIG = 2;
    public static final int TYPE_TIME_EXCEEDED = 3;
    public static final int TYPE_PARAMETER_PROBLEM = 4;
    public static final int TYPE_ECHO_REQUEST = 128;
    public static final int TYPE_ECHO_REPLY = 129;
    public static final int TYPE_ROUTER_SOLICITATION = 133;
    public static final int TYPE_ROUTER_ADVERTISEMENT = 134;
    public static final int TYPE_NEIGHBOR_SOLICITATION = 135;
    public static final int TYPE_NEIGHBOR_ADVERTISEMENT = 136;
    public static final int TYPE_REDIRECT = 137;

    /** Neighbor Advertisement flags word (RFC 4861 §4.4). */
    public static final int NA_FLAGS_OFFSET = 4;
    public static final int NA_TARGET_OFFSET = 8;
    /** Where a Neighbor Advertisement's options start. */
    public static final int NA_OPTIONS_OFFSET = 24;
    /** Router flag: the sender is a router. */
    public static final int NA_FLAG_ROUTER = 0x8000_0000;
    /** Solicited flag: sent in response to a Neighbor Solicitation. */
    public static final int NA_FLAG_SOLICITED = 0x4000_0000;
    /** Override flag: the advertisement replaces a cached link-layer address. */
    public static final int NA_FLAG_OVERRIDE = 0x2000_0000;
    /** Option type Target Link-Layer Address (RFC 4861 §4.6.1). */
    public static final int OPTION_TARGET_LINK_LAYER_ADDRESS = 2;
    /** The Target Link-Layer Address option for an Ethernet MAC: 8 bytes, length 1 (in units of 8). */
    public static final int ETHERNET_LINK_LAYER_OPTION_LENGTH = 8;

    private MemorySegment segment = MemorySegment.NULL;
    private long offset;

    public Icmpv6Flyweight wrap(MemorySegment segment, long offset) {
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

    public Icmpv6Flyweight type(int type) {
        NetworkOrder.putByte(segment, offset + TYPE_OFFSET, type);
        return this;
    }

    public int code() {
        return NetworkOrder.getUnsignedByte(segment, offset + CODE_OFFSET);
    }

    public Icmpv6Flyweight code(int code) {
        NetworkOrder.putByte(segment, offset + CODE_OFFSET, code);
        return this;
    }

    public int checksum() {
        return NetworkOrder.getUnsignedShort(segment, offset + CHECKSUM_OFFSET);
    }

    public Icmpv6Flyweight checksum(int checksum) {
        NetworkOrder.putShort(segment, offset + CHECKSUM_OFFSET, checksum);
        return this;
    }

    public boolean isError() {
        return type() < 128;
    }

    public boolean isEcho() {
        int type = type();
        return type == TYPE_ECHO_REQUEST || type == TYPE_ECHO_REPLY;
    }

    public int identifier() {
        return NetworkOrder.getUnsignedShort(segment, offset + IDENTIFIER_OFFSET);
    }

    public Icmpv6Flyweight identifier(int identifier) {
        NetworkOrder.putShort(segment, offset + IDENTIFIER_OFFSET, identifier);
        return this;
    }

    public int sequenceNumber() {
        return NetworkOrder.getUnsignedShort(segment, offset + SEQUENCE_NUMBER_OFFSET);
    }

    public Icmpv6Flyweight sequenceNumber(int sequence) {
        NetworkOrder.putShort(segment, offset + SEQUENCE_NUMBER_OFFSET, sequence);
        return this;
    }

    /** Packet Too Big's MTU (§3.2) or Parameter Problem's pointer (§3.4). */
    public int parameter() {
        return NetworkOrder.getInt(segment, offset + PARAMETER_OFFSET);
    }

    /** Absolute offset of an error message's copy of the invoking packet (wrap an {@link Ipv6Flyweight} there). */
    public long invokingPacketOffset() {
        return offset + INVOKING_PACKET_OFFSET;
    }

    /** The R, S and O flags of a Neighbor Advertisement ({@link #NA_FLAG_ROUTER} ...). */
    public int neighborAdvertisementFlags() {
        return NetworkOrder.getInt(segment, offset + NA_FLAGS_OFFSET);
    }

    /** Writes the flags word (the reserved bits zero). */
    public Icmpv6Flyweight neighborAdvertisementFlags(int flags) {
        NetworkOrder.putInt(segment, offset + NA_FLAGS_OFFSET, flags & (NA_FLAG_ROUTER | NA_FLAG_SOLICITED
                | NA_FLAG_OVERRIDE));
        return this;
    }

    /** Copies a Neighbor Solicitation's or Advertisement's Target Address into {@code destination}. */
    public void copyTargetAddress(byte[] destination, int destinationOffset) {
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset + NA_TARGET_OFFSET, destination,
                destinationOffset, Ipv6Flyweight.ADDRESS_LENGTH);
    }

    public Icmpv6Flyweight targetAddress(byte[] address) {
        MemorySegment.copy(address, 0, segment, ValueLayout.JAVA_BYTE, offset + NA_TARGET_OFFSET,
                Ipv6Flyweight.ADDRESS_LENGTH);
        return this;
    }

    /** Writes a Target Link-Layer Address option for the 48-bit {@code mac} at {@link #NA_OPTIONS_OFFSET}. */
    public Icmpv6Flyweight targetLinkLayerAddressOption(long mac) {
        long at = offset + NA_OPTIONS_OFFSET;
        NetworkOrder.putByte(segment, at, OPTION_TARGET_LINK_LAYER_ADDRESS);
        NetworkOrder.putByte(segment, at + 1, ETHERNET_LINK_LAYER_OPTION_LENGTH / 8);
        NetworkOrder.putMac(segment, at + 2, mac);
        return this;
    }

    /** The checksum the message of {@code length} bytes should carry, given the pseudo-header sum (§2.3). */
    public int computeChecksum(long pseudoHeaderSum, int length) {
        long sum = InternetChecksum.sum(segment, offset, CHECKSUM_OFFSET, pseudoHeaderSum);
        sum = InternetChecksum.sum(segment, offset + IDENTIFIER_OFFSET, length - IDENTIFIER_OFFSET, sum);
        return InternetChecksum.fold(sum);
    }

    public Icmpv6Flyweight updateChecksum(long pseudoHeaderSum, int length) {
        return checksum(computeChecksum(pseudoHeaderSum, length));
    }

    public boolean isChecksumValid(long pseudoHeaderSum, int length) {
        return InternetChecksum.fold(InternetChecksum.sum(segment, offset, length, pseudoHeaderSum)) == 0;
    }
}
