package io.tandem.core.net;

import io.tandem.core.linux.Libc;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reads the ancillary data recvmsg(2) returns (cmsg(3)) into a
 * {@link ReceivedDatagram}: the TTL / hop limit and the packet info
 * (arrival interface, destination address). Allocates nothing.
 *
 * <pre>
 * struct cmsghdr (LP64: x86_64, aarch64), each one padded to 8 bytes (CMSG_ALIGN)
 *  0 cmsg_len    size_t   header + data, unpadded
 *  8 cmsg_level  int      SOL_IP / SOL_IPV6
 * 12 cmsg_type   int      IP_TTL, IP_PKTINFO, IPV6_HOPLIMIT, IPV6_PKTINFO
 * 16 data
 *
 * IP_TTL, IPV6_HOPLIMIT: int
 * struct in_pktinfo   (ip(7))          struct in6_pktinfo (RFC 3542 §6.1)
 *  0 ipi_ifindex   int                  0 ipi6_addr    16 bytes: header destination
 *  4 ipi_spec_dst  4 bytes: local addr 16 ipi6_ifindex int
 *  8 ipi_addr      4 bytes: header destination
 * </pre>
 */
public final class ControlMessages {
    /** {@code sizeof(struct cmsghdr)}, also CMSG_LEN(0). */
    public static final int HEADER_SIZE = 16;
    static final long LEN = 0;
    static final long LEVEL = 8;
    static final long TYPE = 12;

    static final long IN_PKTINFO_IFINDEX = 0;
    static final long IN_PKTINFO_ADDR = 8;
    static final int IN_PKTINFO_SIZE = 12;
    static final long IN6_PKTINFO_ADDR = 0;
    static final long IN6_PKTINFO_IFINDEX = 16;
    static final int IN6_PKTINFO_SIZE = 20;

    /** Room for the control messages a {@link RawIpSocket} asks for, with margin. */
    public static final int BUFFER_SIZE = 128;

    private static final ValueLayout.OfLong SIZE_T = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    private ControlMessages() {
    }

    /** CMSG_ALIGN: {@code length} rounded up to a multiple of 8. */
    public static long align(long length) {
        return (length + 7) & ~7L;
    }

    /** CMSG_SPACE: room one control message with {@code dataLength} bytes of data takes. */
    public static long space(int dataLength) {
        return HEADER_SIZE + align(dataLength);
    }

    /**
     * Parses {@code length} bytes of {@code control} into {@code into}'s hop
     * limit, interface index and destination. Unknown messages are skipped.
     *
     * @return false when a header is malformed (its length runs outside the
     *     buffer or is shorter than a header); what was read before it is kept
     */
    public static boolean parse(MemorySegment control, long length, ReceivedDatagram into) {
        long offset = 0;
        while (offset + HEADER_SIZE <= length) {
            long cmsgLen = control.get(SIZE_T, offset + LEN);
            if (cmsgLen < HEADER_SIZE || offset + cmsgLen > length) {
                return false;
            }
            int level = control.get(INT, offset + LEVEL);
            int type = control.get(INT, offset + TYPE);
            long data = offset + HEADER_SIZE;
            long dataLength = cmsgLen - HEADER_SIZE;
            if (level == Libc.SOL_IP) {
                readIpv4(control, type, data, dataLength, into);
            } else if (level == Libc.SOL_IPV6) {
                readIpv6(control, type, data, dataLength, into);
            }
            offset += align(cmsgLen);
        }
        return true;
    }

    private static void readIpv4(MemorySegment control, int type, long data, long dataLength, ReceivedDatagram into) {
        if (type == SockOpt.IP_TTL.number() && dataLength >= Integer.BYTES) {
            into.hopLimit(control.get(INT, data));
        } else if (type == SockOpt.IP_PKTINFO.number() && dataLength >= IN_PKTINFO_SIZE) {
            into.interfaceIndex(control.get(INT, data + IN_PKTINFO_IFINDEX));
            MemorySegment.copy(control, ValueLayout.JAVA_BYTE, data + IN_PKTINFO_ADDR, into.destinationBytes(), 0, 4);
            into.destinationKnown(true);
        }
    }

    private static void readIpv6(MemorySegment control, int type, long data, long dataLength, ReceivedDatagram into) {
        if (type == SockOpt.IPV6_HOPLIMIT.number() && dataLength >= Integer.BYTES) {
            into.hopLimit(control.get(INT, data));
        } else if (type == SockOpt.IPV6_PKTINFO.number() && dataLength >= IN6_PKTINFO_SIZE) {
            MemorySegment.copy(control, ValueLayout.JAVA_BYTE, data + IN6_PKTINFO_ADDR, into.destinationBytes(), 0, 16);
            into.interfaceIndex(control.get(INT, data + IN6_PKTINFO_IFINDEX));
            into.destinationKnown(true);
        }
    }
}
