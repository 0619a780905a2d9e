package io.tandem.core.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The flyweights and the parser on real frames ({@link CapturedFrames}); every checksum in them must verify. */
class CapturedPacketsTest {
    private final PacketParser parser = new PacketParser(ChecksumPolicy.ALL);
    private final ParsedPacket packet = new ParsedPacket();

    private ParseResult parse(byte[] frame) {
        return parser.parse(Frames.segment(frame), 0, frame.length, packet);
    }

    @Test
    void framesAreTheOnesInTheCapture() throws IOException {
        List<byte[]> captured = readPcap("captured.pcap");
        assertThat(captured.get(5)).isEqualTo(CapturedFrames.ARP_REQUEST);
        assertThat(captured.get(7)).isEqualTo(CapturedFrames.TCP_SYN);
        assertThat(captured.get(10)).isEqualTo(CapturedFrames.TCP_DATA);
        assertThat(captured.get(19)).isEqualTo(CapturedFrames.UDP_IPV4);
        assertThat(captured.get(20)).isEqualTo(CapturedFrames.ICMP_PORT_UNREACHABLE);
        assertThat(captured.get(22)).isEqualTo(CapturedFrames.ICMPV6_NEIGHBOR_ADVERTISEMENT);
        assertThat(captured.get(23)).isEqualTo(CapturedFrames.UDP_IPV6);
        assertThat(captured.get(15)).isEqualTo(CapturedFrames.MLDV2_REPORT_WITH_HOP_BY_HOP);
    }

    @Test
    void everyCapturedFrameParsesWithAllChecksumsVerified() throws IOException {
        for (byte[] frame : readPcap("captured.pcap")) {
            assertThat(parse(frame)).as("frame %s", Arrays.toString(frame)).isEqualTo(ParseResult.OK);
        }
    }

    @Test
    void arpRequest() {
        assertThat(parse(CapturedFrames.ARP_REQUEST)).isEqualTo(ParseResult.OK);
        assertThat(packet.isArp()).isTrue();
        assertThat(packet.ipVersion()).isEqualTo(ParsedPacket.NO_IP);
        assertThat(packet.ethernet().destination()).isEqualTo(EthernetFlyweight.BROADCAST);
        assertThat(packet.ethernet().isGroupDestination()).isTrue();
        ArpFlyweight arp = packet.arp();
        assertThat(arp.operation()).isEqualTo(ArpFlyweight.OPERATION_REQUEST);
        assertThat(arp.senderHardwareAddress()).isEqualTo(0xba2e_9602_4e43L);
        assertThat(arp.senderProtocolAddress()).isEqualTo(0xc0a8_4d01);
        assertThat(arp.targetHardwareAddress()).isZero();
        assertThat(arp.targetProtocolAddress()).isEqualTo(0xc0a8_4d02);
        assertThat(arp.isGratuitous()).isFalse();
    }

    @Test
    void tcpSyn() {
        assertThat(parse(CapturedFrames.TCP_SYN)).isEqualTo(ParseResult.OK);
        EthernetFlyweight ethernet = packet.ethernet();
        assertThat(ethernet.destination()).isEqualTo(0x0609_ad9a_564fL);
        assertThat(ethernet.source()).isEqualTo(0xba2e_9602_4e43L);
        assertThat(ethernet.tagCount()).isZero();
        assertThat(ethernet.etherType()).isEqualTo(EthernetFlyweight.ETHERTYPE_IPV4);
        assertThat(ethernet.isGroupDestination()).isFalse();

        Ipv4Flyweight ip = packet.ipv4();
        assertThat(packet.networkOffset()).isEqualTo(14);
        assertThat(ip.version()).isEqualTo(4);
        assertThat(ip.ihl()).isEqualTo(5);
        assertThat(ip.optionsLength()).isZero();
        assertThat(ip.totalLength()).isEqualTo(60);
        assertThat(ip.identification()).isEqualTo(0xe617);
        assertThat(ip.dontFragment()).isTrue();
        assertThat(ip.moreFragments()).isFalse();
        assertThat(ip.isFragment()).isFalse();
        assertThat(ip.ttl()).isEqualTo(64);
        assertThat(ip.protocol()).isEqualTo(Ipv4Flyweight.PROTOCOL_TCP);
        assertThat(ip.headerChecksum()).isEqualTo(0x3950).isEqualTo(ip.computeHeaderChecksum());
        assertThat(ip.isHeaderChecksumValid()).isTrue();
        assertThat(ip.sourceAddress()).isEqualTo(0xc0a8_4d01);
        assertThat(ip.destinationAddress()).isEqualTo(0xc0a8_4d02);

        TcpFlyweight tcp = packet.tcp();
        assertThat(packet.transportOffset()).isEqualTo(34);
        assertThat(packet.transportLength()).isEqualTo(40);
        assertThat(tcp.sourcePort()).isEqualTo(60116);
        assertThat(tcp.destinationPort()).isEqualTo(8080);
        assertThat(Integer.toUnsignedLong(tcp.sequenceNumber())).isEqualTo(3205215922L);
        assertThat(tcp.acknowledgmentNumber()).isZero();
        assertThat(tcp.dataOffset()).isEqualTo(10);
        assertThat(tcp.flags()).isEqualTo(TcpFlyweight.SYN);
        assertThat(tcp.hasFlags(TcpFlyweight.SYN | TcpFlyweight.ACK)).isFalse();
        assertThat(tcp.window()).isEqualTo(64240);
        assertThat(tcp.checksum()).isEqualTo(0x0a72).isEqualTo(tcp.computeChecksum(packet.pseudoHeaderSum(), 40));
        assertThat(tcp.maximumSegmentSize()).isEqualTo(1460);
        assertThat(tcp.optionSpaceRemaining()).isEqualTo(20);
        assertThat(tcp.payloadOffset()).isEqualTo(74);

        int[] kinds = new int[8];
        int count = 0;
        for (long option = tcp.firstOption(); option >= 0; option = tcp.nextOption(option)) {
            kinds[count++] = tcp.optionKind(option);
        }
        assertThat(Arrays.copyOf(kinds, count)).containsExactly(
                TcpFlyweight.OPTION_MSS, TcpFlyweight.OPTION_SACK_PERMITTED, TcpFlyweight.OPTION_TIMESTAMPS,
                TcpFlyweight.OPTION_NOP, TcpFlyweight.OPTION_WINDOW_SCALE);
        long windowScale = tcp.findOption(TcpFlyweight.OPTION_WINDOW_SCALE);
        assertThat(tcp.optionLength(windowScale)).isEqualTo(3);
        assertThat(packet.segment().get(NetworkOrder.BYTE, windowScale + 2)).isEqualTo((byte) 10);
        assertThat(tcp.findOption(TcpFlyweight.OPTION_SACK)).isEqualTo(TcpFlyweight.OPTIONS_END);
    }

    @Test
    void tcpData() {
        assertThat(parse(CapturedFrames.TCP_DATA)).isEqualTo(ParseResult.OK);
        TcpFlyweight tcp = packet.tcp();
        assertThat(tcp.flags()).isEqualTo(TcpFlyweight.PSH | TcpFlyweight.ACK);
        assertThat(tcp.acknowledgmentNumber()).isEqualTo(0x366535ae);
        assertThat(tcp.headerLength()).isEqualTo(32);
        assertThat(tcp.maximumSegmentSize()).isEqualTo(-1);
        assertThat(packet.transportLength() - tcp.headerLength()).isEqualTo(18);
        byte[] payload = new byte[18];
        MemorySegment.copy(packet.segment(), NetworkOrder.BYTE, tcp.payloadOffset(), payload, 0, 18);
        assertThat(new String(payload, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("GET / HTTP/1.0\r\n\r\n");
        assertThat(tcp.isChecksumValid(packet.pseudoHeaderSum(), packet.transportLength())).isTrue();
        assertThat(tcp.computeChecksum(packet.pseudoHeaderSum(), packet.transportLength())).isEqualTo(0xb4ad);
    }

    @Test
    void udpOverIpv4AlsoWithEthernetPadding() {
        assertThat(parse(CapturedFrames.UDP_IPV4)).isEqualTo(ParseResult.OK);
        UdpFlyweight udp = packet.udp();
        assertThat(udp.sourcePort()).isEqualTo(40903);
        assertThat(udp.destinationPort()).isEqualTo(5300);
        assertThat(udp.length()).isEqualTo(14);
        assertThat(udp.payloadLength()).isEqualTo(6);
        assertThat(udp.checksum()).isEqualTo(0xe7ce).isEqualTo(udp.computeChecksum(packet.pseudoHeaderSum(), 14));
        assertThat(packet.sourcePort()).isEqualTo(40903);
        assertThat(packet.destinationPort()).isEqualTo(5300);

        // on the wire the 48-byte frame is padded to the 60-byte minimum; the padding is not payload
        byte[] padded = Arrays.copyOf(CapturedFrames.UDP_IPV4, 60);
        assertThat(parse(padded)).isEqualTo(ParseResult.OK);
        assertThat(packet.transportLength()).isEqualTo(14);
    }

    @Test
    void icmpPortUnreachableQuotesTheOriginalHeaderAndPorts() {
        assertThat(parse(CapturedFrames.ICMP_PORT_UNREACHABLE)).isEqualTo(ParseResult.OK);
        assertThat(packet.ipv4().dscp()).isEqualTo(48);
        Icmpv4Flyweight icmp = packet.icmpv4();
        assertThat(icmp.type()).isEqualTo(Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE);
        assertThat(icmp.code()).isEqualTo(3);
        assertThat(icmp.isError()).isTrue();
        assertThat(icmp.isEcho()).isFalse();
        assertThat(icmp.checksum()).isEqualTo(0x1871).isEqualTo(icmp.computeChecksum(packet.transportLength()));

        Ipv4Flyweight original = new Ipv4Flyweight().wrap(packet.segment(), icmp.originalDatagramOffset());
        assertThat(original.version()).isEqualTo(4);
        assertThat(original.isHeaderChecksumValid()).isTrue();
        assertThat(original.protocol()).isEqualTo(Ipv4Flyweight.PROTOCOL_UDP);
        assertThat(original.sourceAddress()).isEqualTo(0xc0a8_4d01);
        assertThat(original.destinationAddress()).isEqualTo(0xc0a8_4d02);
        UdpFlyweight originalUdp = new UdpFlyweight().wrap(packet.segment(), original.payloadOffset());
        assertThat(originalUdp.sourcePort()).isEqualTo(40903);
        assertThat(originalUdp.destinationPort()).isEqualTo(5300);
    }

    @Test
    void udpOverIpv6() {
        assertThat(parse(CapturedFrames.UDP_IPV6)).isEqualTo(ParseResult.OK);
        Ipv6Flyweight ip = packet.ipv6();
        assertThat(ip.version()).isEqualTo(6);
        assertThat(ip.trafficClass()).isZero();
        assertThat(ip.flowLabel()).isEqualTo(0xfe956);
        assertThat(ip.payloadLength()).isEqualTo(15);
        assertThat(ip.nextHeader()).isEqualTo(Ipv4Flyweight.PROTOCOL_UDP);
        assertThat(ip.hopLimit()).isEqualTo(64);
        assertThat(ip.sourceAddressHigh()).isEqualTo(0xfd00_0077_0000_0000L);
        assertThat(ip.sourceAddressLow()).isEqualTo(1L);
        assertThat(ip.destinationAddressHigh()).isEqualTo(0xfd00_0077_0000_0000L);
        assertThat(ip.destinationAddressLow()).isEqualTo(2L);
        byte[] address = new byte[16];
        ip.copyDestinationAddress(address, 0);
        assertThat(address).isEqualTo(Frames.bytes(0xfd, 0, 0, 0x77, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2));
        assertThat(ip.isFragment()).isFalse();
        assertThat(packet.transportOffset()).isEqualTo(54);
        UdpFlyweight udp = packet.udp();
        assertThat(udp.sourcePort()).isEqualTo(49446);
        assertThat(udp.destinationPort()).isEqualTo(5353);
        assertThat(udp.checksum()).isEqualTo(0xb09a).isEqualTo(udp.computeChecksum(packet.pseudoHeaderSum(), 15));
    }

    @Test
    void icmpv6NeighborAdvertisement() {
        assertThat(parse(CapturedFrames.ICMPV6_NEIGHBOR_ADVERTISEMENT)).isEqualTo(ParseResult.OK);
        assertThat(packet.ipv6().hopLimit()).isEqualTo(255);
        Icmpv6Flyweight icmp = packet.icmpv6();
        assertThat(icmp.type()).isEqualTo(Icmpv6Flyweight.TYPE_NEIGHBOR_ADVERTISEMENT);
        assertThat(icmp.code()).isZero();
        assertThat(icmp.isError()).isFalse();
        assertThat(icmp.checksum()).isEqualTo(0x1344)
                .isEqualTo(icmp.computeChecksum(packet.pseudoHeaderSum(), packet.transportLength()));
    }

    @Test
    void hopByHopHeaderIsSkippedToReachIcmpv6() {
        assertThat(parse(CapturedFrames.MLDV2_REPORT_WITH_HOP_BY_HOP)).isEqualTo(ParseResult.OK);
        Ipv6Flyweight ip = packet.ipv6();
        assertThat(ip.nextHeader()).isEqualTo(Ipv6Flyweight.HOP_BY_HOP);
        assertThat(ip.upperLayerProtocol()).isEqualTo(Icmpv6Flyweight.NEXT_HEADER);
        assertThat(packet.protocol()).isEqualTo(Icmpv6Flyweight.NEXT_HEADER);
        assertThat(packet.transportOffset()).isEqualTo(14 + 40 + 8);
        assertThat(packet.transportLength()).isEqualTo(48);
        assertThat(packet.icmpv6().type()).isEqualTo(143);
        assertThat(packet.icmpv6().checksum()).isEqualTo(0x8534);
    }

    @Test
    void vlanTaggedFramesGiveTheInnerEtherTypeAndL3Offset() {
        byte[] single = Frames.withTag(CapturedFrames.TCP_DATA, EthernetFlyweight.TPID_8021Q, 0xA00A);
        assertThat(parse(single)).isEqualTo(ParseResult.OK);
        EthernetFlyweight ethernet = packet.ethernet();
        assertThat(ethernet.tagCount()).isEqualTo(1);
        assertThat(ethernet.vlanId(0)).isEqualTo(10);
        assertThat(ethernet.priority(0)).isEqualTo(5);
        assertThat(ethernet.etherType()).isEqualTo(EthernetFlyweight.ETHERTYPE_IPV4);
        assertThat(ethernet.payloadOffset()).isEqualTo(18);
        assertThat(packet.tcp().destinationPort()).isEqualTo(8080);

        byte[] qinq = Frames.withTag(single, EthernetFlyweight.TPID_8021AD, 0x0064);
        assertThat(parse(qinq)).isEqualTo(ParseResult.OK);
        assertThat(ethernet.tagCount()).isEqualTo(2);
        assertThat(ethernet.tagProtocolId(0)).isEqualTo(EthernetFlyweight.TPID_8021AD);
        assertThat(ethernet.vlanId(0)).isEqualTo(100);
        assertThat(ethernet.tagProtocolId(1)).isEqualTo(EthernetFlyweight.TPID_8021Q);
        assertThat(ethernet.vlanId(1)).isEqualTo(10);
        assertThat(ethernet.payloadOffset()).isEqualTo(22);
        assertThat(packet.networkOffset()).isEqualTo(22);
        assertThat(packet.ipv4().sourceAddress()).isEqualTo(0xc0a8_4d01);

        byte[] tripleTagged = Frames.withTag(qinq, EthernetFlyweight.TPID_8021Q, 1);
        assertThat(parse(tripleTagged)).isEqualTo(ParseResult.TOO_MANY_VLAN_TAGS);
    }

    /** Frames of a classic little-endian, microsecond pcap file (as tcpdump -w writes it). */
    private static List<byte[]> readPcap(String resource) throws IOException {
        byte[] file;
        try (InputStream in = CapturedPacketsTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            file = in.readAllBytes();
        }
        ByteBuffer buffer = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(buffer.getInt(0)).isEqualTo(0xa1b2c3d4);
        List<byte[]> frames = new ArrayList<>();
        int position = 24;
        while (position + 16 <= file.length) {
            int capturedLength = buffer.getInt(position + 8);
            frames.add(Arrays.copyOfRange(file, position + 16, position + 16 + capturedLength));
            position += 16 + capturedLength;
        }
        return frames;
    }
}
