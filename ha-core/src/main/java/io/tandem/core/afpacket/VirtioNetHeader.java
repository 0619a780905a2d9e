package io.tandem.core.afpacket;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@code struct virtio_net_hdr} (linux/virtio_net.h), which a socket with
 * {@code PACKET_VNET_HDR} finds before each received frame and puts before
 * each frame it sends: how the frame is segmented (a GSO super-frame of
 * {@code gso_size} payload per segment) and whether its transport checksum is
 * left partial ({@link #F_NEEDS_CSUM}: the pseudo-header sum in the checksum
 * field, to be completed over {@code csum_start ~ end} and stored at
 * {@code csum_start + csum_offset}). Ten bytes in the host's byte order (the
 * packet socket uses the legacy, native-endian form).
 */
public final class VirtioNetHeader {
    public static final int LENGTH = 10;
    /** {@code flags}: the checksum is partial. */
    public static final int F_NEEDS_CSUM = 1;
    /** {@code flags}: the checksum was checked already. */
    public static final int F_DATA_VALID = 2;
    /** {@code gso_type} values. */
    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    public static final int GSO_UDP = 3;
    public static final int GSO_TCPV6 = 4;
    /** Flag on {@code gso_type}: the segments carry ECN's CWR as the super-frame does. */
    public static final int GSO_ECN = 0x80;

    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final int FLAGS = 0;
    private static final int GSO_TYPE = 1;
    private static final int HDR_LEN = 2;
    private static final int GSO_SIZE = 4;
    private static final int CSUM_START = 6;
    private static final int CSUM_OFFSET = 8;

    private VirtioNetHeader() {
    }

    public static int flags(MemorySegment m, long at) {
        return Byte.toUnsignedInt(m.get(ValueLayout.JAVA_BYTE, at + FLAGS));
    }

    public static int gsoType(MemorySegment m, long at) {
        return Byte.toUnsignedInt(m.get(ValueLayout.JAVA_BYTE, at + GSO_TYPE));
    }

    /** Bytes of headers before the payload ({@code hdr_len}); a hint. */
    public static int headerLength(MemorySegment m, long at) {
        return Short.toUnsignedInt(m.get(SHORT, at + HDR_LEN));
    }

    public static int gsoSize(MemorySegment m, long at) {
        return Short.toUnsignedInt(m.get(SHORT, at + GSO_SIZE));
    }

    public static int checksumStart(MemorySegment m, long at) {
        return Short.toUnsignedInt(m.get(SHORT, at + CSUM_START));
    }

    public static int checksumOffset(MemorySegment m, long at) {
        return Short.toUnsignedInt(m.get(SHORT, at + CSUM_OFFSET));
    }

    /** Writes every field. */
    public static void write(MemorySegment m, long at, int flags, int gsoType, int headerLength, int gsoSize,
            int checksumStart, int checksumOffset) {
        m.set(ValueLayout.JAVA_BYTE, at + FLAGS, (byte) flags);
        m.set(ValueLayout.JAVA_BYTE, at + GSO_TYPE, (byte) gsoType);
        m.set(SHORT, at + HDR_LEN, (short) headerLength);
        m.set(SHORT, at + GSO_SIZE, (short) gsoSize);
        m.set(SHORT, at + CSUM_START, (short) checksumStart);
        m.set(SHORT, at + CSUM_OFFSET, (short) checksumOffset);
    }

    /** A plain frame: no segmentation, a complete checksum. */
    public static void clear(MemorySegment m, long at) {
        write(m, at, 0, GSO_NONE, 0, 0, 0, 0);
    }
}
