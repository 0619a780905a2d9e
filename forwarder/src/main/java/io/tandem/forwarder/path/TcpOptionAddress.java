package io.tandem.forwarder.path;

import io.tandem.core.packet.Ipv4Flyweight;
import io.tandem.core.packet.ParsedPacket;
import io.tandem.core.packet.PseudoHeader;
import io.tandem.core.packet.TcpFlyweight;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * TOA, the client's address in a TCP option (Alibaba's LVS FULLNAT, kept by
 * DPVS): FULLNAT replaces the client's address and port with a local one, so
 * the director inserts the original pair into the client's handshake
 * segments, where a real server with a TOA module reads it back
 * ({@code getpeername} returns the client instead of the local address).
 *
 * <pre>
 *  0        1        2        3        4        5        6        7
 * +--------+--------+--------+--------+--------+--------+--------+--------+
 * | 254    | 8      | client port     | client IPv4 address               |
 * +--------+--------+--------+--------+--------+--------+--------+--------+
 * </pre>
 *
 * <p>The option goes right after the fixed 20-byte TCP header, before the
 * segment's own options (as Alibaba's and DPVS's modules insert it, so an
 * End-of-Option-List among them cannot hide it). A segment whose header has
 * no 8 bytes left (60 at most), or which would no longer fit the MTU or the
 * transmit frame, goes on without it. Options take no sequence space, so
 * nothing else in the flow changes; the IPv4 total length and both checksums
 * are rewritten. Stateless and allocation-free.
 */
public final class TcpOptionAddress {
    /** The option's kind (Alibaba's {@code TCPOPT_ADDR}). */
    public static final int KIND = 254;
    /** The option's length: kind, length, port and IPv4 address. */
    public static final int LENGTH = 8;
    private static final int FIXED_TCP_HEADER = 20;
    private static final int MAX_TCP_HEADER = 60;
    private static final int DATA_OFFSET = 12;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private TcpOptionAddress() {
    }

    /**
     * Inserts the option carrying {@code clientAddress:clientPort} into the
     * TCP segment {@code p} describes, which fills a frame of {@code length}
     * bytes at {@code frameOffset} of {@code frame}; the checksums are written
     * complete. Returns the frame's new length, or 0 when the option does not
     * fit (the frame is then left as it was).
     *
     * @param mtu the largest IP packet the link takes
     * @param capacity the most bytes the frame may have
     */
    public static int insert(ParsedPacket p, MemorySegment frame, long frameOffset, int length, int clientAddress,
            int clientPort, int mtu, int capacity) {
        Ipv4Flyweight ip = p.ipv4();
        TcpFlyweight tcp = p.tcp();
        int headerLength = tcp.headerLength();
        if (headerLength + LENGTH > MAX_TCP_HEADER || ip.totalLength() + LENGTH > mtu || length + LENGTH > capacity
                || frame.byteSize() < frameOffset + length + LENGTH) {
            return 0;
        }
        long tcpAt = p.transportOffset();
        long options = tcpAt + FIXED_TCP_HEADER;
        long packetEnd = p.networkOffset() + ip.totalLength(); // any Ethernet padding after it is dropped
        MemorySegment.copy(frame, options, frame, options + LENGTH, packetEnd - options);
        frame.set(ValueLayout.JAVA_BYTE, options, (byte) KIND);
        frame.set(ValueLayout.JAVA_BYTE, options + 1, (byte) LENGTH);
        frame.set(SHORT, options + 2, (short) clientPort);
        frame.set(INT, options + 4, clientAddress);
        byte offsetAndNs = frame.get(ValueLayout.JAVA_BYTE, tcpAt + DATA_OFFSET);
        frame.set(ValueLayout.JAVA_BYTE, tcpAt + DATA_OFFSET,
                (byte) (((headerLength + LENGTH) / 4) << 4 | (offsetAndNs & 0x0F)));
        ip.totalLength(ip.totalLength() + LENGTH).updateHeaderChecksum();
        int segmentLength = p.transportLength() + LENGTH;
        tcp.updateChecksum(PseudoHeader.ipv4Sum(ip.sourceAddress(), ip.destinationAddress(),
                Ipv4Flyweight.PROTOCOL_TCP, segmentLength), segmentLength);
        return (int) (packetEnd - frameOffset) + LENGTH;
    }
}
