package io.tandem.core.packet;

import java.lang.foreign.MemorySegment;

/**
 * Partial sums of the pseudo-headers that TCP, UDP and ICMPv6 checksums cover,
 * to be added to the sum of the transport header and payload and then
 * {@linkplain InternetChecksum#fold folded}.
 *
 * <pre>
 * IPv4 (RFC 9293 §3.1, RFC 768)        IPv6 (RFC 8200 §8.1)
 * +--------+--------+--------+--------+ +-----------------------------------+
 * |          Source Address           | |   Source Address (128 bits)       |
 * +--------+--------+--------+--------+ +-----------------------------------+
 * |        Destination Address        | | Destination Address (128 bits)    |
 * +--------+--------+--------+--------+ +-----------------------------------+
 * |  zero  |Protocol| Transport Length| |  Upper-Layer Packet Length (32)   |
 * +--------+--------+--------+--------+ +--------------------------+--------+
 *                                       |          zero (24)       |Next Hdr|
 *                                       +--------------------------+--------+
 * </pre>
 */
public final class PseudoHeader {
    private PseudoHeader() {
    }

    /** The IPv4 pseudo-header sum for a transport segment of {@code length} bytes. */
    public static long ipv4Sum(int sourceAddress, int destinationAddress, int protocol, int length) {
        return (sourceAddress >>> 16) + (sourceAddress & 0xFFFF)
                + (destinationAddress >>> 16) + (destinationAddress & 0xFFFF)
                + (protocol & 0xFF) + (length & 0xFFFF);
    }

    /**
     * The IPv6 pseudo-header sum: the addresses are read from the IPv6 header
     * at {@code ipv6Offset}; {@code nextHeader} is the upper-layer protocol (not
     * the header's Next Header field when extension headers are present).
     */
    public static long ipv6Sum(MemorySegment segment, long ipv6Offset, int nextHeader, int length) {
        long sum = InternetChecksum.sum(segment, ipv6Offset + Ipv6Flyweight.SOURCE_ADDRESS_OFFSET, 32, 0);
        return sum + (length >>> 16) + (length & 0xFFFF) + (nextHeader & 0xFF);
    }
}
