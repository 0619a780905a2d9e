package io.tandem.core.afpacket;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The {@code struct tpacket2_hdr} at the start of every TPACKET_V2 ring frame
 * ({@code <linux/if_packet.h>}, packet_mmap.rst), read and written in place.
 * Fields are in host byte order.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                           tp_status                           |  0
 * +---------------------------------------------------------------+
 * |                            tp_len                             |  4
 * +---------------------------------------------------------------+
 * |                          tp_snaplen                           |  8
 * +-------------------------------+-------------------------------+
 * |            tp_mac             |            tp_net             | 12
 * +-------------------------------+-------------------------------+
 * |                            tp_sec                             | 16
 * +---------------------------------------------------------------+
 * |                            tp_nsec                            | 20
 * +-------------------------------+-------------------------------+
 * |          tp_vlan_tci          |         tp_vlan_tpid          | 24
 * +-------------------------------+-------------------------------+
 * |                          tp_padding                           | 28
 * +---------------------------------------------------------------+
 * |     struct sockaddr_ll (receive ring only), 20 bytes          | 32
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <p>In a receive ring the frame's bytes start at {@code tp_mac}; in a
 * transmit ring they start at {@link #TX_DATA_OFFSET}. {@code tp_status} is
 * the hand-over word between the kernel and the owner thread, so it is read
 * with acquire and written with release semantics.
 */
public final class Tpacket2Header {
    public static final int STATUS_OFFSET = 0;
    public static final int LEN_OFFSET = 4;
    public static final int SNAPLEN_OFFSET = 8;
    public static final int MAC_OFFSET = 12;
    public static final int NET_OFFSET = 14;
    public static final int SEC_OFFSET = 16;
    public static final int NSEC_OFFSET = 20;
    public static final int VLAN_TCI_OFFSET = 24;
    public static final int VLAN_TPID_OFFSET = 26;
    /** {@code sizeof(struct tpacket2_hdr)}, already a multiple of {@code TPACKET_ALIGNMENT}. */
    public static final int LENGTH = 32;
    /** The {@code struct sockaddr_ll} a receive ring writes after the header. */
    public static final int SOCKADDR_OFFSET = LENGTH;
    /** {@code TPACKET2_HDRLEN}: the header and the address. */
    public static final int TPACKET2_HDRLEN = LENGTH + SockaddrLl.LENGTH;
    /** Where a transmit frame's bytes start: {@code TPACKET2_HDRLEN - sizeof(struct sockaddr_ll)}. */
    public static final int TX_DATA_OFFSET = TPACKET2_HDRLEN - SockaddrLl.LENGTH;

    /** Receive ring {@code tp_status}: the frame belongs to the kernel. */
    public static final int TP_STATUS_KERNEL = 0;
    /** Receive ring {@code tp_status}: the frame is ready for user space. */
    public static final int TP_STATUS_USER = 1;
    public static final int TP_STATUS_COPY = 1 << 1;
    /** Frames were dropped since the statistics were last read. */
    public static final int TP_STATUS_LOSING = 1 << 2;
    public static final int TP_STATUS_CSUMNOTREADY = 1 << 3;
    /** {@code tp_vlan_tci} holds the tag the interface took off the frame. */
    public static final int TP_STATUS_VLAN_VALID = 1 << 4;
    public static final int TP_STATUS_VLAN_TPID_VALID = 1 << 6;
    public static final int TP_STATUS_CSUM_VALID = 1 << 7;

    /** Transmit ring {@code tp_status}: free for user space to fill. */
    public static final int TP_STATUS_AVAILABLE = 0;
    /** Transmit ring {@code tp_status}: filled, to be sent at the next kick. */
    public static final int TP_STATUS_SEND_REQUEST = 1;
    /** Transmit ring {@code tp_status}: being sent by the kernel. */
    public static final int TP_STATUS_SENDING = 1 << 1;
    /** Transmit ring {@code tp_status}: the kernel refused the frame. */
    public static final int TP_STATUS_WRONG_FORMAT = 1 << 2;

    private static final VarHandle STATUS = ValueLayout.JAVA_INT.varHandle();
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT;

    private Tpacket2Header() {
    }

    /** {@code tp_status}, read with acquire semantics: the frame's other bytes are visible after it. */
    public static int statusAcquire(MemorySegment ring, long frame) {
        return (int) STATUS.getAcquire(ring, frame + STATUS_OFFSET);
    }

    /** Writes {@code tp_status} with release semantics: every earlier write or read of the frame happens before. */
    public static void statusRelease(MemorySegment ring, long frame, int status) {
        STATUS.setRelease(ring, frame + STATUS_OFFSET, status);
    }

    /** The frame's length on the wire. */
    public static int len(MemorySegment ring, long frame) {
        return ring.get(INT, frame + LEN_OFFSET);
    }

    public static void len(MemorySegment ring, long frame, int len) {
        ring.set(INT, frame + LEN_OFFSET, len);
    }

    /** The bytes of the frame present in the ring (less than {@link #len} when truncated). */
    public static int snaplen(MemorySegment ring, long frame) {
        return ring.get(INT, frame + SNAPLEN_OFFSET);
    }

    /** Offset of the Ethernet header from the frame's start. */
    public static int mac(MemorySegment ring, long frame) {
        return Short.toUnsignedInt(ring.get(SHORT, frame + MAC_OFFSET));
    }

    /** Offset of the network header from the frame's start. */
    public static int net(MemorySegment ring, long frame) {
        return Short.toUnsignedInt(ring.get(SHORT, frame + NET_OFFSET));
    }

    public static long sec(MemorySegment ring, long frame) {
        return Integer.toUnsignedLong(ring.get(INT, frame + SEC_OFFSET));
    }

    public static int nsec(MemorySegment ring, long frame) {
        return ring.get(INT, frame + NSEC_OFFSET);
    }

    public static int vlanTci(MemorySegment ring, long frame) {
        return Short.toUnsignedInt(ring.get(SHORT, frame + VLAN_TCI_OFFSET));
    }

    public static int vlanTpid(MemorySegment ring, long frame) {
        return Short.toUnsignedInt(ring.get(SHORT, frame + VLAN_TPID_OFFSET));
    }

    /** {@code sll_pkttype} of the address after the header: {@link AfPacket#PACKET_HOST} and so on. */
    public static int packetType(MemorySegment ring, long frame) {
        return SockaddrLl.packetType(ring, frame + SOCKADDR_OFFSET);
    }
}
