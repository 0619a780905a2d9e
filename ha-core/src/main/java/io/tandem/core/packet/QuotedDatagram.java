package io.tandem.core.packet;

import java.lang.foreign.MemorySegment;

/**
 * Flyweight over the datagram an ICMPv4 error quotes (RFC 792: "Internet
 * Header + 64 bits of Original Data Datagram"): an IPv4 header and at least
 * the first 8 bytes of its TCP or UDP header, which hold both ports.
 *
 * <pre>
 *  ICMP error: | type | code | checksum | unused / MTU | quoted IPv4 header (IHL * 4) | sport | dport | ...
 *                                                                                    '-- first 8 bytes --'
 * </pre>
 *
 * <p>Only what the quote holds is read or changed: a UDP checksum (bytes
 * 6-7) is always quoted, a TCP checksum (bytes 16-17) only when the sender
 * quoted 18 bytes or more, as Linux does (RFC 1812 §4.3.2.3 asks for as much
 * as fits in 576 bytes). The rewrite methods keep the quoted IPv4 header
 * checksum, and the quoted transport checksum when present, right by RFC 1624
 * incremental update. Nothing is allocated.
 */
public final class QuotedDatagram {
    static final int PORTS_LENGTH = 8;
    private static final int UDP_CHECKSUM_OFFSET = 6;
    private static final int TCP_CHECKSUM_OFFSET = 16;

    private final Ipv4Flyweight ip = new Ipv4Flyweight();
    private MemorySegment segment = MemorySegment.NULL;
    private long transport;
    private int transportAvailable;

    /**
     * Wraps the quote at {@code offset}, of which {@code available} bytes are
     * present. Returns false (not an exception) when it is no IPv4 TCP or UDP
     * datagram whose ports are quoted: too short, another version or protocol,
     * or a fragment other than the first.
     */
    public boolean wrap(MemorySegment segment, long offset, int available) {
        this.segment = segment;
        if (available < Ipv4Flyweight.MIN_HEADER_LENGTH) {
            return false;
        }
        ip.wrap(segment, offset);
        int headerLength = ip.headerLength();
        if (ip.version() != Ipv4Flyweight.VERSION || ip.ihl() < Ipv4Flyweight.MIN_IHL
                || available < headerLength + PORTS_LENGTH || ip.fragmentOffset() != 0) {
            return false;
        }
        int protocol = ip.protocol();
        if (protocol != Ipv4Flyweight.PROTOCOL_TCP && protocol != Ipv4Flyweight.PROTOCOL_UDP) {
            return false;
        }
        transport = offset + headerLength;
        transportAvailable = available - headerLength;
        return true;
    }

    /** The quoted IPv4 header. */
    public Ipv4Flyweight ipv4() {
        return ip;
    }

    public int protocol() {
        return ip.protocol();
    }

    public int sourceAddress() {
        return ip.sourceAddress();
    }

    public int destinationAddress() {
        return ip.destinationAddress();
    }

    public int sourcePort() {
        return NetworkOrder.getUnsignedShort(segment, transport);
    }

    public int destinationPort() {
        return NetworkOrder.getUnsignedShort(segment, transport + 2);
    }

    /** Replaces the quoted source address and port, fixing the quoted checksums. */
    public QuotedDatagram rewriteSource(int address, int port) {
        adjustTransport(ip.sourceAddress(), address, sourcePort(), port);
        ip.rewriteSourceAddress(address);
        NetworkOrder.putShort(segment, transport, port);
        return this;
    }

    /** Replaces the quoted destination address and port, fixing the quoted checksums. */
    public QuotedDatagram rewriteDestination(int address, int port) {
        adjustTransport(ip.destinationAddress(), address, destinationPort(), port);
        ip.rewriteDestinationAddress(address);
        NetworkOrder.putShort(segment, transport + 2, port);
        return this;
    }

    private void adjustTransport(int oldAddress, int newAddress, int oldPort, int newPort) {
        boolean udp = ip.protocol() == Ipv4Flyweight.PROTOCOL_UDP;
        int at = udp ? UDP_CHECKSUM_OFFSET : TCP_CHECKSUM_OFFSET;
        if (transportAvailable < at + 2) {
            return; // the checksum was not quoted
        }
        int checksum = NetworkOrder.getUnsignedShort(segment, transport + at);
        if (udp && checksum == UdpFlyweight.NO_CHECKSUM) {
            return;
        }
        checksum = InternetChecksum.update32(checksum, oldAddress, newAddress);
        checksum = InternetChecksum.update16(checksum, oldPort, newPort);
        if (udp && checksum == 0) {
            checksum = 0xFFFF; // RFC 768: a computed zero is sent as all ones
        }
        NetworkOrder.putShort(segment, transport + at, checksum);
    }
}
