package io.tandem.core.packet;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight over an IPv4 header (RFC 791 §3.1; DSCP/ECN per RFC 2474 §3 and
 * RFC 3168 §5).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |   DSCP    |ECN|          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |Flags|      Fragment Offset    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options (IHL > 5)                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   Flags: bit 0 reserved, bit 1 DF (don't fragment), bit 2 MF (more fragments)
 * </pre>
 *
 * <p>Addresses are {@code int}s in network order (the first octet in the most
 * significant byte). The rewrite methods keep the header checksum right by
 * RFC 1624 incremental update; the plain setters do not touch it.
 */
public final class Ipv4Flyweight {
    public static final int VERSION_IHL_OFFSET = 0;
    public static final int TOS_OFFSET = 1;
    public static final int TOTAL_LENGTH_OFFSET = 2;
    public static final int IDENTIFICATION_OFFSET = 4;
    public static final int FLAGS_FRAGMENT_OFFSET = 6;
    public static final int TTL_OFFSET = 8;
    public static final int PROTOCOL_OFFSET = 9;
    public static final int HEADER_CHECKSUM_OFFSET = 10;
    public static final int SOURCE_ADDRESS_OFFSET = 12;
    public static final int DESTINATION_ADDRESS_OFFSET = 16;
    public static final int OPTIONS_OFFSET = 20;

    public static final int VERSION = 4;
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int MAX_HEADER_LENGTH = 60;
    public static final int MIN_IHL = 5;

    public static final int FLAG_RESERVED = 0x8000;
    public static final int FLAG_DONT_FRAGMENT = 0x4000;
    public static final int FLAG_MORE_FRAGMENTS = 0x2000;
    public static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    /** Protocol numbers (IANA "Assigned Internet Protocol Numbers"). */
    public static final int PROTOCOL_ICMP = 1;
    public static final int PROTOCOL_IPIP = 4;
    public static final int PROTOCOL_TCP = 6;
    public static final int PROTOCOL_UDP = 17;
    public static final int PROTOCOL_ICMPV6 = 58;
    public static final int PROTOCOL_VRRP = 112;

    private MemorySegment segment = MemorySegment.NULL;
    private long offset;

    public Ipv4Flyweight wrap(MemorySegment segment, long offset) {
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

    public int version() {
        return NetworkOrder.getUnsignedByte(segment, offset + VERSION_IHL_OFFSET) >>> 4;
    }

    /** Internet Header Length in 32-bit words. */
    public int ihl() {
        return NetworkOrder.getUnsignedByte(segment, offset + VERSION_IHL_OFFSET) & 0x0F;
    }

    /** The first octet: version in the high nibble, IHL in the low one (one read for both). */
    public int versionAndIhl() {
        return NetworkOrder.getUnsignedByte(segment, offset + VERSION_IHL_OFFSET);
    }

    /** Writes version 4 and the given IHL. */
    public Ipv4Flyweight versionAndIhl(int ihl) {
        NetworkOrder.putByte(segment, offset + VERSION_IHL_OFFSET, (VERSION << 4) | (ihl & 0x0F));
        return this;
    }

    /** Header length in bytes: {@code IHL * 4}. */
    public int headerLength() {
        return ihl() * 4;
    }

    /** Absolute offset of the first option (valid when {@link #optionsLength()} > 0). */
    public long optionsOffset() {
        return offset + OPTIONS_OFFSET;
    }

    public int optionsLength() {
        return headerLength() - MIN_HEADER_LENGTH;
    }

    /** Absolute offset of the payload (the transport header). */
    public long payloadOffset() {
        return offset + headerLength();
    }

    /** Payload length according to the header: {@code Total Length - IHL * 4}. */
    public int payloadLength() {
        return totalLength() - headerLength();
    }

    public int tos() {
        return NetworkOrder.getUnsignedByte(segment, offset + TOS_OFFSET);
    }

    public Ipv4Flyweight tos(int tos) {
        NetworkOrder.putByte(segment, offset + TOS_OFFSET, tos);
        return this;
    }

    public int dscp() {
        return tos() >>> 2;
    }

    public int ecn() {
        return tos() & 0x03;
    }

    public int totalLength() {
        return NetworkOrder.getUnsignedShort(segment, offset + TOTAL_LENGTH_OFFSET);
    }

    public Ipv4Flyweight totalLength(int length) {
        NetworkOrder.putShort(segment, offset + TOTAL_LENGTH_OFFSET, length);
        return this;
    }

    public int identification() {
        return NetworkOrder.getUnsignedShort(segment, offset + IDENTIFICATION_OFFSET);
    }

    public Ipv4Flyweight identification(int identification) {
        NetworkOrder.putShort(segment, offset + IDENTIFICATION_OFFSET, identification);
        return this;
    }

    /** The 16-bit word holding the three flags and the fragment offset. */
    public int flagsAndFragmentOffset() {
        return NetworkOrder.getUnsignedShort(segment, offset + FLAGS_FRAGMENT_OFFSET);
    }

    public Ipv4Flyweight flagsAndFragmentOffset(int value) {
        NetworkOrder.putShort(segment, offset + FLAGS_FRAGMENT_OFFSET, value);
        return this;
    }

    public boolean dontFragment() {
        return (flagsAndFragmentOffset() & FLAG_DONT_FRAGMENT) != 0;
    }

    public boolean moreFragments() {
        return (flagsAndFragmentOffset() & FLAG_MORE_FRAGMENTS) != 0;
    }

    /** Fragment offset in 8-byte units. */
    public int fragmentOffset() {
        return flagsAndFragmentOffset() & FRAGMENT_OFFSET_MASK;
    }

    /** Whether this datagram is a fragment (MF set or a non-zero offset, RFC 791 §2.3), so ports may be absent. */
    public boolean isFragment() {
        return (flagsAndFragmentOffset() & (FLAG_MORE_FRAGMENTS | FRAGMENT_OFFSET_MASK)) != 0;
    }

    public int ttl() {
        return NetworkOrder.getUnsignedByte(segment, offset + TTL_OFFSET);
    }

    public Ipv4Flyweight ttl(int ttl) {
        NetworkOrder.putByte(segment, offset + TTL_OFFSET, ttl);
        return this;
    }

    public int protocol() {
        return NetworkOrder.getUnsignedByte(segment, offset + PROTOCOL_OFFSET);
    }

    public Ipv4Flyweight protocol(int protocol) {
        NetworkOrder.putByte(segment, offset + PROTOCOL_OFFSET, protocol);
        return this;
    }

    public int headerChecksum() {
        return NetworkOrder.getUnsignedShort(segment, offset + HEADER_CHECKSUM_OFFSET);
    }

    public Ipv4Flyweight headerChecksum(int checksum) {
        NetworkOrder.putShort(segment, offset + HEADER_CHECKSUM_OFFSET, checksum);
        return this;
    }

    public int sourceAddress() {
        return NetworkOrder.getInt(segment, offset + SOURCE_ADDRESS_OFFSET);
    }

    public Ipv4Flyweight sourceAddress(int address) {
        NetworkOrder.putInt(segment, offset + SOURCE_ADDRESS_OFFSET, address);
        return this;
    }

    public int destinationAddress() {
        return NetworkOrder.getInt(segment, offset + DESTINATION_ADDRESS_OFFSET);
    }

    public Ipv4Flyweight destinationAddress(int address) {
        NetworkOrder.putInt(segment, offset + DESTINATION_ADDRESS_OFFSET, address);
        return this;
    }

    /**
     * Both addresses in one read of header bytes 12-19: the source in the high 32 bits, the
     * destination in the low 32.
     */
    public long addresses() {
        return NetworkOrder.getLong(segment, offset + SOURCE_ADDRESS_OFFSET);
    }

    /** Writes both addresses in one store; the header checksum is not touched. */
    public Ipv4Flyweight addresses(int source, int destination) {
        NetworkOrder.putLong(segment, offset + SOURCE_ADDRESS_OFFSET, (long) source << 32 | (destination & 0xFFFF_FFFFL));
        return this;
    }

    /** The header checksum the header should carry: the sum of its words with the checksum field taken as zero. */
    public int computeHeaderChecksum() {
        long sum = InternetChecksum.sum(segment, offset, HEADER_CHECKSUM_OFFSET, 0);
        sum = InternetChecksum.sum(segment, offset + SOURCE_ADDRESS_OFFSET,
                headerLength() - SOURCE_ADDRESS_OFFSET, sum);
        return InternetChecksum.fold(sum);
    }

    /** Recomputes the header checksum over the whole header and stores it. */
    public Ipv4Flyweight updateHeaderChecksum() {
        return headerChecksum(computeHeaderChecksum());
    }

    /** Whether the header checksum verifies (RFC 791 §3.1, "Header Checksum"). */
    public boolean isHeaderChecksumValid() {
        return InternetChecksum.isValid(segment, offset, headerLength());
    }

    /** Sets the source address and updates the header checksum incrementally (RFC 1624). */
    public Ipv4Flyweight rewriteSourceAddress(int address) {
        headerChecksum(InternetChecksum.update32(headerChecksum(), sourceAddress(), address));
        return sourceAddress(address);
    }

    /** Sets the destination address and updates the header checksum incrementally (RFC 1624). */
    public Ipv4Flyweight rewriteDestinationAddress(int address) {
        headerChecksum(InternetChecksum.update32(headerChecksum(), destinationAddress(), address));
        return destinationAddress(address);
    }

    /**
     * Applies the summed RFC 1624 terms of the header words that changed or are about to
     * ({@link InternetChecksum#delta32} of each address): one fold for several fields.
     */
    public Ipv4Flyweight adjustHeaderChecksum(long delta) {
        return headerChecksum(InternetChecksum.adjust(headerChecksum(), delta));
    }

    /** Sets the TTL and updates the header checksum incrementally: TTL is the high byte of the TTL/Protocol word. */
    public Ipv4Flyweight rewriteTtl(int ttl) {
        int protocol = protocol();
        int oldWord = (ttl() << 8) | protocol;
        int newWord = ((ttl & 0xFF) << 8) | protocol;
        headerChecksum(InternetChecksum.update16(headerChecksum(), oldWord, newWord));
        return ttl(ttl);
    }

    /**
     * Decrements the TTL as a forwarding router does (RFC 1812 §5.3.1) and
     * updates the checksum. Returns false, changing nothing, when the TTL is
     * already 0 or 1 and the datagram must be dropped instead.
     */
    public boolean decrementTtl() {
        int ttl = ttl();
        if (ttl <= 1) {
            return false;
        }
        rewriteTtl(ttl - 1);
        return true;
    }

    /** The partial sum of this header's TCP/UDP pseudo-header for a transport segment of {@code length} bytes. */
    public long pseudoHeaderSum(int length) {
        return PseudoHeader.ipv4Sum(sourceAddress(), destinationAddress(), protocol(), length);
    }
}
