package io.tandem.core.packet;

import java.lang.foreign.MemorySegment;

/**
 * One frame as {@link PacketParser} found it: the flyweights wrapped at each
 * layer's offset and where each layer starts and ends. Allocated once per
 * worker and refilled by every parse; read only what the last
 * {@link #result()} says is valid (L2 after any result past the Ethernet
 * checks, L3 after {@code FRAGMENT} or {@code UNSUPPORTED_PROTOCOL}, all of it
 * after {@code OK}).
 *
 * <p>The rewrite methods change a field of an {@code OK} IPv4 or IPv6 packet
 * and fix every checksum that covers it by RFC 1624 incremental update: the
 * IPv4 header checksum and the transport checksum through its pseudo-header.
 */
public final class ParsedPacket {
    /** {@link #ipVersion()} when the frame carries no IP packet (ARP) or stopped before L3. */
    public static final int NO_IP = 0;

    private final EthernetFlyweight ethernet = new EthernetFlyweight();
    private final ArpFlyweight arp = new ArpFlyweight();
    private final Ipv4Flyweight ipv4 = new Ipv4Flyweight();
    private final Ipv6Flyweight ipv6 = new Ipv6Flyweight();
    private final TcpFlyweight tcp = new TcpFlyweight();
    private final UdpFlyweight udp = new UdpFlyweight();
    private final Icmpv4Flyweight icmpv4 = new Icmpv4Flyweight();
    private final Icmpv6Flyweight icmpv6 = new Icmpv6Flyweight();

    private ParseResult result = ParseResult.TRUNCATED_ETHERNET;
    private MemorySegment segment = MemorySegment.NULL;
    private int etherType;
    private int ipVersion;
    private int protocol;
    private long networkOffset;
    private long transportOffset;
    private int transportLength;

    void reset(MemorySegment segment) {
        this.segment = segment;
        this.etherType = -1;
        this.ipVersion = NO_IP;
        this.protocol = -1;
        this.networkOffset = -1;
        this.transportOffset = -1;
        this.transportLength = 0;
    }

    ParseResult finish(ParseResult result) {
        this.result = result;
        return result;
    }

    void etherType(int etherType) {
        this.etherType = etherType;
    }

    void network(int ipVersion, long offset) {
        this.ipVersion = ipVersion;
        this.networkOffset = offset;
    }

    void transport(int protocol, long offset, int length) {
        this.protocol = protocol;
        this.transportOffset = offset;
        this.transportLength = length;
    }

    /**
     * Takes {@code parsed}'s parse for a byte-for-byte copy of its frame at {@code offset} of
     * {@code segment}: every flyweight wrapped where that parse found its layer, moved by the
     * distance of the copy. The copy is not read, so this is a second parse's result without its
     * cost; it holds only while the copy's bytes are those {@code parsed} was parsed from.
     * {@code parsed} must be an {@code OK} IPv4 parse (TCP, UDP or ICMP).
     */
    public ParseResult wrapCopy(ParsedPacket parsed, MemorySegment segment, long offset) {
        if (parsed.result != ParseResult.OK || parsed.ipVersion != Ipv4Flyweight.VERSION) {
            throw new IllegalStateException("cannot wrap a copy: parse result " + parsed.result + ", IP version "
                    + parsed.ipVersion + " (expected: OK, IPv4)");
        }
        EthernetFlyweight source = parsed.ethernet;
        long shift = offset - source.offset();
        this.segment = segment;
        this.etherType = parsed.etherType;
        this.ipVersion = Ipv4Flyweight.VERSION;
        this.protocol = parsed.protocol;
        this.networkOffset = parsed.networkOffset + shift;
        this.transportOffset = parsed.transportOffset + shift;
        this.transportLength = parsed.transportLength;
        ethernet.wrapCounted(segment, offset, source.tagCount());
        ipv4.wrap(segment, networkOffset);
        switch (protocol) {
            case Ipv4Flyweight.PROTOCOL_TCP -> tcp.wrap(segment, transportOffset);
            case Ipv4Flyweight.PROTOCOL_UDP -> udp.wrap(segment, transportOffset);
            default -> icmpv4.wrap(segment, transportOffset);
        }
        return finish(ParseResult.OK);
    }

    public ParseResult result() {
        return result;
    }

    public MemorySegment segment() {
        return segment;
    }

    public EthernetFlyweight ethernet() {
        return ethernet;
    }

    public ArpFlyweight arp() {
        return arp;
    }

    public Ipv4Flyweight ipv4() {
        return ipv4;
    }

    public Ipv6Flyweight ipv6() {
        return ipv6;
    }

    public TcpFlyweight tcp() {
        return tcp;
    }

    public UdpFlyweight udp() {
        return udp;
    }

    public Icmpv4Flyweight icmpv4() {
        return icmpv4;
    }

    public Icmpv6Flyweight icmpv6() {
        return icmpv6;
    }

    /** The EtherType after any VLAN tags, or -1 when parsing stopped at L2. */
    public int etherType() {
        return etherType;
    }

    /** 4, 6, or {@link #NO_IP}. */
    public int ipVersion() {
        return ipVersion;
    }

    public boolean isArp() {
        return etherType == EthernetFlyweight.ETHERTYPE_ARP;
    }

    /** Absolute offset of the IP header, or -1. */
    public long networkOffset() {
        return networkOffset;
    }

    /** The transport protocol number (IPv4 Protocol, IPv6 upper-layer Next Header), or -1. */
    public int protocol() {
        return protocol;
    }

    /** Absolute offset of the transport header, or -1. */
    public long transportOffset() {
        return transportOffset;
    }

    /** Bytes from the transport header to the end of the IP packet (Ethernet padding excluded). */
    public int transportLength() {
        return transportLength;
    }

    /** The transport's pseudo-header sum for its current addresses. */
    public long pseudoHeaderSum() {
        return ipVersion == 4
                ? PseudoHeader.ipv4Sum(ipv4.sourceAddress(), ipv4.destinationAddress(), protocol, transportLength)
                : ipv6.pseudoHeaderSum(protocol, transportLength);
    }

    /** TCP or UDP source port, or -1 for other protocols. */
    public int sourcePort() {
        return switch (protocol) {
            case Ipv4Flyweight.PROTOCOL_TCP -> tcp.sourcePort();
            case Ipv4Flyweight.PROTOCOL_UDP -> udp.sourcePort();
            default -> -1;
        };
    }

    /** TCP or UDP destination port, or -1 for other protocols. */
    public int destinationPort() {
        return switch (protocol) {
            case Ipv4Flyweight.PROTOCOL_TCP -> tcp.destinationPort();
            case Ipv4Flyweight.PROTOCOL_UDP -> udp.destinationPort();
            default -> -1;
        };
    }

    /**
     * TCP or UDP source and destination ports in one read (source in the high 16 bits), or -1 for
     * other protocols.
     */
    public int ports() {
        return switch (protocol) {
            case Ipv4Flyweight.PROTOCOL_TCP -> tcp.ports();
            case Ipv4Flyweight.PROTOCOL_UDP -> udp.ports();
            default -> -1;
        };
    }

    /** NAT / FULLNAT: replaces the IPv4 source address, fixing the IP and transport checksums. */
    public ParsedPacket rewriteIpv4SourceAddress(int address) {
        requireOk(4);
        adjustTransportForAddress(ipv4.sourceAddress(), address);
        ipv4.rewriteSourceAddress(address);
        return this;
    }

    /** NAT / FULLNAT: replaces the IPv4 destination address, fixing the IP and transport checksums. */
    public ParsedPacket rewriteIpv4DestinationAddress(int address) {
        requireOk(4);
        adjustTransportForAddress(ipv4.destinationAddress(), address);
        ipv4.rewriteDestinationAddress(address);
        return this;
    }

    /**
     * NAT replies, FULLNAT: replaces the IPv4 source address and the TCP or UDP source port. The
     * RFC 1624 terms of the changed words are summed and each checksum (the IPv4 header's, the
     * transport's through its pseudo-header) is folded once: the same result as
     * {@link #rewriteIpv4SourceAddress} then {@link #rewriteSourcePort}, in half the folds.
     */
    public ParsedPacket rewriteIpv4Source(int address, int port) {
        requireIpv4Ports();
        long ipDelta = InternetChecksum.delta32(ipv4.sourceAddress(), address);
        ipv4.adjustHeaderChecksum(ipDelta).sourceAddress(address);
        if (protocol == Ipv4Flyweight.PROTOCOL_TCP) {
            tcp.adjustChecksum(ipDelta + InternetChecksum.delta16(tcp.sourcePort(), port)).sourcePort(port);
        } else {
            udp.adjustChecksum(ipDelta + InternetChecksum.delta16(udp.sourcePort(), port)).sourcePort(port);
        }
        return this;
    }

    /**
     * NAT requests: replaces the IPv4 destination address and the TCP or UDP destination port,
     * folding each checksum once (see {@link #rewriteIpv4Source}).
     */
    public ParsedPacket rewriteIpv4Destination(int address, int port) {
        requireIpv4Ports();
        long ipDelta = InternetChecksum.delta32(ipv4.destinationAddress(), address);
        ipv4.adjustHeaderChecksum(ipDelta).destinationAddress(address);
        if (protocol == Ipv4Flyweight.PROTOCOL_TCP) {
            tcp.adjustChecksum(ipDelta + InternetChecksum.delta16(tcp.destinationPort(), port)).destinationPort(port);
        } else {
            udp.adjustChecksum(ipDelta + InternetChecksum.delta16(udp.destinationPort(), port)).destinationPort(port);
        }
        return this;
    }

    /**
     * FULLNAT, both directions: replaces both IPv4 addresses and both ports, folding each checksum
     * once over the four fields (see {@link #rewriteIpv4Source}).
     */
    public ParsedPacket rewriteIpv4(int sourceAddress, int sourcePort, int destinationAddress, int destinationPort) {
        requireIpv4Ports();
        long addresses = ipv4.addresses(); // both addresses, then both ports, in one read and one write each
        long ipDelta = InternetChecksum.delta32((int) (addresses >>> 32), sourceAddress)
                + InternetChecksum.delta32((int) addresses, destinationAddress);
        ipv4.adjustHeaderChecksum(ipDelta).addresses(sourceAddress, destinationAddress);
        if (protocol == Ipv4Flyweight.PROTOCOL_TCP) {
            int ports = tcp.ports();
            tcp.adjustChecksum(ipDelta + InternetChecksum.delta16(ports >>> 16, sourcePort)
                    + InternetChecksum.delta16(ports, destinationPort)).ports(sourcePort, destinationPort);
        } else {
            int ports = udp.ports();
            udp.adjustChecksum(ipDelta + InternetChecksum.delta16(ports >>> 16, sourcePort)
                    + InternetChecksum.delta16(ports, destinationPort)).ports(sourcePort, destinationPort);
        }
        return this;
    }

    /** Replaces the IPv6 source address, fixing the transport checksum (IPv6 has no header checksum). */
    public ParsedPacket rewriteIpv6SourceAddress(long high, long low) {
        requireOk(6);
        adjustTransportForAddress(ipv6.sourceAddressHigh(), high);
        adjustTransportForAddress(ipv6.sourceAddressLow(), low);
        ipv6.sourceAddress(high, low);
        return this;
    }

    /** Replaces the IPv6 destination address, fixing the transport checksum. */
    public ParsedPacket rewriteIpv6DestinationAddress(long high, long low) {
        requireOk(6);
        adjustTransportForAddress(ipv6.destinationAddressHigh(), high);
        adjustTransportForAddress(ipv6.destinationAddressLow(), low);
        ipv6.destinationAddress(high, low);
        return this;
    }

    /** Replaces the TCP or UDP source port, fixing the transport checksum. */
    public ParsedPacket rewriteSourcePort(int port) {
        requirePorts();
        if (protocol == Ipv4Flyweight.PROTOCOL_TCP) {
            tcp.rewriteSourcePort(port);
        } else {
            udp.rewriteSourcePort(port);
        }
        return this;
    }

    /** Replaces the TCP or UDP destination port, fixing the transport checksum. */
    public ParsedPacket rewriteDestinationPort(int port) {
        requirePorts();
        if (protocol == Ipv4Flyweight.PROTOCOL_TCP) {
            tcp.rewriteDestinationPort(port);
        } else {
            udp.rewriteDestinationPort(port);
        }
        return this;
    }

    private void adjustTransportForAddress(int oldAddress, int newAddress) {
        switch (protocol) {
            case Ipv4Flyweight.PROTOCOL_TCP -> tcp.adjustChecksumForAddress(oldAddress, newAddress);
            case Ipv4Flyweight.PROTOCOL_UDP -> udp.adjustChecksumForAddress(oldAddress, newAddress);
            default -> {
                // ICMP's checksum has no pseudo-header (RFC 792)
            }
        }
    }

    private void adjustTransportForAddress(long oldHalf, long newHalf) {
        switch (protocol) {
            case Ipv4Flyweight.PROTOCOL_TCP -> tcp.adjustChecksumForAddress(oldHalf, newHalf);
            case Ipv4Flyweight.PROTOCOL_UDP -> udp.adjustChecksumForAddress(oldHalf, newHalf);
            case Icmpv6Flyweight.NEXT_HEADER -> icmpv6.checksum(InternetChecksum.update64(icmpv6.checksum(), oldHalf, newHalf));
            default -> throw new IllegalStateException("unexpected protocol: " + protocol + " (expected: 6, 17 or 58)");
        }
    }

    private void requireOk(int version) {
        if (result != ParseResult.OK || ipVersion != version) {
            throw new IllegalStateException("cannot rewrite: parse result " + result + ", IP version " + ipVersion
                    + " (expected: OK, IPv" + version + ")");
        }
    }

    private void requireIpv4Ports() {
        if (result != ParseResult.OK || ipVersion != 4
                || (protocol != Ipv4Flyweight.PROTOCOL_TCP && protocol != Ipv4Flyweight.PROTOCOL_UDP)) {
            throw new IllegalStateException("cannot rewrite: parse result " + result + ", IP version " + ipVersion
                    + ", protocol " + protocol + " (expected: OK, IPv4, TCP or UDP)");
        }
    }

    private void requirePorts() {
        if (result != ParseResult.OK
                || (protocol != Ipv4Flyweight.PROTOCOL_TCP && protocol != Ipv4Flyweight.PROTOCOL_UDP)) {
            throw new IllegalStateException("cannot rewrite port: parse result " + result + ", protocol " + protocol
                    + " (expected: OK, TCP or UDP)");
        }
    }
}
