package io.tandem.core.packet;

import java.lang.foreign.MemorySegment;
import java.util.Random;

/** Builds random, valid Ethernet frames through the flyweights, checksums computed in full. */
final class TestPackets {
    enum Kind { IPV4_TCP, IPV4_UDP, IPV4_UDP_NO_CHECKSUM, IPV4_ICMP, IPV6_TCP, IPV6_UDP, IPV6_ICMPV6 }

    private static final Kind[] KINDS = Kind.values();

    private final Random random;
    private final EthernetFlyweight ethernet = new EthernetFlyweight();
    private final Ipv4Flyweight ipv4 = new Ipv4Flyweight();
    private final Ipv6Flyweight ipv6 = new Ipv6Flyweight();
    private final TcpFlyweight tcp = new TcpFlyweight();
    private final UdpFlyweight udp = new UdpFlyweight();
    private final Icmpv4Flyweight icmp = new Icmpv4Flyweight();
    private final Icmpv6Flyweight icmpv6 = new Icmpv6Flyweight();

    TestPackets(Random random) {
        this.random = random;
    }

    Kind randomKind() {
        return KINDS[random.nextInt(KINDS.length)];
    }

    /** A frame of {@code kind} with a random payload of up to {@code maxPayload} bytes. */
    byte[] build(Kind kind, int maxPayload) {
        boolean v4 = kind.ordinal() <= Kind.IPV4_ICMP.ordinal();
        int payload = random.nextInt(maxPayload + 1);
        int ipOptions = v4 ? 4 * random.nextInt(11) : 0;
        int tcpOptions = 4 * random.nextInt(11);
        int transportHeader = switch (kind) {
            case IPV4_TCP, IPV6_TCP -> TcpFlyweight.MIN_HEADER_LENGTH + tcpOptions;
            default -> 8;
        };
        int ipHeader = v4 ? Ipv4Flyweight.MIN_HEADER_LENGTH + ipOptions : Ipv6Flyweight.HEADER_LENGTH;
        int transportLength = transportHeader + payload;
        byte[] frame = new byte[EthernetFlyweight.HEADER_LENGTH + ipHeader + transportLength];
        random.nextBytes(frame);
        MemorySegment segment = MemorySegment.ofArray(frame);
        NetworkOrder.putShort(segment, EthernetFlyweight.TYPE_OFFSET,
                v4 ? EthernetFlyweight.ETHERTYPE_IPV4 : EthernetFlyweight.ETHERTYPE_IPV6);
        ethernet.wrap(segment, 0, frame.length);
        long l3 = ethernet.payloadOffset();
        long l4 = l3 + ipHeader;
        int protocol = switch (kind) {
            case IPV4_TCP, IPV6_TCP -> Ipv4Flyweight.PROTOCOL_TCP;
            case IPV4_UDP, IPV4_UDP_NO_CHECKSUM, IPV6_UDP -> Ipv4Flyweight.PROTOCOL_UDP;
            case IPV4_ICMP -> Ipv4Flyweight.PROTOCOL_ICMP;
            case IPV6_ICMPV6 -> Icmpv6Flyweight.NEXT_HEADER;
        };
        long pseudo;
        if (v4) {
            ipv4.wrap(segment, l3).versionAndIhl(5 + ipOptions / 4).totalLength(ipHeader + transportLength)
                    .flagsAndFragmentOffset(random.nextBoolean() ? Ipv4Flyweight.FLAG_DONT_FRAGMENT : 0)
                    .ttl(1 + random.nextInt(255)).protocol(protocol);
            for (int i = 0; i < ipOptions; i++) {
                NetworkOrder.putByte(segment, ipv4.optionsOffset() + i, 1);   // NOP options
            }
            ipv4.updateHeaderChecksum();
            pseudo = ipv4.pseudoHeaderSum(transportLength);
        } else {
            ipv6.wrap(segment, l3).versionClassFlow(random.nextInt(256), random.nextInt(1 << 20))
                    .payloadLength(transportLength).nextHeader(protocol).hopLimit(1 + random.nextInt(255));
            pseudo = ipv6.pseudoHeaderSum(protocol, transportLength);
        }
        switch (kind) {
            case IPV4_TCP, IPV6_TCP -> {
                tcp.wrap(segment, l4).dataOffset(5 + tcpOptions / 4);
                for (int i = 0; i < tcpOptions; i++) {
                    NetworkOrder.putByte(segment, l4 + TcpFlyweight.OPTIONS_OFFSET + i, TcpFlyweight.OPTION_NOP);
                }
                tcp.updateChecksum(pseudo, transportLength);
            }
            case IPV4_UDP, IPV6_UDP -> udp.wrap(segment, l4).length(transportLength).updateChecksum(pseudo, transportLength);
            case IPV4_UDP_NO_CHECKSUM -> udp.wrap(segment, l4).length(transportLength).checksum(UdpFlyweight.NO_CHECKSUM);
            case IPV4_ICMP -> icmp.wrap(segment, l4).type(Icmpv4Flyweight.TYPE_ECHO).code(0).updateChecksum(transportLength);
            case IPV6_ICMPV6 -> icmpv6.wrap(segment, l4).type(Icmpv6Flyweight.TYPE_ECHO_REQUEST).code(0)
                    .updateChecksum(pseudo, transportLength);
        }
        return frame;
    }
}
