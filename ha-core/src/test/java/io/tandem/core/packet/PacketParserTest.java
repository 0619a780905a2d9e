package io.tandem.core.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Each reason code, from a captured frame with one field made wrong. */
class PacketParserTest {
    private static final int L3 = EthernetFlyweight.HEADER_LENGTH;

    private final ParsedPacket packet = new ParsedPacket();

    private ParseResult parse(byte[] frame) {
        return parse(frame, ChecksumPolicy.ALL);
    }

    private ParseResult parse(byte[] frame, ChecksumPolicy policy) {
        MemorySegment exact = MemorySegment.ofArray(frame);
        return new PacketParser(policy).parse(exact, 0, frame.length, packet);
    }

    /** A copy of {@code frame} with byte {@code at} set to {@code value}. */
    private static byte[] with(byte[] frame, int at, int value) {
        byte[] copy = frame.clone();
        copy[at] = (byte) value;
        return copy;
    }

    /** Recomputes the IPv4 header checksum of a frame at L3, so that only the intended field is wrong. */
    private static byte[] fixIpv4Checksum(byte[] frame) {
        new Ipv4Flyweight().wrap(MemorySegment.ofArray(frame), L3).updateHeaderChecksum();
        return frame;
    }

    @Test
    void ethernetLayer() {
        assertThat(parse(new byte[0])).isEqualTo(ParseResult.TRUNCATED_ETHERNET);
        assertThat(parse(Arrays.copyOf(CapturedFrames.TCP_SYN, 13))).isEqualTo(ParseResult.TRUNCATED_ETHERNET);
        byte[] tagged = Frames.withTag(CapturedFrames.TCP_SYN, EthernetFlyweight.TPID_8021Q, 7);
        assertThat(parse(Arrays.copyOf(tagged, 17))).isEqualTo(ParseResult.TRUNCATED_ETHERNET);
        assertThat(parse(Arrays.copyOf(tagged, 18))).isEqualTo(ParseResult.TRUNCATED_IPV4);
        byte[] threeTags = Frames.withTag(Frames.withTag(tagged, EthernetFlyweight.TPID_8021Q, 8), EthernetFlyweight.TPID_QINQ_LEGACY, 9);
        assertThat(parse(threeTags)).isEqualTo(ParseResult.TOO_MANY_VLAN_TAGS);
        byte[] lldp = with(with(CapturedFrames.TCP_SYN, 12, 0x88), 13, 0xcc);
        assertThat(parse(lldp)).isEqualTo(ParseResult.UNSUPPORTED_ETHERTYPE);
        assertThat(packet.etherType()).isEqualTo(0x88cc);
    }

    @Test
    void arpLayer() {
        assertThat(parse(Arrays.copyOf(CapturedFrames.ARP_REQUEST, 41))).isEqualTo(ParseResult.TRUNCATED_ARP);
        assertThat(parse(with(CapturedFrames.ARP_REQUEST, L3 + 1, 6))).isEqualTo(ParseResult.UNSUPPORTED_ARP);     // htype IEEE 802
        assertThat(parse(with(CapturedFrames.ARP_REQUEST, L3 + 5, 16))).isEqualTo(ParseResult.UNSUPPORTED_ARP);    // plen 16
        assertThat(parse(Arrays.copyOf(CapturedFrames.ARP_REQUEST, 60))).isEqualTo(ParseResult.OK);              // padded
    }

    @Test
    void ipv4Layer() {
        byte[] frame = CapturedFrames.TCP_SYN;
        assertThat(parse(Arrays.copyOf(frame, L3 + 19))).isEqualTo(ParseResult.TRUNCATED_IPV4);
        assertThat(parse(fixIpv4Checksum(with(frame, L3, 0x55)))).isEqualTo(ParseResult.BAD_IPV4_VERSION);
        assertThat(parse(fixIpv4Checksum(with(frame, L3, 0x44)))).isEqualTo(ParseResult.BAD_IHL);
        assertThat(parse(Arrays.copyOf(frame, L3 + 20))).as("IHL 6 needs 24 bytes").isEqualTo(ParseResult.TRUNCATED_IPV4);
        assertThat(parse(fixIpv4Checksum(with(frame, L3 + 3, 19)))).isEqualTo(ParseResult.BAD_IPV4_TOTAL_LENGTH);
        assertThat(parse(fixIpv4Checksum(with(frame, L3 + 3, 61)))).as("total length past the frame").isEqualTo(ParseResult.TRUNCATED_IPV4);
        byte[] badChecksum = with(frame, L3 + 11, 0x51);
        assertThat(parse(badChecksum)).isEqualTo(ParseResult.BAD_IPV4_CHECKSUM);
        assertThat(parse(badChecksum, ChecksumPolicy.IPV4_HEADER)).isEqualTo(ParseResult.BAD_IPV4_CHECKSUM);
        assertThat(parse(badChecksum, ChecksumPolicy.NONE)).isEqualTo(ParseResult.OK);
    }

    @Test
    void ipv4OptionsAreSkipped() {
        // the SYN's IP header grown by one 4-byte option (NOP, NOP, NOP, End)
        byte[] syn = CapturedFrames.TCP_SYN;
        byte[] frame = Frames.concat(Arrays.copyOf(syn, L3 + 20), Frames.bytes(1, 1, 1, 0), Arrays.copyOfRange(syn, L3 + 20, syn.length));
        frame[L3] = 0x46;
        frame[L3 + 3] = 64;
        fixIpv4Checksum(frame);
        assertThat(parse(frame)).isEqualTo(ParseResult.OK);
        assertThat(packet.ipv4().optionsLength()).isEqualTo(4);
        assertThat(packet.transportOffset()).isEqualTo(L3 + 24);
        assertThat(packet.tcp().destinationPort()).isEqualTo(8080);
    }

    @Test
    void ipv4Fragments() {
        byte[] moreFragments = fixIpv4Checksum(with(CapturedFrames.UDP_IPV4, L3 + 6, 0x20));     // MF, offset 0
        assertThat(parse(moreFragments)).isEqualTo(ParseResult.FRAGMENT);
        assertThat(packet.ipv4().isFragment()).isTrue();
        assertThat(packet.ipv4().fragmentOffset()).isZero();
        assertThat(packet.networkOffset()).as("L3 stays readable").isEqualTo(L3);
        assertThat(packet.protocol()).isEqualTo(Ipv4Flyweight.PROTOCOL_UDP);
        byte[] lastFragment = fixIpv4Checksum(with(with(CapturedFrames.UDP_IPV4, L3 + 6, 0x00), L3 + 7, 0xb9));  // offset 185
        assertThat(parse(lastFragment)).isEqualTo(ParseResult.FRAGMENT);
        assertThat(packet.ipv4().fragmentOffset()).isEqualTo(185);
        assertThat(packet.ipv4().moreFragments()).isFalse();
    }

    @Test
    void ipv6Layer() {
        byte[] frame = CapturedFrames.UDP_IPV6;
        assertThat(parse(Arrays.copyOf(frame, L3 + 39))).isEqualTo(ParseResult.TRUNCATED_IPV6);
        assertThat(parse(with(frame, L3, 0x40))).isEqualTo(ParseResult.BAD_IPV6_VERSION);
        assertThat(parse(Arrays.copyOf(frame, frame.length - 1))).isEqualTo(ParseResult.TRUNCATED_IPV6);
        assertThat(parse(with(frame, L3 + 6, Ipv6Flyweight.ESP))).isEqualTo(ParseResult.UNSUPPORTED_PROTOCOL);
        // MLD's hop-by-hop header grown over the whole 56-byte payload, then past it
        byte[] mld = CapturedFrames.MLDV2_REPORT_WITH_HOP_BY_HOP;
        assertThat(parse(with(mld, L3 + 41, 6))).as("hop-by-hop of 56 bytes").isEqualTo(ParseResult.TRUNCATED_ICMP);
        assertThat(parse(with(mld, L3 + 41, 7))).as("hop-by-hop of 64 bytes").isEqualTo(ParseResult.TRUNCATED_IPV6_EXTENSION);
    }

    @Test
    void ipv6ExtensionChains() {
        // UDP_IPV6 behind Hop-by-Hop, Routing (type 4, 0 segments left), Destination Options and a fragment header
        byte[] original = CapturedFrames.UDP_IPV6;
        byte[] udp = Arrays.copyOfRange(original, L3 + 40, original.length);
        byte[] extensions = Frames.bytes(
                Ipv6Flyweight.ROUTING, 0, 1, 4, 0, 0, 0, 0,                        // hop-by-hop, 8 bytes, PadN
                Ipv6Flyweight.DESTINATION_OPTIONS, 0, 4, 0, 0, 0, 0, 0,            // routing, 8 bytes
                Ipv6Flyweight.FRAGMENT, 1, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  // destination options, 16 bytes
                Ipv4Flyweight.PROTOCOL_UDP, 0, 0x00, 0x00, 0x12, 0x34, 0x56, 0x78); // fragment: offset 0, M 0 (atomic)
        byte[] frame = Frames.concat(Arrays.copyOf(original, L3 + 40), extensions, udp);
        frame[L3 + 5] = (byte) (extensions.length + udp.length);
        frame[L3 + 6] = Ipv6Flyweight.HOP_BY_HOP;
        assertThat(parse(frame)).as("atomic fragment is a whole packet").isEqualTo(ParseResult.OK);
        Ipv6Flyweight ip = packet.ipv6();
        assertThat(ip.upperLayerProtocol()).isEqualTo(Ipv4Flyweight.PROTOCOL_UDP);
        assertThat(ip.fragmentHeaderOffset()).isEqualTo(L3 + 40 + 32);
        assertThat(ip.isFragment()).isFalse();
        assertThat(packet.transportOffset()).isEqualTo(L3 + 40 + extensions.length);
        assertThat(packet.udp().destinationPort()).isEqualTo(5353);
        assertThat(packet.udp().isChecksumValid(packet.pseudoHeaderSum(), packet.transportLength())).isTrue();

        int fragment = L3 + 40 + 32;
        byte[] firstFragment = with(frame, fragment + 3, 0x01);                 // M set, offset 0
        assertThat(parse(firstFragment)).isEqualTo(ParseResult.FRAGMENT);
        assertThat(packet.protocol()).isEqualTo(Ipv4Flyweight.PROTOCOL_UDP);
        byte[] laterFragment = with(frame, fragment + 2, 0x01);                 // offset 32 (x 8 bytes)
        assertThat(parse(laterFragment)).isEqualTo(ParseResult.FRAGMENT);
        assertThat(packet.ipv6().isFragment()).isTrue();

        byte[] truncatedChain = Arrays.copyOf(frame, L3 + 40 + 20);
        truncatedChain[L3 + 5] = 20;
        assertThat(parse(truncatedChain)).isEqualTo(ParseResult.TRUNCATED_IPV6_EXTENSION);
    }

    @Test
    void ipv6ExtensionChainIsBounded() {
        byte[] original = CapturedFrames.UDP_IPV6;
        byte[] udp = Arrays.copyOfRange(original, L3 + 40, original.length);
        int headers = Ipv6Flyweight.MAX_EXTENSION_HEADERS + 1;
        byte[] chain = new byte[headers * 8];
        for (int i = 0; i < headers; i++) {
            chain[i * 8] = (byte) (i == headers - 1 ? Ipv4Flyweight.PROTOCOL_UDP : Ipv6Flyweight.DESTINATION_OPTIONS);
        }
        byte[] frame = Frames.concat(Arrays.copyOf(original, L3 + 40), chain, udp);
        frame[L3 + 4] = (byte) ((chain.length + udp.length) >>> 8);
        frame[L3 + 5] = (byte) (chain.length + udp.length);
        frame[L3 + 6] = Ipv6Flyweight.DESTINATION_OPTIONS;
        assertThat(parse(frame)).isEqualTo(ParseResult.TOO_MANY_IPV6_EXTENSIONS);
    }

    @Test
    void authenticationHeaderLengthIsInFourOctetUnits() {
        byte[] original = CapturedFrames.UDP_IPV6;
        byte[] udp = Arrays.copyOfRange(original, L3 + 40, original.length);
        byte[] ah = new byte[24];                          // Payload Len 4: (4 + 2) * 4 = 24 bytes (RFC 4302 §2.2)
        ah[0] = Ipv4Flyweight.PROTOCOL_UDP;
        ah[1] = 4;
        byte[] frame = Frames.concat(Arrays.copyOf(original, L3 + 40), ah, udp);
        frame[L3 + 5] = (byte) (ah.length + udp.length);
        frame[L3 + 6] = Ipv6Flyweight.AUTHENTICATION;
        assertThat(parse(frame)).isEqualTo(ParseResult.OK);
        assertThat(packet.transportOffset()).isEqualTo(L3 + 40 + 24);
    }

    @Test
    void transportProtocols() {
        assertThat(parse(fixIpv4Checksum(with(CapturedFrames.TCP_SYN, L3 + 9, Ipv4Flyweight.PROTOCOL_VRRP))))
                .isEqualTo(ParseResult.UNSUPPORTED_PROTOCOL);
        assertThat(packet.protocol()).isEqualTo(Ipv4Flyweight.PROTOCOL_VRRP);
        assertThat(packet.ipv4().sourceAddress()).as("L3 stays readable").isEqualTo(0xc0a8_4d01);
        assertThat(parse(fixIpv4Checksum(with(CapturedFrames.TCP_SYN, L3 + 9, Icmpv6Flyweight.NEXT_HEADER))))
                .as("ICMPv6 over IPv4").isEqualTo(ParseResult.UNSUPPORTED_PROTOCOL);
        assertThat(parse(with(CapturedFrames.UDP_IPV6, L3 + 6, Ipv4Flyweight.PROTOCOL_ICMP)))
                .as("ICMPv4 over IPv6").isEqualTo(ParseResult.UNSUPPORTED_PROTOCOL);
    }

    @Test
    void tcpLayer() {
        byte[] syn = CapturedFrames.TCP_SYN;
        int tcp = L3 + 20;
        byte[] shortTcp = fixIpv4Checksum(with(syn, L3 + 3, 20 + 19));
        assertThat(parse(shortTcp)).isEqualTo(ParseResult.TRUNCATED_TCP);
        assertThat(parse(with(syn, tcp + 12, 0x40))).isEqualTo(ParseResult.BAD_TCP_DATA_OFFSET);
        assertThat(parse(with(syn, tcp + 12, 0xb0))).as("data offset 11: 44 > 40 bytes").isEqualTo(ParseResult.TRUNCATED_TCP);
        byte[] badChecksum = with(syn, tcp + 17, 0x73);
        assertThat(parse(badChecksum)).isEqualTo(ParseResult.BAD_TCP_CHECKSUM);
        assertThat(parse(badChecksum, ChecksumPolicy.IPV4_HEADER)).isEqualTo(ParseResult.OK);
        byte[] badPayload = with(CapturedFrames.TCP_DATA, CapturedFrames.TCP_DATA.length - 1, 0x0b);
        assertThat(parse(badPayload)).isEqualTo(ParseResult.BAD_TCP_CHECKSUM);
    }

    @Test
    void udpLayer() {
        byte[] udp4 = CapturedFrames.UDP_IPV4;
        int udp = L3 + 20;
        assertThat(parse(fixIpv4Checksum(with(udp4, L3 + 3, 27)))).isEqualTo(ParseResult.TRUNCATED_UDP);
        assertThat(parse(with(udp4, udp + 5, 7))).isEqualTo(ParseResult.BAD_UDP_LENGTH);
        assertThat(parse(with(udp4, udp + 5, 15))).isEqualTo(ParseResult.BAD_UDP_LENGTH);
        assertThat(parse(with(udp4, udp + 7, 0xcf))).isEqualTo(ParseResult.BAD_UDP_CHECKSUM);
        assertThat(parse(with(udp4, udp + 7, 0xcf), ChecksumPolicy.IPV4_HEADER)).isEqualTo(ParseResult.OK);
        byte[] noChecksum = with(with(udp4, udp + 6, 0), udp + 7, 0);
        assertThat(parse(noChecksum)).as("IPv4: 0 means no checksum").isEqualTo(ParseResult.OK);

        int udp6 = L3 + 40;
        byte[] zeroOverIpv6 = with(with(CapturedFrames.UDP_IPV6, udp6 + 6, 0), udp6 + 7, 0);
        assertThat(parse(zeroOverIpv6)).as("IPv6: checksum mandatory").isEqualTo(ParseResult.BAD_UDP_CHECKSUM);
        assertThat(parse(with(CapturedFrames.UDP_IPV6, udp6 + 7, 0x9b))).isEqualTo(ParseResult.BAD_UDP_CHECKSUM);
        assertThat(parse(with(CapturedFrames.UDP_IPV6, udp6 + 5, 16))).isEqualTo(ParseResult.BAD_UDP_LENGTH);
    }

    @Test
    void icmpLayers() {
        byte[] icmp4 = CapturedFrames.ICMP_PORT_UNREACHABLE;
        assertThat(parse(fixIpv4Checksum(with(icmp4, L3 + 3, 27)))).isEqualTo(ParseResult.TRUNCATED_ICMP);
        assertThat(parse(with(icmp4, L3 + 20 + 1, 1))).isEqualTo(ParseResult.BAD_ICMP_CHECKSUM);
        byte[] icmp6 = CapturedFrames.ICMPV6_NEIGHBOR_ADVERTISEMENT;
        byte[] shortIcmp6 = with(Arrays.copyOf(icmp6, L3 + 40 + 7), L3 + 5, 7);
        assertThat(parse(shortIcmp6)).isEqualTo(ParseResult.TRUNCATED_ICMP);
        assertThat(parse(with(icmp6, L3 + 40 + 24, 0x09))).as("target address changed").isEqualTo(ParseResult.BAD_ICMP_CHECKSUM);
        byte[] otherSource = with(icmp6, L3 + 8 + 15, 3);
        assertThat(parse(otherSource)).as("pseudo-header covers the source").isEqualTo(ParseResult.BAD_ICMP_CHECKSUM);
        assertThat(parse(otherSource, ChecksumPolicy.IPV4_HEADER)).isEqualTo(ParseResult.OK);
    }

    @Test
    void bareIpPackets() {
        byte[] ip = Arrays.copyOfRange(CapturedFrames.TCP_DATA, L3, CapturedFrames.TCP_DATA.length);
        PacketParser parser = new PacketParser(ChecksumPolicy.ALL);
        assertThat(parser.parseIp(MemorySegment.ofArray(ip), 0, ip.length, packet)).isEqualTo(ParseResult.OK);
        assertThat(packet.tcp().destinationPort()).isEqualTo(8080);
        byte[] ip6 = Arrays.copyOfRange(CapturedFrames.UDP_IPV6, L3, CapturedFrames.UDP_IPV6.length);
        assertThat(parser.parseIp(MemorySegment.ofArray(ip6), 0, ip6.length, packet)).isEqualTo(ParseResult.OK);
        assertThat(packet.udp().destinationPort()).isEqualTo(5353);
        assertThat(parser.parseIp(MemorySegment.ofArray(new byte[0]), 0, 0, packet)).isEqualTo(ParseResult.TRUNCATED_IPV4);
    }

    @Test
    void everyTruncationOfEveryCapturedFrameIsReportedAsTruncated() {
        PacketParser parser = new PacketParser(ChecksumPolicy.ALL);
        for (byte[] frame : CapturedFrames.ALL) {
            for (int length = 0; length < frame.length; length++) {
                MemorySegment exact = MemorySegment.ofArray(Arrays.copyOf(frame, length));
                ParseResult result = parser.parse(exact, 0, length, packet);
                assertThat(result.name()).as("%d of %d bytes", length, frame.length).startsWith("TRUNCATED_");
                if (length < EthernetFlyweight.HEADER_LENGTH) {
                    assertThat(result).isEqualTo(ParseResult.TRUNCATED_ETHERNET);
                }
            }
        }
    }

    @Test
    void countersCountEachResult() {
        ParseCounters counters = new ParseCounters();
        PacketParser parser = new PacketParser(ChecksumPolicy.ALL);
        for (byte[] frame : CapturedFrames.ALL) {
            counters.record(parser.parse(MemorySegment.ofArray(frame), 0, frame.length, packet));
            counters.record(parser.parse(MemorySegment.ofArray(frame), 0, 10, packet));
        }
        assertThat(counters.count(ParseResult.OK)).isEqualTo(CapturedFrames.ALL.length);
        assertThat(counters.count(ParseResult.TRUNCATED_ETHERNET)).isEqualTo(CapturedFrames.ALL.length);
        assertThat(counters.rejected()).isEqualTo(CapturedFrames.ALL.length);
        assertThat(counters.record(ParseResult.FRAGMENT)).isEqualTo(ParseResult.FRAGMENT);
        assertThat(counters.count(ParseResult.FRAGMENT)).isEqualTo(1);
    }
}
