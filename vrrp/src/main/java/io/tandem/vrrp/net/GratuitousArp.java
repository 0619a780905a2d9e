package io.tandem.vrrp.net;

import io.tandem.core.packet.ArpFlyweight;
import io.tandem.core.packet.EthernetFlyweight;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;

/**
 * The gratuitous ARP frame (RFC 9568 §6.4.1 "broadcast a gratuitous ARP request
 * containing the virtual router MAC address for each IP address"; RFC 5227 §3 for the
 * form): an ARP request with sender and target protocol address both the VIP, from the
 * interface's MAC (Tandem does not use the virtual MAC 00-00-5E-00-01-{VRID}, like
 * keepalived without {@code use_vmac}), to the broadcast address.
 * {@link AddressAnnouncer} sends it.
 */
final class GratuitousArp {
    static final long BROADCAST = EthernetFlyweight.BROADCAST;
    static final int FRAME_LENGTH = EthernetFlyweight.HEADER_LENGTH + ArpFlyweight.LENGTH;

    private GratuitousArp() {
    }

    /** Writes the gratuitous ARP for {@code address} into {@code into} at offset 0; returns its length. */
    static int write(MemorySegment into, long senderMac, Inet4Address address, EthernetFlyweight ethernet,
            ArpFlyweight arp) {
        into.asSlice(0, FRAME_LENGTH).fill((byte) 0);
        ethernet.wrap(into, 0, FRAME_LENGTH).destination(BROADCAST).source(senderMac)
                .etherType(EthernetFlyweight.ETHERTYPE_ARP);
        byte[] b = address.getAddress();
        int ip = (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
        arp.wrap(into, EthernetFlyweight.HEADER_LENGTH).writeEthernetIpv4Header(ArpFlyweight.OPERATION_REQUEST)
                .senderHardwareAddress(senderMac).senderProtocolAddress(ip)
                .targetHardwareAddress(0).targetProtocolAddress(ip);
        return FRAME_LENGTH;
    }
}
