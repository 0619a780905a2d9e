package io.tandem.vrrp.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.packet.ArpFlyweight;
import io.tandem.core.packet.EthernetFlyweight;
import io.tandem.core.packet.Icmpv6Flyweight;
import io.tandem.core.packet.Ipv6Flyweight;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The gratuitous ARP and unsolicited Neighbor Advertisement frames, byte by byte. */
class AnnouncementFramesTest {
    private static final long MAC = 0x0200_0a4d_0002L;
    private final MemorySegment frame = Arena.ofAuto().allocate(128);

    private byte[] written(int length) {
        return frame.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void unsolicitedNeighborAdvertisementFollowsRfc4861AndRfc9568() {
        Inet6Address vip = (Inet6Address) InetAddress.ofLiteral("fd77::100");
        int length = UnsolicitedNeighborAdvertisement.write(frame, MAC, vip, new EthernetFlyweight(),
                new Ipv6Flyweight(), new Icmpv6Flyweight());

        byte[] expected = HexFormat.of().parseHex(""
                + "333300000001" + "02000a4d0002" + "86dd"                  // Ethernet: all-nodes group, from the MAC, IPv6
                + "60000000" + "0020" + "3a" + "ff"                         // IPv6: payload 32, ICMPv6, hop limit 255
                + "fd770000000000000000000000000100"                        // source: the VIP
                + "ff020000000000000000000000000001"                        // destination: ff02::1
                + "88" + "00" + "0000"                                      // type 136, code 0, checksum (below)
                + "a0000000"                                                // R=1 S=0 O=1
                + "fd770000000000000000000000000100"                        // target: the VIP
                + "02" + "01" + "02000a4d0002");                            // option 2 (target link-layer), 1 x 8 bytes, MAC
        byte[] actual = written(length);
        assertThat(length).isEqualTo(86);
        actual[56] = 0; // checksum, checked next
        actual[57] = 0;
        assertThat(actual).containsExactly(expected);

        Ipv6Flyweight ip = new Ipv6Flyweight().wrap(frame, EthernetFlyweight.HEADER_LENGTH);
        Icmpv6Flyweight icmp = new Icmpv6Flyweight().wrap(frame, UnsolicitedNeighborAdvertisement.ICMP_OFFSET);
        assertThat(icmp.checksum()).isNotZero();
        assertThat(icmp.isChecksumValid(ip.pseudoHeaderSum(Icmpv6Flyweight.NEXT_HEADER, 32), 32))
                .as("ICMPv6 checksum over the RFC 8200 pseudo-header").isTrue();
        assertThat(icmp.neighborAdvertisementFlags()).isEqualTo(Icmpv6Flyweight.NA_FLAG_ROUTER
                | Icmpv6Flyweight.NA_FLAG_OVERRIDE);
        byte[] target = new byte[16];
        icmp.copyTargetAddress(target, 0);
        assertThat(target).containsExactly(vip.getAddress());
    }

    @Test
    void gratuitousArpIsARequestForTheVipFromTheVip() {
        Inet4Address vip = (Inet4Address) InetAddress.ofLiteral("10.77.0.100");
        int length = GratuitousArp.write(frame, MAC, vip, new EthernetFlyweight(), new ArpFlyweight());

        byte[] expected = HexFormat.of().parseHex(""
                + "ffffffffffff" + "02000a4d0002" + "0806"                  // Ethernet: broadcast, from the MAC, ARP
                + "0001" + "0800" + "06" + "04" + "0001"                    // Ethernet / IPv4, request
                + "02000a4d0002" + "0a4d0064"                               // sender: the MAC, the VIP
                + "000000000000" + "0a4d0064");                             // target: unknown MAC, the VIP
        assertThat(length).isEqualTo(42);
        assertThat(written(length)).containsExactly(expected);
    }
}
