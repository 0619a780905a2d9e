package io.tandem.forwarder.path;

import io.tandem.core.packet.ChecksumPolicy;
import io.tandem.core.packet.Ipv4Flyweight;
import io.tandem.core.packet.PacketParser;
import io.tandem.core.packet.ParseResult;
import io.tandem.core.packet.ParsedPacket;
import io.tandem.core.packet.PseudoHeader;
import io.tandem.core.packet.TcpFlyweight;
import java.lang.foreign.MemorySegment;

/**
 * Software TCP segmentation: the GSO that the kernel would have done on
 * transmit, for the frames that reach an AF_PACKET socket larger than the
 * link's MTU. A GRO aggregate (the receive path merges a flow's segments
 * before the packet taps see them) and a local sender's TSO frame (a veth
 * passes it on whole) are both such frames; sent as they are, they would
 * not fit the wire, so they are cut into segments that do, each a complete
 * segment with its own IPv4 header checksum and full TCP checksum, which
 * the forwarder then carries like any other frame.
 *
 * <p>Each segment repeats the Ethernet, IPv4 and TCP headers (options
 * included) and carries the next {@code maxPayload} bytes: the sequence
 * number advances by the bytes before it, the IPv4 identification by one a
 * segment, CWR stays on the first segment only and FIN and PSH on the last
 * only (as Linux's {@code tcp_gso_segment} sets them; RFC 9293 section
 * 3.7.1 on the segment size). SYN, RST and URG segments, fragments and what
 * is not IPv4 TCP are not cut: {@link #begin} returns 0 and the caller
 * counts the frame as oversize.
 *
 * <p>Nothing is allocated; one instance per worker thread.
 */
public final class TcpSegmenter {
    private static final int NOT_CUT = TcpFlyweight.SYN | TcpFlyweight.RST | TcpFlyweight.URG;

    private final int mtu;
    private final int reserve;
    private final PacketParser parser = new PacketParser(ChecksumPolicy.IPV4_HEADER);
    private final ParsedPacket in = new ParsedPacket();
    private final Ipv4Flyweight ip = new Ipv4Flyweight();
    private final TcpFlyweight tcp = new TcpFlyweight();

    private MemorySegment source;
    private long sourceOffset;
    private int headers;
    private int ipHeader;
    private int tcpHeader;
    private int payload;
    private int maxPayload;
    private int segments;
    private int identification;
    private int sequence;
    private int flags;

    /**
     * @param mtu the link MTU every segment's IP packet must fit
     * @param reserve bytes kept free below the MTU for what the forwarder
     *     may add (TUN's outer IPv4 header: 20)
     */
    public TcpSegmenter(int mtu, int reserve) {
        if (reserve < 0 || mtu - reserve < Ipv4Flyweight.MAX_HEADER_LENGTH + TcpFlyweight.MAX_HEADER_LENGTH + 8) {
            throw new IllegalArgumentException("invalid mtu " + mtu + " and reserve " + reserve + " (expected: mtu - reserve >= "
                    + (Ipv4Flyweight.MAX_HEADER_LENGTH + TcpFlyweight.MAX_HEADER_LENGTH + 8) + ", reserve >= 0)");
        }
        this.mtu = mtu;
        this.reserve = reserve;
    }

    /**
     * Prepares to cut the frame of {@code length} bytes at {@code offset}.
     *
     * @return the number of segments it makes, or 0 when it cannot be cut
     *     (not a valid IPv4 TCP segment, a fragment, SYN, RST or URG set, or
     *     already no larger than one segment)
     */
    public int begin(MemorySegment frame, long offset, int length) {
        segments = 0;
        if (parser.parse(frame, offset, length, in) != ParseResult.OK || in.ipVersion() != 4
                || in.protocol() != Ipv4Flyweight.PROTOCOL_TCP || (in.tcp().flags() & NOT_CUT) != 0) {
            return 0;
        }
        Ipv4Flyweight sourceIp = in.ipv4();
        ipHeader = sourceIp.headerLength();
        tcpHeader = in.tcp().headerLength();
        headers = (int) (in.transportOffset() - offset) + tcpHeader;
        payload = in.transportLength() - tcpHeader;
        maxPayload = mtu - reserve - ipHeader - tcpHeader;
        if (payload <= maxPayload) {
            return 0;
        }
        source = frame;
        sourceOffset = offset;
        identification = sourceIp.identification();
        sequence = in.tcp().sequenceNumber();
        flags = in.tcp().flags();
        segments = (payload + maxPayload - 1) / maxPayload;
        return segments;
    }

    /**
     * Writes segment {@code index} (0 ~ the count {@link #begin} returned,
     * exclusive) at {@code offset} of {@code out}.
     *
     * @return the segment's frame length, or -1 when it does not fit {@code capacity}
     */
    public int write(int index, MemorySegment out, long offset, int capacity) {
        if (index < 0 || index >= segments) {
            throw new IndexOutOfBoundsException("segment " + index + " of " + segments);
        }
        int from = index * maxPayload;
        int size = Math.min(maxPayload, payload - from);
        int length = headers + size;
        if (length > capacity) {
            return -1;
        }
        MemorySegment.copy(source, sourceOffset, out, offset, headers);
        MemorySegment.copy(source, sourceOffset + headers + from, out, offset + headers, size);

        long ipOffset = offset + headers - tcpHeader - ipHeader;
        ip.wrap(out, ipOffset)
                .totalLength(ipHeader + tcpHeader + size)
                .identification((identification + index) & 0xFFFF)
                .updateHeaderChecksum();
        int segmentFlags = flags;
        if (index > 0) {
            segmentFlags &= ~TcpFlyweight.CWR;
        }
        if (index < segments - 1) {
            segmentFlags &= ~(TcpFlyweight.FIN | TcpFlyweight.PSH);
        }
        int tcpLength = tcpHeader + size;
        tcp.wrap(out, ipOffset + ipHeader)
                .sequenceNumber(sequence + from)
                .flags(segmentFlags)
                .updateChecksum(PseudoHeader.ipv4Sum(ip.sourceAddress(), ip.destinationAddress(),
                        Ipv4Flyweight.PROTOCOL_TCP, tcpLength), tcpLength);
        return length;
    }

    /** Payload bytes a segment carries at most, for the frame {@link #begin} took. */
    public int maxPayload() {
        return maxPayload;
    }
}
