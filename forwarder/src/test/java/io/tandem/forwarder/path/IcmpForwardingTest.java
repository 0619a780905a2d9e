package io.tandem.forwarder.path;

import static io.tandem.forwarder.path.LabNetwork.CIP;
import static io.tandem.forwarder.path.LabNetwork.DIP;
import static io.tandem.forwarder.path.LabNetwork.DIRECTOR_MAC;
import static io.tandem.forwarder.path.LabNetwork.LIP;
import static io.tandem.forwarder.path.LabNetwork.RIP;
import static io.tandem.forwarder.path.LabNetwork.ROUTER_MAC;
import static io.tandem.forwarder.path.LabNetwork.RS_MAC;
import static io.tandem.forwarder.path.LabNetwork.VIP;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.packet.ChecksumPolicy;
import io.tandem.core.packet.Icmpv4Flyweight;
import io.tandem.core.packet.Ipv4Flyweight;
import io.tandem.core.packet.PacketParser;
import io.tandem.core.packet.ParseResult;
import io.tandem.core.packet.ParsedPacket;
import io.tandem.core.packet.TcpFlyweight;
import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.sched.Schedulers;
import io.tandem.forwarder.service.TrafficStats;
import io.tandem.forwarder.service.VirtualService;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ICMP through the forwarder: Fragmentation Needed for TUN packets that no
 * longer fit once encapsulated (IPVS's ensure_mtu_is_adequate), and ICMP
 * errors about a connection rewritten like the flow (IPVS's ip_vs_nat_icmp).
 * A translated error must be byte for byte the error that would have been
 * sent about the packet as the other side saw it.
 */
class IcmpForwardingTest extends ForwarderFixture {
    private static final int PORT_UNREACHABLE = 3;

    private final MemorySegment scratch = arena.allocate(2048);
    private final MemorySegment expected = arena.allocate(2048);

    private static byte[] bytes(MemorySegment seg, long offset, int length) {
        return seg.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE);
    }

    private static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }

    // ------------------------------------------------------------------ TUN: Fragmentation Needed

    /** A client's full-size DF segment (1500 bytes) on an established TUN flow: 1520 once encapsulated. */
    private int fullSizeSegment(boolean df) {
        return Frames.tcp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, 40000, VIP, 80, TcpFlyweight.ACK, 1460, df);
    }

    @Test
    void aTunnelPacketTooBigForTheMtuIsAnsweredWithFragmentationNeededFromTheVip() {
        VirtualService s = service(6, ForwardMethod.TUN, 80);
        forward(Frames.tcp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, 40000, VIP, 80, TcpFlyweight.SYN, 0, true));
        int length = fullSizeSegment(true);
        byte[] offending = bytes(rxBuf, 14, length - 14);

        int sent = forward(length);

        assertThat(sent).as("a 576-byte ICMP datagram in an Ethernet frame").isEqualTo(14 + 576);
        assertThat(bytes(txBuf, 0, 14)).isEqualTo(hex(
                "02 00 00 00 00 01" // destination: the router, the client's next hop
                + " 02 00 00 00 00 02" // source: the director
                + " 08 00")); // IPv4
        assertThat(bytes(txBuf, 14, 20)).isEqualTo(hex(
                "45" // version 4, IHL 5
                + " c0" // TOS: IPTOS_PREC_INTERNETCONTROL, as Linux sends ICMP errors
                + " 02 40" // total length 576 (RFC 1812 §4.3.2.3)
                + " 00 00" // identification: the first one this worker sent
                + " 00 00" // no flags, offset 0
                + " 40" // TTL 64
                + " 01" // protocol ICMP
                + " 61 f6" // header checksum
                + " 0a 4d 00 64" // source: the VIP the client sent to
                + " 0a 4d 01 0a")); // destination: the client
        assertThat(bytes(txBuf, 34, 8)).isEqualTo(hex(
                "03" // type 3, Destination Unreachable
                + " 04" // code 4, Fragmentation Needed and DF set
                + " 13 0a" // checksum over the whole message
                + " 00 00" // unused
                + " 05 c8")); // next-hop MTU 1480: the link's 1500 less the 20-byte outer header
        assertThat(bytes(txBuf, 42, 548)).as("the offending datagram, as much as fits in 576 bytes")
                .isEqualTo(java.util.Arrays.copyOf(offending, 548));

        assertThat(forwarder.dropped(DropReason.TOO_BIG)).isEqualTo(1);
        assertThat(forwarder.icmp(IcmpCounter.FRAGMENTATION_NEEDED_SENT)).isEqualTo(1);
        assertThat(s.stats().get(0, TrafficStats.IN_PACKETS)).as("only the SYN reached the real server").isEqualTo(1);
    }

    @Test
    void aTunnelPacketThatStillFitsIsEncapsulated() {
        service(6, ForwardMethod.TUN, 80);
        forward(Frames.tcp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, 40000, VIP, 80, TcpFlyweight.SYN, 0, true));
        int length = Frames.tcp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, 40000, VIP, 80, TcpFlyweight.ACK, 1440, true);
        assertThat(forward(length)).as("1480 + 20 fits 1500 exactly").isEqualTo(length + 20);
        assertThat(forwarder.icmp(IcmpCounter.FRAGMENTATION_NEEDED_SENT)).isZero();
    }

    @Test
    void aTooBigPacketWithoutDfIsDroppedWithoutAnAnswer() {
        service(6, ForwardMethod.TUN, 80);
        forward(Frames.tcp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, 40000, VIP, 80, TcpFlyweight.SYN, 0, true));
        assertThat(forward(fullSizeSegment(false))).isEqualTo(PacketForwarder.DROP);
        assertThat(forwarder.dropped(DropReason.TOO_BIG)).isEqualTo(1);
        assertThat(forwarder.icmp(IcmpCounter.FRAGMENTATION_NEEDED_SENT)).isZero();
    }

    /**
     * Every oversized packet is answered, as Linux answers them (it never
     * rate-limits PMTU discovery): after a failover many streams send
     * full-size segments at once, and one left unanswered waits a
     * retransmission timeout.
     */
    @Test
    void everyTooBigPacketIsAnsweredAsLinuxDoes() {
        service(6, ForwardMethod.TUN, 80);
        for (int stream = 0; stream < 200; stream++) {
            forward(Frames.tcp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, 40000 + stream, VIP, 80, TcpFlyweight.SYN, 0,
                    true));
        }
        for (int stream = 0; stream < 200; stream++) {
            int length = Frames.tcp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, 40000 + stream, VIP, 80, TcpFlyweight.ACK,
                    1460, true);
            assertThat(forward(length)).as("stream %d's answer", stream).isEqualTo(14 + 576);
        }
        assertThat(forwarder.icmp(IcmpCounter.FRAGMENTATION_NEEDED_SENT)).isEqualTo(200);
        assertThat(forwarder.dropped(DropReason.TOO_BIG)).isEqualTo(200);
    }

    // ------------------------------------------------------------------ errors about a flow

    /** Writes the UDP datagram {@code src:sport -> dst:dport} (IP packet only) into {@code scratch}; returns its length. */
    private int udpPacket(int src, int sport, int dst, int dport) {
        return Frames.udp(scratch, 0, 0, src, sport, dst, dport, 12) - 14;
    }

    /** The error {@code from -> to} quoting the whole UDP datagram in {@code scratch} (at offset 14), into {@code seg}. */
    private static int error(MemorySegment seg, long srcMac, long dstMac, int from, int to, int type, int code,
            MemorySegment quoted, int quotedLength) {
        return Frames.icmpError(seg, srcMac, dstMac, from, to, type, code, 0, quoted, 14, quotedLength);
    }

    private void assertSentEquals(int sent, int expectedLength, long destinationMac) {
        assertThat(sent).isEqualTo(expectedLength);
        assertThat(new io.tandem.core.packet.EthernetFlyweight().wrap(txBuf, 0, sent).destination())
                .isEqualTo(destinationMac);
        assertThat(bytes(txBuf, 14, sent - 14)).as("the IP packet").isEqualTo(bytes(expected, 14, sent - 14));
        ParsedPacket p = new ParsedPacket();
        assertThat(new PacketParser(ChecksumPolicy.ALL).parse(txBuf, 0, sent, p)).isEqualTo(ParseResult.OK);
    }

    @Test
    void natCarriesAClientsPortUnreachableAboutAReplyToTheRealServer() {
        VirtualService s = service(17, ForwardMethod.NAT, 5353);
        forward(Frames.udp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, 5000, VIP, 80, 12));
        // the client got the reply VIP:80 -> CIP:5000 and answers port unreachable to the VIP
        int quoted = udpPacket(VIP, 80, CIP, 5000);
        int length = error(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, VIP, 3, PORT_UNREACHABLE, scratch, quoted);
        // what the real server must see: the error about its own reply RIP:5353 -> CIP:5000
        quoted = udpPacket(RIP, 5353, CIP, 5000);
        int expectedLength = error(expected, DIRECTOR_MAC, RS_MAC, CIP, RIP, 3, PORT_UNREACHABLE, scratch, quoted);

        assertSentEquals(forward(length), expectedLength, RS_MAC);
        assertThat(forwarder.icmp(IcmpCounter.ERRORS_FORWARDED)).isEqualTo(1);
        assertThat(s.stats().get(0, TrafficStats.IN_PACKETS)).isEqualTo(2);
    }

    @Test
    void natCarriesARealServersPortUnreachableAboutARequestToTheClientFromTheVip() {
        service(17, ForwardMethod.NAT, 5353);
        forward(Frames.udp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, 5000, VIP, 80, 12));
        int quoted = udpPacket(CIP, 5000, RIP, 5353);
        int length = error(rxBuf, RS_MAC, DIRECTOR_MAC, RIP, CIP, 3, PORT_UNREACHABLE, scratch, quoted);
        quoted = udpPacket(CIP, 5000, VIP, 80);
        int expectedLength = error(expected, DIRECTOR_MAC, ROUTER_MAC, VIP, CIP, 3, PORT_UNREACHABLE, scratch, quoted);

        assertSentEquals(forward(length), expectedLength, ROUTER_MAC);
    }

    @Test
    void fullNatCarriesErrorsBothWays() {
        service(17, ForwardMethod.FULLNAT, 5353);
        int sent = forward(Frames.udp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, 5000, VIP, 80, 12));
        ParsedPacket p = new ParsedPacket();
        new PacketParser(ChecksumPolicy.ALL).parse(txBuf, 0, sent, p);
        int lport = p.sourcePort();

        // the real server could not take LIP:lport -> RIP:5353: the client hears about CIP:5000 -> VIP:80
        int quoted = udpPacket(LIP, lport, RIP, 5353);
        int length = error(rxBuf, RS_MAC, DIRECTOR_MAC, RIP, LIP, 3, PORT_UNREACHABLE, scratch, quoted);
        quoted = udpPacket(CIP, 5000, VIP, 80);
        int expectedLength = error(expected, 0, 0, VIP, CIP, 3, PORT_UNREACHABLE, scratch, quoted);
        assertSentEquals(forward(length), expectedLength, ROUTER_MAC);

        // the client could not take VIP:80 -> CIP:5000: the real server hears about RIP:5353 -> LIP:lport
        quoted = udpPacket(VIP, 80, CIP, 5000);
        length = error(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, VIP, 3, PORT_UNREACHABLE, scratch, quoted);
        quoted = udpPacket(RIP, 5353, LIP, lport);
        expectedLength = error(expected, 0, 0, LIP, RIP, 3, PORT_UNREACHABLE, scratch, quoted);
        assertSentEquals(forward(length), expectedLength, RS_MAC);
        assertThat(forwarder.icmp(IcmpCounter.ERRORS_FORWARDED)).isEqualTo(2);
    }

    @Test
    void aRoutersFragmentationNeededWithAShortTcpQuoteIsTranslatedToo() {
        service(6, ForwardMethod.NAT, 8080);
        forward(Frames.tcp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, 40000, VIP, 80, TcpFlyweight.SYN, 0, true));
        // the minimum quote: IP header and 8 bytes, without the TCP checksum (RFC 792)
        Frames.tcp(scratch, 0, 0, CIP, 40000, RIP, 8080, TcpFlyweight.ACK, 100, true);
        int length = Frames.icmpError(rxBuf, RS_MAC, DIRECTOR_MAC, RIP, CIP, 3, 4, 1400, scratch, 14, 28);
        Frames.tcp(scratch, 0, 0, CIP, 40000, VIP, 80, TcpFlyweight.ACK, 100, true);
        int expectedLength = Frames.icmpError(expected, 0, 0, VIP, CIP, 3, 4, 1400, scratch, 14, 28);
        assertSentEquals(forward(length), expectedLength, ROUTER_MAC);
        assertThat(new Icmpv4Flyweight().wrap(txBuf, 34).nextHopMtu()).isEqualTo(1400);
    }

    @Test
    void directRoutingAndTunnelCarryTheClientsErrorToTheRealServerUnchanged() {
        service(17, ForwardMethod.DR, 80);
        forward(Frames.udp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, 5000, VIP, 80, 12));
        int quoted = udpPacket(VIP, 80, CIP, 5000);
        int length = error(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, VIP, 3, 4, scratch, quoted);
        byte[] ip = bytes(rxBuf, 14, length - 14);
        assertThat(forward(length)).isEqualTo(length);
        assertThat(bytes(txBuf, 14, length - 14)).isEqualTo(ip);
        assertThat(new io.tandem.core.packet.EthernetFlyweight().wrap(txBuf, 0, length).destination())
                .isEqualTo(RS_MAC);
    }

    @Test
    void aTunnelCarriesTheClientsErrorEncapsulated() {
        service(17, ForwardMethod.TUN, 80);
        forward(Frames.udp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, 5000, VIP, 80, 12));
        int quoted = udpPacket(VIP, 80, CIP, 5000);
        int length = error(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, VIP, 3, 4, scratch, quoted);
        byte[] ip = bytes(rxBuf, 14, length - 14);
        assertThat(forward(length)).isEqualTo(length + 20);
        Ipv4Flyweight outer = new Ipv4Flyweight().wrap(txBuf, 14);
        assertThat(outer.protocol()).isEqualTo(Ipv4Flyweight.PROTOCOL_IPIP);
        assertThat(outer.sourceAddress()).isEqualTo(DIP);
        assertThat(outer.destinationAddress()).isEqualTo(RIP);
        assertThat(bytes(txBuf, 34, length - 14)).isEqualTo(ip);
    }

    @Test
    void errorsThatAreNotAboutAConnectionOrAreDamagedAreNotCarried() {
        service(17, ForwardMethod.NAT, 5353);
        forward(Frames.udp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, 5000, VIP, 80, 12));
        // about another client port: the kernel's
        int quoted = udpPacket(VIP, 80, CIP, 5001);
        assertThat(forward(error(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, VIP, 3, 3, scratch, quoted)))
                .isEqualTo(PacketForwarder.PASS);
        // an echo request to the VIP: the kernel answers it
        assertThat(forward(Frames.icmpError(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, VIP,
                Icmpv4Flyweight.TYPE_ECHO, 0, 0, scratch, 14, 20))).isEqualTo(PacketForwarder.PASS);
        // a quote too short for the ports
        quoted = udpPacket(VIP, 80, CIP, 5000);
        assertThat(forward(error(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, VIP, 3, 3, scratch, 22)))
                .isEqualTo(PacketForwarder.PASS);
        // about the flow, but its ICMP checksum is wrong
        int length = error(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, VIP, 3, 3, scratch, quoted);
        rxBuf.set(ValueLayout.JAVA_BYTE, length - 1, (byte) 0x5A);
        assertThat(forward(length)).isEqualTo(PacketForwarder.DROP);
        assertThat(forwarder.dropped(DropReason.BAD_ICMP_CHECKSUM)).isEqualTo(1);
        assertThat(forwarder.icmp(IcmpCounter.ERRORS_FORWARDED)).isZero();
    }

    /** STYLE.md: nothing allocated per packet, on the ICMP paths either. */
    @Test
    void translatingErrorsAndAnsweringTooBigPacketsAllocateNothing() {
        service(17, ForwardMethod.NAT, 5353);
        forward(Frames.udp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, 5000, VIP, 80, 12));
        int quoted = udpPacket(CIP, 5000, RIP, 5353);
        int error = error(rxBuf, RS_MAC, DIRECTOR_MAC, RIP, CIP, 3, PORT_UNREACHABLE, scratch, quoted);
        MemorySegment errorFrame = arena.allocate(2048);
        MemorySegment.copy(rxBuf, 0, errorFrame, 0, error);
        VirtualService tun = new VirtualService(services.nextId(), 6, VIP, 443, Schedulers.create("rr", List.of()));
        tun.addRealServer(RIP, 443, 1, ForwardMethod.TUN);
        services.add(tun);
        forward(Frames.tcp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, 40000, VIP, 443, TcpFlyweight.SYN, 0, true));
        int big = Frames.tcp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, 40000, VIP, 443, TcpFlyweight.ACK, 1460, true);

        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        long before = 0;
        long translated = 0;
        for (int round = 0; round < 2; round++) { // the first round warms up
            before = threads.getThreadAllocatedBytes(thread);
            translated = 0;
            for (int i = 0; i < 50_000; i++) {
                translated += forwarder.process(errorFrame, 0, error, false, txBuf, 0, 2048, i) > 0 ? 1 : 0;
                forwarder.process(rxBuf, 0, big, false, txBuf, 0, 2048, i);
            }
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertThat(allocated).as("bytes allocated over 100,000 ICMP packets").isLessThan(100_000);
        assertThat(translated).isEqualTo(50_000);
        assertThat(forwarder.icmp(IcmpCounter.FRAGMENTATION_NEEDED_SENT)).isGreaterThan(50_000);
    }

    @Test
    void aRealServerErrorInDirectRoutingIsNotTheForwardersToCarry() {
        service(17, ForwardMethod.DR, 80);
        forward(Frames.udp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, 5000, VIP, 80, 12));
        int quoted = udpPacket(CIP, 5000, VIP, 80);
        assertThat(forward(error(rxBuf, RS_MAC, DIRECTOR_MAC, RIP, CIP, 3, 3, scratch, quoted)))
                .isEqualTo(PacketForwarder.PASS);
    }
}
