package io.tandem.core.packet;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight over an IPv6 header and the chain of extension headers after it
 * (RFC 8200 §3 and §4).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +                  Source Address (128 bits)                    +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +               Destination Address (128 bits)                  +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Extension header (Hop-by-Hop 0, Routing 43, Destination Options 60, §4.3-4.6):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Header  |  Hdr Ext Len  |  (8 + Hdr Ext Len * 8 octets) |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * Fragment header (44, §4.5):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Header  |   Reserved    |      Fragment Offset    |Res|M|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Identification                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Addresses are read as two {@code long}s each (high = first 8 octets) or
 * copied out. {@link #walkExtensionHeaders} finds the upper-layer header; its
 * outcome is read from {@link #upperLayerProtocol()},
 * {@link #upperLayerOffset()} and {@link #fragmentHeaderOffset()} until the
 * next walk or wrap.
 */
public final class Ipv6Flyweight {
    public static final int VERSION_CLASS_FLOW_OFFSET = 0;
    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    public static final int NEXT_HEADER_OFFSET = 6;
    public static final int HOP_LIMIT_OFFSET = 7;
    public static final int SOURCE_ADDRESS_OFFSET = 8;
    public static final int DESTINATION_ADDRESS_OFFSET = 24;
    public static final int HEADER_LENGTH = 40;
    public static final int ADDRESS_LENGTH = 16;
    public static final int VERSION = 6;

    /** Extension header and upper-layer numbers (RFC 8200 §4.1, RFC 4302, RFC 6275, RFC 7401, RFC 5533). */
    public static final int HOP_BY_HOP = 0;
    public static final int ROUTING = 43;
    public static final int FRAGMENT = 44;
    public static final int ESP = 50;
    public static final int AUTHENTICATION = 51;
    public static final int NO_NEXT_HEADER = 59;
    public static final int DESTINATION_OPTIONS = 60;
    public static final int MOBILITY = 135;
    public static final int HIP = 139;
    public static final int SHIM6 = 140;

    public static final int FRAGMENT_HEADER_LENGTH = 8;
    /** Extension headers walked before giving up: bounds the work an attacker can cause per packet. */
    public static final int MAX_EXTENSION_HEADERS = 8;

    /** {@link #walkExtensionHeaders} outcomes. */
    public static final int WALK_OK = 0;
    public static final int WALK_TRUNCATED = 1;
    public static final int WALK_TOO_MANY = 2;

    private MemorySegment segment = MemorySegment.NULL;
    private long offset;
    private int upperLayerProtocol;
    private long upperLayerOffset;
    private long fragmentHeaderOffset = -1;

    public Ipv6Flyweight wrap(MemorySegment segment, long offset) {
        this.segment = segment;
        this.offset = offset;
        this.upperLayerProtocol = -1;
        this.upperLayerOffset = -1;
        this.fragmentHeaderOffset = -1;
        return this;
    }

    public MemorySegment segment() {
        return segment;
    }

    public long offset() {
        return offset;
    }

    public int version() {
        return NetworkOrder.getUnsignedByte(segment, offset) >>> 4;
    }

    public int trafficClass() {
        return (NetworkOrder.getInt(segment, offset + VERSION_CLASS_FLOW_OFFSET) >>> 20) & 0xFF;
    }

    public int flowLabel() {
        return NetworkOrder.getInt(segment, offset + VERSION_CLASS_FLOW_OFFSET) & 0x000F_FFFF;
    }

    /** Writes version 6 with the given traffic class and flow label. */
    public Ipv6Flyweight versionClassFlow(int trafficClass, int flowLabel) {
        NetworkOrder.putInt(segment, offset + VERSION_CLASS_FLOW_OFFSET,
                (VERSION << 28) | ((trafficClass & 0xFF) << 20) | (flowLabel & 0x000F_FFFF));
        return this;
    }

    /** Length of everything after this 40-byte header, extension headers included. */
    public int payloadLength() {
        return NetworkOrder.getUnsignedShort(segment, offset + PAYLOAD_LENGTH_OFFSET);
    }

    public Ipv6Flyweight payloadLength(int length) {
        NetworkOrder.putShort(segment, offset + PAYLOAD_LENGTH_OFFSET, length);
        return this;
    }

    /** The Next Header field of the fixed header (the first extension header, if any). */
    public int nextHeader() {
        return NetworkOrder.getUnsignedByte(segment, offset + NEXT_HEADER_OFFSET);
    }

    public Ipv6Flyweight nextHeader(int nextHeader) {
        NetworkOrder.putByte(segment, offset + NEXT_HEADER_OFFSET, nextHeader);
        return this;
    }

    public int hopLimit() {
        return NetworkOrder.getUnsignedByte(segment, offset + HOP_LIMIT_OFFSET);
    }

    public Ipv6Flyweight hopLimit(int hopLimit) {
        NetworkOrder.putByte(segment, offset + HOP_LIMIT_OFFSET, hopLimit);
        return this;
    }

    public long sourceAddressHigh() {
        return NetworkOrder.getLong(segment, offset + SOURCE_ADDRESS_OFFSET);
    }

    public long sourceAddressLow() {
        return NetworkOrder.getLong(segment, offset + SOURCE_ADDRESS_OFFSET + 8);
    }

    public Ipv6Flyweight sourceAddress(long high, long low) {
        NetworkOrder.putLong(segment, offset + SOURCE_ADDRESS_OFFSET, high);
        NetworkOrder.putLong(segment, offset + SOURCE_ADDRESS_OFFSET + 8, low);
        return this;
    }

    public long destinationAddressHigh() {
        return NetworkOrder.getLong(segment, offset + DESTINATION_ADDRESS_OFFSET);
    }

    public long destinationAddressLow() {
        return NetworkOrder.getLong(segment, offset + DESTINATION_ADDRESS_OFFSET + 8);
    }

    public Ipv6Flyweight destinationAddress(long high, long low) {
        NetworkOrder.putLong(segment, offset + DESTINATION_ADDRESS_OFFSET, high);
        NetworkOrder.putLong(segment, offset + DESTINATION_ADDRESS_OFFSET + 8, low);
        return this;
    }

    /** Copies the 16-byte source address into {@code destination} at {@code destinationOffset}. */
    public void copySourceAddress(byte[] destination, int destinationOffset) {
        MemorySegment.copy(segment, NetworkOrder.BYTE, offset + SOURCE_ADDRESS_OFFSET,
                destination, destinationOffset, ADDRESS_LENGTH);
    }

    /** Copies the 16-byte destination address into {@code destination} at {@code destinationOffset}. */
    public void copyDestinationAddress(byte[] destination, int destinationOffset) {
        MemorySegment.copy(segment, NetworkOrder.BYTE, offset + DESTINATION_ADDRESS_OFFSET,
                destination, destinationOffset, ADDRESS_LENGTH);
    }

    /** Copies the 16-byte source address into another segment. */
    public void copySourceAddress(MemorySegment destination, long destinationOffset) {
        MemorySegment.copy(segment, offset + SOURCE_ADDRESS_OFFSET, destination, destinationOffset, ADDRESS_LENGTH);
    }

    /** Copies the 16-byte destination address into another segment. */
    public void copyDestinationAddress(MemorySegment destination, long destinationOffset) {
        MemorySegment.copy(segment, offset + DESTINATION_ADDRESS_OFFSET, destination, destinationOffset, ADDRESS_LENGTH);
    }

    /** Whether {@code nextHeader} names an extension header that {@link #walkExtensionHeaders} steps over. */
    public static boolean isSkippableExtension(int nextHeader) {
        return switch (nextHeader) {
            case HOP_BY_HOP, ROUTING, FRAGMENT, AUTHENTICATION, DESTINATION_OPTIONS, MOBILITY, HIP, SHIM6 -> true;
            default -> false;
        };
    }

    /**
     * Walks the extension headers from the fixed header up to the absolute
     * offset {@code end} (the end of the packet as given by Payload Length).
     * Stops at the first header that is not a skippable extension (the
     * upper-layer header, ESP or No Next Header), or after a fragment header
     * with a non-zero offset, whose data is not a header. Never throws.
     *
     * @return {@link #WALK_OK}, {@link #WALK_TRUNCATED} when a header runs past
     *         {@code end}, or {@link #WALK_TOO_MANY} after
     *         {@value #MAX_EXTENSION_HEADERS} extension headers
     */
    public int walkExtensionHeaders(long end) {
        fragmentHeaderOffset = -1;
        int next = nextHeader();
        long position = offset + HEADER_LENGTH;
        for (int walked = 0; isSkippableExtension(next); walked++) {
            if (walked == MAX_EXTENSION_HEADERS) {
                return WALK_TOO_MANY;
            }
            if (position + 2 > end) {
                return WALK_TRUNCATED;
            }
            int following = NetworkOrder.getUnsignedByte(segment, position);
            int lengthField = NetworkOrder.getUnsignedByte(segment, position + 1);
            long length = switch (next) {
                case FRAGMENT -> FRAGMENT_HEADER_LENGTH;
                case AUTHENTICATION -> (lengthField + 2) * 4L;  // RFC 4302 §2.2: 4-octet units, minus 2
                default -> (lengthField + 1) * 8L;              // RFC 8200 §4.3: 8-octet units, not counting the first 8
            };
            if (position + length > end) {
                return WALK_TRUNCATED;
            }
            if (next == FRAGMENT) {
                fragmentHeaderOffset = position;
                if (fragmentOffsetAt(position) != 0) {
                    upperLayerProtocol = following;
                    upperLayerOffset = position + length;
                    return WALK_OK;
                }
            }
            next = following;
            position += length;
        }
        upperLayerProtocol = next;
        upperLayerOffset = position;
        return WALK_OK;
    }

    /** After a walk: the upper-layer protocol number (or ESP / No Next Header where the walk stopped). */
    public int upperLayerProtocol() {
        return upperLayerProtocol;
    }

    /** After a walk: absolute offset of the upper-layer header. */
    public long upperLayerOffset() {
        return upperLayerOffset;
    }

    /** After a walk: absolute offset of the fragment header, or -1 when there is none. */
    public long fragmentHeaderOffset() {
        return fragmentHeaderOffset;
    }

    /**
     * After a walk: whether the packet is a fragment, i.e. it has a fragment
     * header with a non-zero offset or the M flag set. An "atomic fragment"
     * (offset 0, M clear) is a whole packet and is not (RFC 6946 §4).
     */
    public boolean isFragment() {
        if (fragmentHeaderOffset < 0) {
            return false;
        }
        int word = NetworkOrder.getUnsignedShort(segment, fragmentHeaderOffset + 2);
        return (word & 0xFFF9) != 0;
    }

    private int fragmentOffsetAt(long fragmentHeader) {
        return NetworkOrder.getUnsignedShort(segment, fragmentHeader + 2) >>> 3;
    }

    /** The partial sum of the upper-layer pseudo-header (RFC 8200 §8.1) for {@code length} bytes of {@code nextHeader}. */
    public long pseudoHeaderSum(int nextHeader, int length) {
        return PseudoHeader.ipv6Sum(segment, offset, nextHeader, length);
    }
}
