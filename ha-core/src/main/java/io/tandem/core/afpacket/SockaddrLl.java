package io.tandem.core.afpacket;

import io.tandem.core.linux.Libc;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * {@code struct sockaddr_ll}, the link-level address of packet(7): host byte
 * order except {@code sll_protocol}, which is in network byte order.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------------------------------+-------------------------------+
 * |          sll_family           |     sll_protocol (network)    |  0
 * +-------------------------------+-------------------------------+
 * |                          sll_ifindex                          |  4
 * +-------------------------------+---------------+---------------+
 * |          sll_hatype           |  sll_pkttype  |   sll_halen   |  8
 * +-------------------------------+---------------+---------------+
 * |                       sll_addr (8 bytes)                      | 12
 * +---------------------------------------------------------------+
 * </pre>
 */
final class SockaddrLl {
    static final int FAMILY_OFFSET = 0;
    static final int PROTOCOL_OFFSET = 2;
    static final int IFINDEX_OFFSET = 4;
    static final int HATYPE_OFFSET = 8;
    static final int PKTTYPE_OFFSET = 10;
    static final int HALEN_OFFSET = 11;
    static final int ADDR_OFFSET = 12;
    static final int ADDR_CAPACITY = 8;
    static final int LENGTH = 20;

    private static final ValueLayout.OfShort NET_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private SockaddrLl() {
    }

    /** Writes the address {@code bind(2)} needs: family, protocol and interface, the rest zero. */
    static void writeBind(MemorySegment addr, int protocol, int ifIndex) {
        addr.asSlice(0, LENGTH).fill((byte) 0);
        addr.set(ValueLayout.JAVA_SHORT, FAMILY_OFFSET, (short) Libc.AF_PACKET);
        addr.set(NET_SHORT, PROTOCOL_OFFSET, (short) protocol);
        addr.set(ValueLayout.JAVA_INT, IFINDEX_OFFSET, ifIndex);
    }

    static int ifIndex(MemorySegment addr, long offset) {
        return addr.get(ValueLayout.JAVA_INT_UNALIGNED, offset + IFINDEX_OFFSET);
    }

    static int hardwareType(MemorySegment addr, long offset) {
        return Short.toUnsignedInt(addr.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset + HATYPE_OFFSET));
    }

    static int packetType(MemorySegment addr, long offset) {
        return Byte.toUnsignedInt(addr.get(ValueLayout.JAVA_BYTE, offset + PKTTYPE_OFFSET));
    }

    static int hardwareAddressLength(MemorySegment addr, long offset) {
        return Byte.toUnsignedInt(addr.get(ValueLayout.JAVA_BYTE, offset + HALEN_OFFSET));
    }
}
