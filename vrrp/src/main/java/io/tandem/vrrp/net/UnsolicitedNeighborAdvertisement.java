package io.tandem.vrrp.net;

import io.tandem.core.packet.EthernetFlyweight;
import io.tandem.core.packet.Icmpv6Flyweight;
import io.tandem.core.packet.Ipv6Flyweight;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;

/**
 * The unsolicited Neighbor Advertisement frame (RFC 9568 §6.4.1 "for each IPv6 address
 * associated with the virtual router, send an unsolicited ND Neighbor Advertisement with
 * the Router Flag (R) set, the Solicited Flag (S) unset, the Override Flag (O) set, the
 * target address set to the IPv6 address of the virtual router, and the target
 * link-layer address set to the virtual router MAC address"; RFC 4861 §7.2.6): from the
 * interface's MAC (no virtual MAC, as for {@link GratuitousArp}) and from the address
 * itself, as keepalived sends it, to the all-nodes group ff02::1 (33:33:00:00:00:01,
 * RFC 2464 §7), hop limit 255 (RFC 4861 §7.1.2). The Router flag is set as RFC 9568
 * says (keepalived sets it only when the interface forwards): a director's VIP is often
 * its real servers' gateway, and an advertisement with R clear makes hosts drop a
 * router (RFC 4861 §7.2.5). {@link AddressAnnouncer} sends it.
 *
 * <pre>
 * Ethernet 14 | IPv6 40: next header 58, hop limit 255, VIP -> ff02::1
 *             | ICMPv6 NA 24: type 136, code 0, R1 S0 O1, target VIP | option 2 length 1: MAC (8)
 * </pre>
 */
final class UnsolicitedNeighborAdvertisement {
    /** 33:33:00:00:00:01, the Ethernet group of ff02::1. */
    static final long ALL_NODES_MAC = 0x3333_0000_0001L;
    /** ff02::1 as two longs. */
    static final long ALL_NODES_HIGH = 0xff02_0000_0000_0000L;
    static final long ALL_NODES_LOW = 1L;
    static final int HOP_LIMIT = 255;
    static final int ICMP_LENGTH = Icmpv6Flyweight.NA_OPTIONS_OFFSET + Icmpv6Flyweight.ETHERNET_LINK_LAYER_OPTION_LENGTH;
    static final int IP_OFFSET = EthernetFlyweight.HEADER_LENGTH;
    static final int ICMP_OFFSET = IP_OFFSET + Ipv6Flyweight.HEADER_LENGTH;
    static final int FRAME_LENGTH = ICMP_OFFSET + ICMP_LENGTH;

    private UnsolicitedNeighborAdvertisement() {
    }

    /** Writes the advertisement for {@code address} into {@code into} at offset 0; returns its length. */
    static int write(MemorySegment into, long senderMac, Inet6Address address, EthernetFlyweight ethernet,
            Ipv6Flyweight ip, Icmpv6Flyweight icmp) {
        into.asSlice(0, FRAME_LENGTH).fill((byte) 0);
        ethernet.wrap(into, 0, FRAME_LENGTH).destination(ALL_NODES_MAC).source(senderMac)
                .etherType(EthernetFlyweight.ETHERTYPE_IPV6);
        byte[] b = address.getAddress();
        ip.wrap(into, IP_OFFSET).versionClassFlow(0, 0).payloadLength(ICMP_LENGTH)
                .nextHeader(Icmpv6Flyweight.NEXT_HEADER).hopLimit(HOP_LIMIT)
                .sourceAddress(high(b), low(b)).destinationAddress(ALL_NODES_HIGH, ALL_NODES_LOW);
        icmp.wrap(into, ICMP_OFFSET).type(Icmpv6Flyweight.TYPE_NEIGHBOR_ADVERTISEMENT).code(0)
                .neighborAdvertisementFlags(Icmpv6Flyweight.NA_FLAG_ROUTER | Icmpv6Flyweight.NA_FLAG_OVERRIDE)
                .targetAddress(b).targetLinkLayerAddressOption(senderMac)
                .updateChecksum(ip.pseudoHeaderSum(Icmpv6Flyweight.NEXT_HEADER, ICMP_LENGTH), ICMP_LENGTH);
        return FRAME_LENGTH;
    }

    private static long high(byte[] b) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[i] & 0xFF);
        }
        return v;
    }

    private static long low(byte[] b) {
        long v = 0;
        for (int i = 8; i < 16; i++) {
            v = v << 8 | (b[i] & 0xFF);
        }
        return v;
    }
}
