package io.tandem.vrrp.net;

import static io.tandem.vrrp.net.VrrpLabSupport.await;
import static io.tandem.vrrp.net.VrrpLabSupport.config;
import static io.tandem.vrrp.net.VrrpLabSupport.holdsVip;
import static io.tandem.vrrp.net.VrrpLabSupport.quietly;
import static io.tandem.vrrp.net.VrrpLabSupport.state;
import static io.tandem.vrrp.net.VrrpLabSupport.vipText;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tandem.core.lab.Lab;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.LabIpv6;
import io.tandem.core.lab.WithLab;
import io.tandem.core.net.IpFamily;
import io.tandem.core.net.RawIpSocket;
import io.tandem.vrrp.VrrpState;
import io.tandem.vrrp.metrics.VrrpMetricNames;
import io.tandem.vrrp.packet.AddressFamily;
import io.tandem.vrrp.packet.VrrpChecksum;
import io.tandem.vrrp.packet.VrrpDropReason;
import io.tandem.vrrp.packet.VrrpVersion;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hostile and malformed VRRP packets, sent from director-b with a raw socket to the
 * group, at a Tandem master in director-a (RFC 9568 §7.1), over IPv4 (the TTL read from
 * the control message) and over IPv6 (the hop limit from IPV6_HOPLIMIT): each is dropped
 * and counted by reason, and none changes the master's state or takes its VIP. The spoofs
 * carry priority 255, which a valid packet would make the master yield to.
 */
@WithLab(realServers = 1)
class HostilePacketLabTest {
    private static final int VRID = VrrpLabSupport.VRID;

    /** A VRRPv3 advertisement from {@code source}: version/type, VRID, priority, count, interval, checksum, VIP. */
    private static byte[] advert(AddressFamily family, int versionType, int vrid, int priority, InetAddress source,
            boolean goodChecksum) throws Exception {
        InetAddress group = family == AddressFamily.IPV4 ? VrrpEngine.IPV4_GROUP : VrrpEngine.IPV6_GROUP;
        ByteBuf b = Unpooled.buffer();
        b.writeByte(versionType);                // version 3, type 1 = 0x31
        b.writeByte(vrid);                       // Virtual Rtr ID
        b.writeByte(priority);                   // Priority
        b.writeByte(1);                          // Count IPvX Addr
        b.writeShort(10);                        // rsvd + Max Adver Int: 10 cs
        b.writeShort(0);                         // Checksum, below
        b.writeBytes(InetAddress.getByName(vipText(family)).getAddress()); // IPvX Address
        long sum = VrrpChecksum.messageSum(b, 0, b.readableBytes())
                + VrrpChecksum.pseudoHeaderSum(source, group, b.readableBytes());
        int checksum = VrrpChecksum.compute(sum);
        b.setShort(6, goodChecksum ? checksum : checksum ^ 0x5555);
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        return bytes;
    }

    /** Sends {@code packet} {@code times} times to the group from {@code from}, with TTL / hop limit {@code ttl}. */
    private static void send(LabHost from, AddressFamily family, byte[] packet, int ttl, int times) throws Exception {
        from.call(() -> {
            IpFamily ip = family == AddressFamily.IPV4 ? IpFamily.IPV4 : IpFamily.IPV6;
            try (RawIpSocket s = RawIpSocket.open(ip, VrrpEngine.IPPROTO_VRRP)) {
                s.setMulticastInterface(from.interfaceName());
                s.setMulticastHopLimit(ttl);
                for (int i = 0; i < times; i++) {
                    s.send(family == AddressFamily.IPV4 ? VrrpEngine.IPV4_GROUP : VrrpEngine.IPV6_GROUP, packet, 0,
                            packet.length);
                }
            }
            return null;
        });
    }

    private static double dropped(SimpleMeterRegistry registry, VrrpDropReason reason) {
        return registry.find(VrrpMetricNames.forDrop(reason)).counters().stream().mapToDouble(Counter::count).sum();
    }

    @ParameterizedTest
    @EnumSource(AddressFamily.class)
    void malformedAndSpoofedAdvertisementsAreCountedAndChangeNothing(AddressFamily family, Lab lab) throws Exception {
        LabIpv6.enable(lab);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LabHost a = lab.directorA();
        LabHost b = lab.directorB();
        try (VrrpEngine master = a.call(() -> VrrpEngine.start(
                List.of(config(a, family, VrrpVersion.V3, Duration.ofMillis(100), 100, true)), registry,
                change -> { }))) {
            assertThat(await(Duration.ofSeconds(5), quietly(() -> state(master) == VrrpState.MASTER))).isNotNegative();
            InetAddress source = family == AddressFamily.IPV4 ? b.address() : LabIpv6.linkLocal(b);

            send(b, family, advert(family, 0x31, VRID, 255, source, true), 64, 5);   // TTL 64: off-link spoof
            send(b, family, advert(family, 0x31, VRID, 255, source, false), 255, 5); // checksum wrong
            send(b, family, advert(family, 0x11, VRID, 255, source, true), 255, 5);  // version 1
            send(b, family, advert(family, 0x32, VRID, 255, source, true), 255, 5);  // type 2
            send(b, family, advert(family, 0x31, 77, 255, source, true), 255, 5);    // a VRID nobody configured
            send(b, family, new byte[] {0x31, (byte) VRID, (byte) 255}, 255, 5);     // truncated header

            assertThat(await(Duration.ofSeconds(3), () -> dropped(registry, VrrpDropReason.PACKET_LENGTH) >= 5
                    && dropped(registry, VrrpDropReason.UNKNOWN_VRID) >= 5)).isNotNegative();
            assertThat(dropped(registry, VrrpDropReason.IP_TTL)).isEqualTo(5);
            assertThat(dropped(registry, VrrpDropReason.CHECKSUM)).isEqualTo(5);
            assertThat(dropped(registry, VrrpDropReason.VERSION)).isEqualTo(5);
            assertThat(dropped(registry, VrrpDropReason.INVALID_TYPE)).isEqualTo(5);
            assertThat(dropped(registry, VrrpDropReason.UNKNOWN_VRID)).isEqualTo(5);
            assertThat(dropped(registry, VrrpDropReason.PACKET_LENGTH)).isEqualTo(5);
            Thread.sleep(500); // five adverts: a transition, had one been caused, would show by now
            assertThat(state(master)).isEqualTo(VrrpState.MASTER);
            assertThat(holdsVip(a, family)).isTrue();

            // the control: the same spoof, well formed, does make a master yield (so the above proves the checks)
            send(b, family, advert(family, 0x31, VRID, 255, source, true), 255, 1);
            assertThat(await(Duration.ofSeconds(2), quietly(() -> state(master) == VrrpState.BACKUP)))
                    .as("a valid priority-255 advert is obeyed").isNotNegative();
        }
    }
}
