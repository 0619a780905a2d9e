package io.tandem.core.packet;

import java.lang.foreign.MemorySegment;

/**
 * Validates a frame layer by layer (Ethernet, then ARP or IPv4/IPv6, then
 * TCP/UDP/ICMP/ICMPv6) and wraps each layer's flyweight in a
 * {@link ParsedPacket}, stopping at the first layer that is truncated,
 * malformed or unsupported. Bad input is a {@link ParseResult}, never an
 * exception; nothing is allocated.
 *
 * <p>Every length is checked against the bytes actually present before a field
 * is read, and the IP packet's own length (IPv4 Total Length, IPv6 Payload
 * Length) bounds the transport, so Ethernet padding of short frames is never
 * taken for payload. Stateless apart from its policy: one instance may be
 * shared; each worker keeps its own {@link ParsedPacket}.
 */
public final class PacketParser {
    private final ChecksumPolicy checksums;

    public PacketParser(ChecksumPolicy checksums) {
        this.checksums = checksums;
    }

    public ChecksumPolicy checksumPolicy() {
        return checksums;
    }

    /** Parses the Ethernet frame of {@code length} bytes at {@code offset} of {@code segment} into {@code packet}. */
    public ParseResult parse(MemorySegment segment, long offset, int length, ParsedPacket packet) {
        packet.reset(segment);
        EthernetFlyweight ethernet = packet.ethernet().wrap(segment, offset, length);
        int tags = ethernet.tagCount();
        if (tags == EthernetFlyweight.TRUNCATED) {
            return packet.finish(ParseResult.TRUNCATED_ETHERNET);
        }
        if (tags == EthernetFlyweight.TOO_MANY_TAGS) {
            return packet.finish(ParseResult.TOO_MANY_VLAN_TAGS);
        }
        int etherType = ethernet.etherType();
        packet.etherType(etherType);
        long l3 = ethernet.payloadOffset();
        int available = length - ethernet.headerLength();
        return switch (etherType) {
            case EthernetFlyweight.ETHERTYPE_IPV4 -> packet.finish(parseIpv4(segment, l3, available, packet));
            case EthernetFlyweight.ETHERTYPE_IPV6 -> packet.finish(parseIpv6(segment, l3, available, packet));
            case EthernetFlyweight.ETHERTYPE_ARP -> packet.finish(parseArp(segment, l3, available, packet));
            default -> packet.finish(ParseResult.UNSUPPORTED_ETHERTYPE);
        };
    }

    /**
     * Parses a bare IP packet (no Ethernet header, as a raw or TUN socket
     * delivers it), choosing IPv4 or IPv6 by its version nibble.
     */
    public ParseResult parseIp(MemorySegment segment, long offset, int length, ParsedPacket packet) {
        packet.reset(segment);
        if (length < 1) {
            return packet.finish(ParseResult.TRUNCATED_IPV4);
        }
        int version = NetworkOrder.getUnsignedByte(segment, offset) >>> 4;
        if (version == Ipv6Flyweight.VERSION) {
            packet.etherType(EthernetFlyweight.ETHERTYPE_IPV6);
            return packet.finish(parseIpv6(segment, offset, length, packet));
        }
        packet.etherType(EthernetFlyweight.ETHERTYPE_IPV4);
        return packet.finish(parseIpv4(segment, offset, length, packet));
    }

    private static ParseResult parseArp(MemorySegment segment, long offset, int available, ParsedPacket packet) {
        if (available < ArpFlyweight.LENGTH) {
            return ParseResult.TRUNCATED_ARP;
        }
        ArpFlyweight arp = packet.arp().wrap(segment, offset);
        return arp.isEthernetIpv4() ? ParseResult.OK : ParseResult.UNSUPPORTED_ARP;
    }

    private ParseResult parseIpv4(MemorySegment segment, long offset, int available, ParsedPacket packet) {
        if (available < Ipv4Flyweight.MIN_HEADER_LENGTH) {
            return ParseResult.TRUNCATED_IPV4;
        }
        Ipv4Flyweight ip = packet.ipv4().wrap(segment, offset);
        int versionAndIhl = ip.versionAndIhl(); // each field is read once on this path
        if (versionAndIhl >>> 4 != Ipv4Flyweight.VERSION) {
            return ParseResult.BAD_IPV4_VERSION;
        }
        int ihl = versionAndIhl & 0x0F;
        if (ihl < Ipv4Flyweight.MIN_IHL) {
            return ParseResult.BAD_IHL;
        }
        int headerLength = ihl * 4;
        if (available < headerLength) {
            return ParseResult.TRUNCATED_IPV4;
        }
        int totalLength = ip.totalLength();
        if (totalLength < headerLength) {
            return ParseResult.BAD_IPV4_TOTAL_LENGTH;
        }
        if (totalLength > available) {
            return ParseResult.TRUNCATED_IPV4;
        }
        if (checksums != ChecksumPolicy.NONE && !InternetChecksum.isValid(segment, offset, headerLength)) {
            return ParseResult.BAD_IPV4_CHECKSUM;
        }
        packet.network(Ipv4Flyweight.VERSION, offset);
        int protocol = ip.protocol();
        packet.transport(protocol, offset + headerLength, totalLength - headerLength);
        if (ip.isFragment()) {
            return ParseResult.FRAGMENT;
        }
        return parseTransport(packet);
    }

    private ParseResult parseIpv6(MemorySegment segment, long offset, int available, ParsedPacket packet) {
        if (available < Ipv6Flyweight.HEADER_LENGTH) {
            return ParseResult.TRUNCATED_IPV6;
        }
        Ipv6Flyweight ip = packet.ipv6().wrap(segment, offset);
        if (ip.version() != Ipv6Flyweight.VERSION) {
            return ParseResult.BAD_IPV6_VERSION;
        }
        int packetLength = Ipv6Flyweight.HEADER_LENGTH + ip.payloadLength();
        if (packetLength > available) {
            return ParseResult.TRUNCATED_IPV6;
        }
        long end = offset + packetLength;
        switch (ip.walkExtensionHeaders(end)) {
            case Ipv6Flyweight.WALK_TRUNCATED -> {
                return ParseResult.TRUNCATED_IPV6_EXTENSION;
            }
            case Ipv6Flyweight.WALK_TOO_MANY -> {
                return ParseResult.TOO_MANY_IPV6_EXTENSIONS;
            }
            default -> {
                // WALK_OK
            }
        }
        packet.network(Ipv6Flyweight.VERSION, offset);
        long transport = ip.upperLayerOffset();
        packet.transport(ip.upperLayerProtocol(), transport, (int) (end - transport));
        if (ip.isFragment()) {
            return ParseResult.FRAGMENT;
        }
        return parseTransport(packet);
    }

    private ParseResult parseTransport(ParsedPacket packet) {
        MemorySegment segment = packet.segment();
        long offset = packet.transportOffset();
        int length = packet.transportLength();
        boolean ipv4 = packet.ipVersion() == Ipv4Flyweight.VERSION;
        boolean verify = checksums == ChecksumPolicy.ALL;
        switch (packet.protocol()) {
            case Ipv4Flyweight.PROTOCOL_TCP -> {
                if (length < TcpFlyweight.MIN_HEADER_LENGTH) {
                    return ParseResult.TRUNCATED_TCP;
                }
                TcpFlyweight tcp = packet.tcp().wrap(segment, offset);
                int dataOffset = tcp.dataOffset();
                if (dataOffset < TcpFlyweight.MIN_DATA_OFFSET) {
                    return ParseResult.BAD_TCP_DATA_OFFSET;
                }
                if (dataOffset * 4 > length) {
                    return ParseResult.TRUNCATED_TCP;
                }
                if (verify && !tcp.isChecksumValid(packet.pseudoHeaderSum(), length)) {
                    return ParseResult.BAD_TCP_CHECKSUM;
                }
                return ParseResult.OK;
            }
            case Ipv4Flyweight.PROTOCOL_UDP -> {
                if (length < UdpFlyweight.HEADER_LENGTH) {
                    return ParseResult.TRUNCATED_UDP;
                }
                UdpFlyweight udp = packet.udp().wrap(segment, offset);
                int udpLength = udp.length();
                if (udpLength < UdpFlyweight.HEADER_LENGTH || udpLength > length) {
                    return ParseResult.BAD_UDP_LENGTH;
                }
                if (verify) {
                    boolean unchecked = ipv4 && udp.checksum() == UdpFlyweight.NO_CHECKSUM;
                    if (!unchecked && !udp.isChecksumValid(packet.pseudoHeaderSum(), udpLength)) {
                        return ParseResult.BAD_UDP_CHECKSUM;
                    }
                }
                return ParseResult.OK;
            }
            case Ipv4Flyweight.PROTOCOL_ICMP -> {
                if (!ipv4) {
                    return ParseResult.UNSUPPORTED_PROTOCOL;
                }
                if (length < Icmpv4Flyweight.HEADER_LENGTH) {
                    return ParseResult.TRUNCATED_ICMP;
                }
                Icmpv4Flyweight icmp = packet.icmpv4().wrap(segment, offset);
                if (verify && !icmp.isChecksumValid(length)) {
                    return ParseResult.BAD_ICMP_CHECKSUM;
                }
                return ParseResult.OK;
            }
            case Icmpv6Flyweight.NEXT_HEADER -> {
                if (ipv4) {
                    return ParseResult.UNSUPPORTED_PROTOCOL;
                }
                if (length < Icmpv6Flyweight.HEADER_LENGTH) {
                    return ParseResult.TRUNCATED_ICMP;
                }
                Icmpv6Flyweight icmp = packet.icmpv6().wrap(segment, offset);
                if (verify && !icmp.isChecksumValid(packet.pseudoHeaderSum(), length)) {
                    return ParseResult.BAD_ICMP_CHECKSUM;
                }
                return ParseResult.OK;
            }
            default -> {
                return ParseResult.UNSUPPORTED_PROTOCOL;
            }
        }
    }
}
