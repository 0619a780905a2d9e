package io.tandem.forwarder.path;

import io.tandem.core.packet.EthernetFlyweight;
import io.tandem.core.packet.Icmpv4Flyweight;
import io.tandem.core.packet.Ipv4Flyweight;
import java.lang.foreign.MemorySegment;

/**
 * Writes the ICMP Destination Unreachable / Fragmentation Needed message
 * (type 3, code 4; RFC 792, next-hop MTU per RFC 1191 §4) that tells a client
 * its packet was too big, as IPVS's {@code icmp_send} does in
 * {@code ensure_mtu_is_adequate}:
 *
 * <pre>
 * Ethernet | IPv4 VIP -&gt; CIP, protocol 1, TTL 64, TOS 0xC0 | type 3 | code 4 | checksum | 0 | MTU
 *          | the client's IP header and data, as much as fits in 576 bytes (RFC 1812 §4.3.2.3)
 * </pre>
 *
 * <p>The source is the address the client sent to (the VIP), so the client
 * only ever sees the VIP. Nothing is allocated.
 */
final class FragmentationNeeded {
    /** The largest ICMP error datagram (RFC 1812 §4.3.2.3). */
    static final int MAX_DATAGRAM = 576;
    /** IPTOS_PREC_INTERNETCONTROL, which Linux gives the ICMP errors it sends. */
    static final int TOS_INTERNET_CONTROL = 0xC0;
    static final int TTL = 64;
    private static final int HEADERS = Ipv4Flyweight.MIN_HEADER_LENGTH + Icmpv4Flyweight.HEADER_LENGTH;

    private final EthernetFlyweight ethernet = new EthernetFlyweight();
    private final Ipv4Flyweight ip = new Ipv4Flyweight();
    private final Icmpv4Flyweight icmp = new Icmpv4Flyweight();
    private int identification;

    /**
     * Writes the frame at {@code txOffset}.
     *
     * @param original the offending packet's IPv4 header (its source is the client, its destination the VIP)
     * @param mtu the next-hop MTU to report
     * @return the frame's length, or 0 when it does not fit {@code txCapacity}
     */
    int write(Ipv4Flyweight original, int mtu, long destinationMac, long sourceMac, MemorySegment tx,
            long txOffset, int txCapacity) {
        int quoted = Math.min(original.totalLength(), MAX_DATAGRAM - HEADERS);
        int total = HEADERS + quoted;
        int frame = EthernetFlyweight.HEADER_LENGTH + total;
        if (frame > txCapacity) {
            return 0;
        }
        ethernet.wrap(tx, txOffset, frame).destination(destinationMac).source(sourceMac)
                .etherType(EthernetFlyweight.ETHERTYPE_IPV4);
        long l3 = txOffset + EthernetFlyweight.HEADER_LENGTH;
        long l4 = l3 + Ipv4Flyweight.MIN_HEADER_LENGTH;
        MemorySegment.copy(original.segment(), original.offset(), tx, l4 + Icmpv4Flyweight.HEADER_LENGTH, quoted);
        icmp.wrap(tx, l4).type(Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE)
                .code(Icmpv4Flyweight.CODE_FRAGMENTATION_NEEDED).nextHopMtu(mtu)
                .updateChecksum(Icmpv4Flyweight.HEADER_LENGTH + quoted);
        ip.wrap(tx, l3).versionAndIhl(Ipv4Flyweight.MIN_IHL)
                .tos(TOS_INTERNET_CONTROL)
                .totalLength(total)
                .identification(identification++ & 0xFFFF)
                .flagsAndFragmentOffset(0)
                .ttl(TTL)
                .protocol(Ipv4Flyweight.PROTOCOL_ICMP)
                .sourceAddress(original.destinationAddress())
                .destinationAddress(original.sourceAddress())
                .updateHeaderChecksum();
        return frame;
    }
}
