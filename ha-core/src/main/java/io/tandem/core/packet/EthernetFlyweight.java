package io.tandem.core.packet;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight over an Ethernet II frame header with up to two IEEE 802.1Q tags
 * (IEEE 802.3 §3.1.1; tags IEEE 802.1Q §9.6, stacked "Q-in-Q" per 802.1ad;
 * IP over Ethernet, RFC 894).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                Destination MAC address (48 bits)              |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                  Source MAC address (48 bits)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  TPID 0x88A8/0x8100 (tag 0)   | PCP |D|   VLAN identifier     |  optional
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      TPID 0x8100 (tag 1)      | PCP |D|   VLAN identifier     |  optional
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           EtherType           |  payload (the L3 header) ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>{@link #wrap} finds the tags once; a frame too short for its tags, or
 * with more than {@value #MAX_TAGS}, is reported by {@link #tagCount()}
 * returning {@link #TRUNCATED} or {@link #TOO_MANY_TAGS}; the field accessors
 * then must not be used. Wrap one instance per worker and re-wrap per frame.
 */
public final class EthernetFlyweight {
    public static final int DESTINATION_OFFSET = 0;
    public static final int SOURCE_OFFSET = 6;
    /** Offset of the EtherType, or of the first tag's TPID in a tagged frame. */
    public static final int TYPE_OFFSET = 12;
    public static final int HEADER_LENGTH = 14;
    public static final int TAG_LENGTH = 4;
    public static final int MAX_TAGS = 2;

    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_ARP = 0x0806;
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    /** IEEE 802.1Q customer VLAN tag. */
    public static final int TPID_8021Q = 0x8100;
    /** IEEE 802.1ad service VLAN tag (outer tag of Q-in-Q). */
    public static final int TPID_8021AD = 0x88A8;
    /** Pre-standard Q-in-Q outer tag still emitted by some switches. */
    public static final int TPID_QINQ_LEGACY = 0x9100;

    public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

    /** {@link #tagCount()} when the frame is shorter than its header. */
    public static final int TRUNCATED = -1;
    /** {@link #tagCount()} when the frame carries more than {@value #MAX_TAGS} tags. */
    public static final int TOO_MANY_TAGS = -2;

    private MemorySegment segment = MemorySegment.NULL;
    private long offset;
    private int tagCount;

    /** Wraps the frame of {@code length} bytes at {@code offset} and locates its tags. */
    public EthernetFlyweight wrap(MemorySegment segment, long offset, int length) {
        this.segment = segment;
        this.offset = offset;
        this.tagCount = countTags(segment, offset, length);
        return this;
    }

    /** Wraps a copy of a frame whose tags were already counted ({@link ParsedPacket#wrapCopy}). */
    EthernetFlyweight wrapCounted(MemorySegment segment, long offset, int tagCount) {
        this.segment = segment;
        this.offset = offset;
        this.tagCount = tagCount;
        return this;
    }

    private static int countTags(MemorySegment segment, long offset, int length) {
        if (length < HEADER_LENGTH) {
            return TRUNCATED;
        }
        int tags = 0;
        while (isTpid(NetworkOrder.getUnsignedShort(segment, offset + TYPE_OFFSET + (long) tags * TAG_LENGTH))) {
            if (tags == MAX_TAGS) {
                return TOO_MANY_TAGS;
            }
            tags++;
            if (length < HEADER_LENGTH + tags * TAG_LENGTH) {
                return TRUNCATED;
            }
        }
        return tags;
    }

    /** Whether {@code type} is a VLAN tag protocol identifier rather than an EtherType. */
    public static boolean isTpid(int type) {
        return type == TPID_8021Q || type == TPID_8021AD || type == TPID_QINQ_LEGACY;
    }

    public MemorySegment segment() {
        return segment;
    }

    public long offset() {
        return offset;
    }

    /** 0 to {@value #MAX_TAGS}, or {@link #TRUNCATED} / {@link #TOO_MANY_TAGS}. */
    public int tagCount() {
        return tagCount;
    }

    /** Whether the frame's header is complete and supported, so the accessors below may be used. */
    public boolean isValid() {
        return tagCount >= 0;
    }

    /** Length of the header including its tags: where the L3 header starts, relative to {@link #offset()}. */
    public int headerLength() {
        return HEADER_LENGTH + tagCount * TAG_LENGTH;
    }

    /** Absolute offset of the L3 header in the segment. */
    public long payloadOffset() {
        return offset + headerLength();
    }

    public long destination() {
        return NetworkOrder.getMac(segment, offset + DESTINATION_OFFSET);
    }

    public EthernetFlyweight destination(long mac) {
        NetworkOrder.putMac(segment, offset + DESTINATION_OFFSET, mac);
        return this;
    }

    public long source() {
        return NetworkOrder.getMac(segment, offset + SOURCE_OFFSET);
    }

    public EthernetFlyweight source(long mac) {
        NetworkOrder.putMac(segment, offset + SOURCE_OFFSET, mac);
        return this;
    }

    /**
     * Writes both MAC addresses, destination then source (the first 12 bytes of the frame), in two
     * stores instead of four: what a forwarder does to every frame it sends.
     */
    public EthernetFlyweight addresses(long destination, long source) {
        NetworkOrder.putLong(segment, offset + DESTINATION_OFFSET, destination << 16 | (source >>> 32) & 0xFFFF);
        NetworkOrder.putInt(segment, offset + SOURCE_OFFSET + 2, (int) source);
        return this;
    }

    /** Whether the destination is a group (multicast or broadcast) address: I/G bit set (IEEE 802 §8.2). */
    public boolean isGroupDestination() {
        return (NetworkOrder.getUnsignedByte(segment, offset + DESTINATION_OFFSET) & 0x01) != 0;
    }

    /** The EtherType after the tags. */
    public int etherType() {
        return NetworkOrder.getUnsignedShort(segment, offset + TYPE_OFFSET + (long) tagCount * TAG_LENGTH);
    }

    public EthernetFlyweight etherType(int type) {
        NetworkOrder.putShort(segment, offset + TYPE_OFFSET + (long) tagCount * TAG_LENGTH, type);
        return this;
    }

    /** The TPID of tag {@code index} (0 = outermost). */
    public int tagProtocolId(int index) {
        return NetworkOrder.getUnsignedShort(segment, tagOffset(index));
    }

    /** The 12-bit VLAN identifier of tag {@code index} (0 = outermost). */
    public int vlanId(int index) {
        return NetworkOrder.getUnsignedShort(segment, tagOffset(index) + 2) & 0x0FFF;
    }

    /** The 3-bit priority code point of tag {@code index}. */
    public int priority(int index) {
        return NetworkOrder.getUnsignedShort(segment, tagOffset(index) + 2) >>> 13;
    }

    private long tagOffset(int index) {
        if (index < 0 || index >= tagCount) {
            throw new IndexOutOfBoundsException("invalid tag index: " + index + " (expected: 0 ~ " + (tagCount - 1) + ")");
        }
        return offset + TYPE_OFFSET + (long) index * TAG_LENGTH;
    }
}
