package io.tandem.core.packet;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight over an ARP packet for IPv4 over Ethernet (RFC 826, "Packet
 * format"; operation codes RFC 5227 §1.1 for probes and announcements).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Hardware type (1)         |     Protocol type (0x0800)    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | HW len (6)    | Proto len (4) |          Operation            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               Sender hardware address (48 bits)               |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |  Sender protocol address ...  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ... (32 bits)                |  Target hardware address ...  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                         ... (48 bits)                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               Target protocol address (32 bits)               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class ArpFlyweight {
    public static final int HARDWARE_TYPE_OFFSET = 0;
    public static final int PROTOCOL_TYPE_OFFSET = 2;
    public static final int HARDWARE_LENGTH_OFFSET = 4;
    public static final int PROTOCOL_LENGTH_OFFSET = 5;
    public static final int OPERATION_OFFSET = 6;
    public static final int SENDER_HARDWARE_ADDRESS_OFFSET = 8;
    public static final int SENDER_PROTOCOL_ADDRESS_OFFSET = 14;
    public static final int TARGET_HARDWARE_ADDRESS_OFFSET = 18;
    public static final int TARGET_PROTOCOL_ADDRESS_OFFSET = 24;
    /** Length of an Ethernet/IPv4 ARP packet. */
    public static final int LENGTH = 28;

    public static final int HARDWARE_TYPE_ETHERNET = 1;
    public static final int OPERATION_REQUEST = 1;
    public static final int OPERATION_REPLY = 2;

    private MemorySegment segment = MemorySegment.NULL;
    private long offset;

    public ArpFlyweight wrap(MemorySegment segment, long offset) {
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

    /** Whether the fixed fields say Ethernet/IPv4, the only form this flyweight reads. */
    public boolean isEthernetIpv4() {
        return hardwareType() == HARDWARE_TYPE_ETHERNET
                && protocolType() == EthernetFlyweight.ETHERTYPE_IPV4
                && NetworkOrder.getUnsignedByte(segment, offset + HARDWARE_LENGTH_OFFSET) == 6
                && NetworkOrder.getUnsignedByte(segment, offset + PROTOCOL_LENGTH_OFFSET) == 4;
    }

    /** Writes the fixed fields of an Ethernet/IPv4 ARP packet with the given operation. */
    public ArpFlyweight writeEthernetIpv4Header(int operation) {
        NetworkOrder.putShort(segment, offset + HARDWARE_TYPE_OFFSET, HARDWARE_TYPE_ETHERNET);
        NetworkOrder.putShort(segment, offset + PROTOCOL_TYPE_OFFSET, EthernetFlyweight.ETHERTYPE_IPV4);
        NetworkOrder.putByte(segment, offset + HARDWARE_LENGTH_OFFSET, 6);
        NetworkOrder.putByte(segment, offset + PROTOCOL_LENGTH_OFFSET, 4);
        return operation(operation);
    }

    public int hardwareType() {
        return NetworkOrder.getUnsignedShort(segment, offset + HARDWARE_TYPE_OFFSET);
    }

    public int protocolType() {
        return NetworkOrder.getUnsignedShort(segment, offset + PROTOCOL_TYPE_OFFSET);
    }

    public int operation() {
        return NetworkOrder.getUnsignedShort(segment, offset + OPERATION_OFFSET);
    }

    public ArpFlyweight operation(int operation) {
        NetworkOrder.putShort(segment, offset + OPERATION_OFFSET, operation);
        return this;
    }

    public long senderHardwareAddress() {
        return NetworkOrder.getMac(segment, offset + SENDER_HARDWARE_ADDRESS_OFFSET);
    }

    public ArpFlyweight senderHardwareAddress(long mac) {
        NetworkOrder.putMac(segment, offset + SENDER_HARDWARE_ADDRESS_OFFSET, mac);
        return this;
    }

    public int senderProtocolAddress() {
        return NetworkOrder.getInt(segment, offset + SENDER_PROTOCOL_ADDRESS_OFFSET);
    }

    public ArpFlyweight senderProtocolAddress(int address) {
        NetworkOrder.putInt(segment, offset + SENDER_PROTOCOL_ADDRESS_OFFSET, address);
        return this;
    }

    public long targetHardwareAddress() {
        return NetworkOrder.getMac(segment, offset + TARGET_HARDWARE_ADDRESS_OFFSET);
    }

    public ArpFlyweight targetHardwareAddress(long mac) {
        NetworkOrder.putMac(segment, offset + TARGET_HARDWARE_ADDRESS_OFFSET, mac);
        return this;
    }

    public int targetProtocolAddress() {
        return NetworkOrder.getInt(segment, offset + TARGET_PROTOCOL_ADDRESS_OFFSET);
    }

    public ArpFlyweight targetProtocolAddress(int address) {
        NetworkOrder.putInt(segment, offset + TARGET_PROTOCOL_ADDRESS_OFFSET, address);
        return this;
    }

    /** Whether this is a gratuitous ARP: sender and target protocol addresses equal (RFC 5227 §3). */
    public boolean isGratuitous() {
        return senderProtocolAddress() == targetProtocolAddress();
    }
}
