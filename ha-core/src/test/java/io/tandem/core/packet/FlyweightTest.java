package io.tandem.core.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** Setters, option iteration and helpers of the individual flyweights. */
class FlyweightTest {
    @Test
    void ethernetAddressesAndTagsRoundTrip() {
        MemorySegment frame = Frames.segment(Frames.withTag(CapturedFrames.TCP_SYN, EthernetFlyweight.TPID_8021Q, 0x2123));
        EthernetFlyweight ethernet = new EthernetFlyweight().wrap(frame, 0, (int) frame.byteSize());
        ethernet.destination(0x0102_0304_0506L).source(0xfedc_ba98_7654L);
        assertThat(ethernet.destination()).isEqualTo(0x0102_0304_0506L);
        assertThat(ethernet.source()).isEqualTo(0xfedc_ba98_7654L);
        assertThat(frame.get(NetworkOrder.BYTE, 0)).isEqualTo((byte) 0x01);
        assertThat(frame.get(NetworkOrder.BYTE, 11)).isEqualTo((byte) 0x54);
        assertThat(ethernet.vlanId(0)).isEqualTo(0x123);
        assertThat(ethernet.priority(0)).isEqualTo(1);
        assertThatThrownBy(() -> ethernet.vlanId(1))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("invalid tag index: 1 (expected: 0 ~ 0)");
        ethernet.etherType(EthernetFlyweight.ETHERTYPE_IPV6);
        assertThat(NetworkOrder.getUnsignedShort(frame, 16)).isEqualTo(EthernetFlyweight.ETHERTYPE_IPV6);
    }

    /** Both MACs in two stores: the same bytes as the two setters, nothing after them touched. */
    @Test
    void ethernetAddressesWrittenTogether() {
        byte[] expected = CapturedFrames.TCP_SYN.clone();
        new EthernetFlyweight().wrap(MemorySegment.ofArray(expected), 0, expected.length)
                .destination(0x02_11_22_33_44_55L).source(0xFE_DC_BA_98_76_54L);
        for (int offset : new int[] {0, 1, 3, 6}) {
            byte[] bytes = new byte[offset + CapturedFrames.TCP_SYN.length];
            System.arraycopy(CapturedFrames.TCP_SYN, 0, bytes, offset, CapturedFrames.TCP_SYN.length);
            EthernetFlyweight ethernet = new EthernetFlyweight().wrap(MemorySegment.ofArray(bytes), offset,
                    CapturedFrames.TCP_SYN.length);
            ethernet.addresses(0xFFFF_02_11_22_33_44_55L, 0xFFFF_FE_DC_BA_98_76_54L); // bits above 48 ignored
            assertThat(ethernet.destination()).isEqualTo(0x02_11_22_33_44_55L);
            assertThat(ethernet.source()).isEqualTo(0xFE_DC_BA_98_76_54L);
            assertThat(java.util.Arrays.copyOfRange(bytes, offset, bytes.length)).isEqualTo(expected);
        }
    }

    /** The paired accessors read and write the same bytes as the single-field ones. */
    @Test
    void addressesAndPortsInOneAccess() {
        byte[] frame = CapturedFrames.TCP_DATA.clone();
        ParsedPacket p = new ParsedPacket();
        assertThat(new PacketParser(ChecksumPolicy.ALL).parse(MemorySegment.ofArray(frame), 0, frame.length, p))
                .isEqualTo(ParseResult.OK);
        Ipv4Flyweight ip = p.ipv4();
        assertThat(ip.addresses()).isEqualTo((long) ip.sourceAddress() << 32 | (ip.destinationAddress() & 0xFFFF_FFFFL));
        assertThat(p.ports()).isEqualTo(p.tcp().ports()).isEqualTo(p.sourcePort() << 16 | p.destinationPort());
        ip.addresses(0xC0A8_0001, 0xF000_0002);
        p.tcp().ports(0xFFFF, 0x8001);
        assertThat(ip.sourceAddress()).isEqualTo(0xC0A8_0001);
        assertThat(ip.destinationAddress()).isEqualTo(0xF000_0002);
        assertThat(p.sourcePort()).isEqualTo(0xFFFF);
        assertThat(p.destinationPort()).isEqualTo(0x8001);
        assertThat(p.ports() >>> 16).isEqualTo(0xFFFF);

        byte[] udp = CapturedFrames.UDP_IPV4.clone();
        assertThat(new PacketParser(ChecksumPolicy.ALL).parse(MemorySegment.ofArray(udp), 0, udp.length, p))
                .isEqualTo(ParseResult.OK);
        assertThat(p.ports()).isEqualTo(p.sourcePort() << 16 | p.destinationPort());
        p.udp().ports(53, 0x10035); // the high bits of a port are not written
        assertThat(p.sourcePort()).isEqualTo(53);
        assertThat(p.destinationPort()).isEqualTo(0x35);
        byte[] icmp = CapturedFrames.ICMP_PORT_UNREACHABLE.clone();
        assertThat(new PacketParser(ChecksumPolicy.ALL).parse(MemorySegment.ofArray(icmp), 0, icmp.length, p))
                .isEqualTo(ParseResult.OK);
        assertThat(p.ports()).isEqualTo(-1);
    }

    @Test
    void ethernetRewrapsAtAnyOffset() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ring = arena.allocate(4096);
            EthernetFlyweight ethernet = new EthernetFlyweight();
            for (long slot = 0; slot < 4096; slot += 2048) {
                MemorySegment.copy(CapturedFrames.TCP_SYN, 0, ring, NetworkOrder.BYTE, slot + 3, CapturedFrames.TCP_SYN.length);
                ethernet.wrap(ring, slot + 3, CapturedFrames.TCP_SYN.length);
                assertThat(ethernet.payloadOffset()).isEqualTo(slot + 3 + 14);
                assertThat(ethernet.source()).isEqualTo(0xba2e_9602_4e43L);
            }
        }
    }

    @Test
    void gratuitousArpIsWrittenThroughTheFlyweight() {
        MemorySegment packet = MemorySegment.ofArray(new byte[ArpFlyweight.LENGTH]);
        ArpFlyweight arp = new ArpFlyweight().wrap(packet, 0)
                .writeEthernetIpv4Header(ArpFlyweight.OPERATION_REQUEST)
                .senderHardwareAddress(0x0609_ad9a_564fL).senderProtocolAddress(0xc0a8_4d64)
                .targetHardwareAddress(0).targetProtocolAddress(0xc0a8_4d64);
        assertThat(arp.isEthernetIpv4()).isTrue();
        assertThat(arp.isGratuitous()).isTrue();
        assertThat(packet.toArray(NetworkOrder.BYTE)).isEqualTo(Frames.bytes(
                0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
                0x06, 0x09, 0xad, 0x9a, 0x56, 0x4f, 0xc0, 0xa8, 0x4d, 0x64,
                0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0xa8, 0x4d, 0x64));
    }

    @Test
    void ipv4HeaderWrittenFromScratchVerifies() {
        MemorySegment header = MemorySegment.ofArray(new byte[20]);
        Ipv4Flyweight ip = new Ipv4Flyweight().wrap(header, 0)
                .versionAndIhl(5).tos(0xb8).totalLength(40).identification(0x1c46)
                .flagsAndFragmentOffset(Ipv4Flyweight.FLAG_DONT_FRAGMENT).ttl(64).protocol(Ipv4Flyweight.PROTOCOL_VRRP)
                .sourceAddress(0xac10_0a63).destinationAddress(0xe000_0012)
                .updateHeaderChecksum();
        assertThat(ip.isHeaderChecksumValid()).isTrue();
        assertThat(ip.dscp()).isEqualTo(46);
        assertThat(ip.ecn()).isZero();
        assertThat(ip.payloadLength()).isEqualTo(20);
        ip.rewriteDestinationAddress(0xe000_0013).rewriteSourceAddress(0x0a00_0001).rewriteTtl(255);
        assertThat(ip.isHeaderChecksumValid()).isTrue();
    }

    @Test
    void tcpOptionIterationStopsAtMalformedOptions() {
        byte[] syn = CapturedFrames.TCP_SYN;
        int tcp = 14 + 20;
        TcpFlyweight flyweight = new TcpFlyweight();

        byte[] zeroLength = syn.clone();
        zeroLength[tcp + 21] = 0;                            // MSS length 0
        flyweight.wrap(MemorySegment.ofArray(zeroLength), tcp);
        assertThat(flyweight.firstOption()).isEqualTo(TcpFlyweight.OPTIONS_MALFORMED);
        assertThat(flyweight.maximumSegmentSize()).isEqualTo(-1);

        byte[] pastHeader = syn.clone();
        pastHeader[tcp + 38] = 4;                            // window scale claims 4 bytes, 3 remain
        flyweight.wrap(MemorySegment.ofArray(pastHeader), tcp);
        long option = flyweight.firstOption();
        int seen = 0;
        while (option >= 0) {
            seen++;
            option = flyweight.nextOption(option);
        }
        assertThat(seen).isEqualTo(4);
        assertThat(option).isEqualTo(TcpFlyweight.OPTIONS_MALFORMED);
        assertThat(flyweight.findOption(TcpFlyweight.OPTION_SACK)).isEqualTo(TcpFlyweight.OPTIONS_MALFORMED);

        byte[] endOfList = syn.clone();
        endOfList[tcp + 24] = TcpFlyweight.OPTION_END;      // End of Option List right after MSS
        flyweight.wrap(MemorySegment.ofArray(endOfList), tcp);
        assertThat(flyweight.findOption(TcpFlyweight.OPTION_WINDOW_SCALE)).isEqualTo(TcpFlyweight.OPTIONS_END);
        assertThat(flyweight.maximumSegmentSize()).isEqualTo(1460);

        byte[] lengthByteMissing = syn.clone();
        lengthByteMissing[tcp + 36] = TcpFlyweight.OPTION_NOP;
        lengthByteMissing[tcp + 37] = TcpFlyweight.OPTION_NOP;
        lengthByteMissing[tcp + 38] = TcpFlyweight.OPTION_NOP;
        lengthByteMissing[tcp + 39] = TcpFlyweight.OPTION_MSS;   // kind in the header's last byte, no length octet
        flyweight.wrap(MemorySegment.ofArray(lengthByteMissing), tcp);
        assertThat(flyweight.findOption(TcpFlyweight.OPTION_WINDOW_SCALE)).isEqualTo(TcpFlyweight.OPTIONS_MALFORMED);
    }

    @Test
    void tcpWithoutOptionsHasFortyBytesOfRoom() {
        MemorySegment header = MemorySegment.ofArray(new byte[20]);
        TcpFlyweight tcp = new TcpFlyweight().wrap(header, 0).dataOffset(5).flags(TcpFlyweight.SYN | TcpFlyweight.ECE | TcpFlyweight.CWR);
        assertThat(tcp.optionSpaceRemaining()).isEqualTo(40);
        assertThat(tcp.firstOption()).isEqualTo(TcpFlyweight.OPTIONS_END);
        assertThat(tcp.hasFlags(TcpFlyweight.ECE | TcpFlyweight.CWR)).isTrue();
        assertThat(tcp.hasFlags(TcpFlyweight.ACK)).isFalse();
    }

    @Test
    void ipv6AddressesAsLongsAndCopies() {
        MemorySegment frame = Frames.segment(CapturedFrames.UDP_IPV6);
        Ipv6Flyweight ip = new Ipv6Flyweight().wrap(frame, 14);
        ip.sourceAddress(0x2001_0db8_0000_0000L, 0x0000_0000_0000_00ffL).hopLimit(3).versionClassFlow(0xb8, 0x12345);
        assertThat(ip.sourceAddressHigh()).isEqualTo(0x2001_0db8_0000_0000L);
        assertThat(ip.sourceAddressLow()).isEqualTo(0xffL);
        assertThat(ip.version()).isEqualTo(6);
        assertThat(ip.trafficClass()).isEqualTo(0xb8);
        assertThat(ip.flowLabel()).isEqualTo(0x12345);
        assertThat(ip.hopLimit()).isEqualTo(3);
        MemorySegment copy = MemorySegment.ofArray(new byte[16]);
        ip.copySourceAddress(copy, 0);
        assertThat(copy.toArray(NetworkOrder.BYTE)).isEqualTo(Frames.bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff));
        byte[] destination = new byte[20];
        ip.copyDestinationAddress(destination, 4);
        assertThat(destination[4]).isEqualTo((byte) 0xfd);
        assertThat(destination[19]).isEqualTo((byte) 0x02);
        MemorySegment.copy(copy, 0, frame, 14 + Ipv6Flyweight.DESTINATION_ADDRESS_OFFSET, 16);
        assertThat(ip.destinationAddressHigh()).isEqualTo(0x2001_0db8_0000_0000L);
    }

    @Test
    void icmpEchoIdentifierRewriteKeepsTheChecksum() {
        MemorySegment message = MemorySegment.ofArray(new byte[64]);
        Icmpv4Flyweight icmp = new Icmpv4Flyweight().wrap(message, 0)
                .type(Icmpv4Flyweight.TYPE_ECHO).code(0).identifier(0x1234).sequenceNumber(7);
        for (int i = 8; i < 64; i++) {
            message.set(NetworkOrder.BYTE, i, (byte) i);
        }
        icmp.updateChecksum(64);
        assertThat(icmp.isEcho()).isTrue();
        assertThat(icmp.isError()).isFalse();
        icmp.rewriteIdentifier(0xbeef);
        assertThat(icmp.identifier()).isEqualTo(0xbeef);
        assertThat(icmp.sequenceNumber()).isEqualTo(7);
        assertThat(icmp.isChecksumValid(64)).isTrue();
        assertThat(icmp.checksum()).isEqualTo(icmp.computeChecksum(64));
    }

    @Test
    void icmpFragmentationNeededCarriesTheNextHopMtu() {
        MemorySegment message = MemorySegment.ofArray(new byte[36]);
        Icmpv4Flyweight icmp = new Icmpv4Flyweight().wrap(message, 0)
                .type(Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE).code(Icmpv4Flyweight.CODE_FRAGMENTATION_NEEDED);
        NetworkOrder.putShort(message, Icmpv4Flyweight.NEXT_HOP_MTU_OFFSET, 1400);
        assertThat(icmp.isError()).isTrue();
        assertThat(icmp.nextHopMtu()).isEqualTo(1400);
        assertThat(icmp.originalDatagramOffset()).isEqualTo(8);
    }

    @Test
    void icmpv6PacketTooBig() {
        MemorySegment message = MemorySegment.ofArray(new byte[48]);
        Icmpv6Flyweight icmp = new Icmpv6Flyweight().wrap(message, 0).type(Icmpv6Flyweight.TYPE_PACKET_TOO_BIG).code(0);
        NetworkOrder.putInt(message, Icmpv6Flyweight.PARAMETER_OFFSET, 1280);
        assertThat(icmp.isError()).isTrue();
        assertThat(icmp.isEcho()).isFalse();
        assertThat(icmp.parameter()).isEqualTo(1280);
        assertThat(icmp.invokingPacketOffset()).isEqualTo(8);
        icmp.type(Icmpv6Flyweight.TYPE_ECHO_REQUEST).identifier(9).sequenceNumber(10);
        assertThat(icmp.isEcho()).isTrue();
        assertThat(icmp.identifier()).isEqualTo(9);
        assertThat(icmp.sequenceNumber()).isEqualTo(10);
    }
}
