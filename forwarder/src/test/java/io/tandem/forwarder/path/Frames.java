package io.tandem.forwarder.path;

import io.tandem.core.packet.EthernetFlyweight;
import io.tandem.core.packet.Icmpv4Flyweight;
import io.tandem.core.packet.Ipv4Flyweight;
import io.tandem.core.packet.PseudoHeader;
import io.tandem.core.packet.TcpFlyweight;
import io.tandem.core.packet.UdpFlyweight;
import java.lang.foreign.MemorySegment;

/** Builds Ethernet / IPv4 / TCP or UDP test frames with correct checksums. */
public final class Frames {
    public static final int ETH = 14;
    public static final int IP = 20;

    private Frames() {
    }

    /** A TCP segment with {@code payload} bytes of 'x'; returns the frame length. */
    public static int tcp(MemorySegment seg, long srcMac, long dstMac, int src, int sport, int dst, int dport, int flags,
            int payload, boolean df) {
        int l4 = TcpFlyweight.MIN_HEADER_LENGTH + payload;
        ip(seg, srcMac, dstMac, src, dst, Ipv4Flyweight.PROTOCOL_TCP, l4, df);
        TcpFlyweight tcp = new TcpFlyweight().wrap(seg, ETH + IP);
        tcp.sourcePort(sport).destinationPort(dport).sequenceNumber(1000).acknowledgmentNumber(0)
                .dataOffset(5).flags(flags).window(65535).checksum(0).urgentPointer(0);
        seg.asSlice(ETH + IP + 20, payload).fill((byte) 'x');
        tcp.updateChecksum(PseudoHeader.ipv4Sum(src, dst, Ipv4Flyweight.PROTOCOL_TCP, l4), l4);
        return ETH + IP + l4;
    }

    public static int udp(MemorySegment seg, long srcMac, long dstMac, int src, int sport, int dst, int dport, int payload) {
        int l4 = 8 + payload;
        ip(seg, srcMac, dstMac, src, dst, Ipv4Flyweight.PROTOCOL_UDP, l4, false);
        UdpFlyweight udp = new UdpFlyweight().wrap(seg, ETH + IP);
        udp.sourcePort(sport).destinationPort(dport).length(l4).checksum(0);
        seg.asSlice(ETH + IP + 8, payload).fill((byte) 'u');
        udp.updateChecksum(PseudoHeader.ipv4Sum(src, dst, Ipv4Flyweight.PROTOCOL_UDP, l4), l4);
        return ETH + IP + l4;
    }

    /**
     * An ICMPv4 error from {@code src} to {@code dst} quoting the first {@code quotedLength}
     * bytes of the IP packet at {@code quotedOffset} of {@code quoted}; returns the frame length.
     */
    static int icmpError(MemorySegment seg, long srcMac, long dstMac, int src, int dst, int type, int code, int mtu,
            MemorySegment quoted, long quotedOffset, int quotedLength) {
        int l4 = 8 + quotedLength;
        ip(seg, srcMac, dstMac, src, dst, Ipv4Flyweight.PROTOCOL_ICMP, l4, false);
        MemorySegment.copy(quoted, quotedOffset, seg, ETH + IP + 8, quotedLength);
        new Icmpv4Flyweight().wrap(seg, ETH + IP).type(type).code(code).nextHopMtu(mtu).updateChecksum(l4);
        return ETH + IP + l4;
    }

    private static void ip(MemorySegment seg, long srcMac, long dstMac, int src, int dst, int protocol, int l4,
            boolean df) {
        new EthernetFlyweight().wrap(seg, 0, ETH).destination(dstMac).source(srcMac)
                .etherType(EthernetFlyweight.ETHERTYPE_IPV4);
        new Ipv4Flyweight().wrap(seg, ETH).versionAndIhl(5).tos(0).totalLength(IP + l4).identification(7)
                .flagsAndFragmentOffset(df ? Ipv4Flyweight.FLAG_DONT_FRAGMENT : 0).ttl(63).protocol(protocol)
                .sourceAddress(src).destinationAddress(dst).updateHeaderChecksum();
    }

    /** Replaces a frame's TCP checksum by the partial one an offloading sender leaves (pseudo-header only). */
    static void makeTcpChecksumPartial(MemorySegment seg, int src, int dst, int l4) {
        long pseudo = PseudoHeader.ipv4Sum(src, dst, Ipv4Flyweight.PROTOCOL_TCP, l4);
        while ((pseudo >>> 16) != 0) {
            pseudo = (pseudo & 0xFFFF) + (pseudo >>> 16);
        }
        new TcpFlyweight().wrap(seg, ETH + IP).checksum((int) pseudo);
    }
}
