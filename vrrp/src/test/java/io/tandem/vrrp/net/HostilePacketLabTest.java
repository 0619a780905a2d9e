package io.tandem.vrrp.net;

import static io.tandem.vrrp.net.VrrpLabSupport.await;
import static io.tandem.vrrp.net.VrrpLabSupport.config;
import static io.tandem.vrrp.net.VrrpLabSupport.holdsVip;
import static io.tandem.vrrp.net.VrrpLabSupport.quietly;
import static io.tandem.vrrp.net.VrrpLabSupport.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tandem.core.lab.Lab;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.WithLab;
import io.tandem.core.net.IpFamily;
import io.tandem.core.net.RawIpSocket;
import io.tandem.vrrp.VrrpState;
import io.tandem.vrrp.metrics.VrrpMetricNames;
import io.tandem.vrrp.packet.VrrpChecksum;
import io.tandem.vrrp.packet.VrrpDropReason;
import io.tandem.vrrp.packet.VrrpVersion;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hostile and malformed VRRP packets, sent from director-b with a raw socket to the
 * group, at a Tandem master in director-a (RFC 9568 §7.1): each is dropped and counted
 * by reason, and none changes the master's state or takes its VIP. The spoofs carry
 * priority 255, which a valid packet would make the master yield to.
 */
@WithLab(realServers = 1)
class HostilePacketLabTest {
    private static final int VRID = VrrpLabSupport.VRID;

    /** A VRRPv3 advertisement from {@code source}: version/type, VRID, priority, count, interval, checksum, VIP. */
    private static byte[] advert(int versionType, int vrid, int priority, InetAddress source, boolean goodChecksum)
            throws Exception {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(versionType);                // version 3, type 1 = 0x31
        b.writeByte(vrid);                       // Virtual Rtr ID
        b.writeByte(priority);                   // Priority
        b.writeByte(1);                          // Count IPvX Addr
        b.writeShort(10);                        // rsvd + Max Adver Int: 10 cs
        b.writeShort(0);                         // Checksum, below
        b.writeBytes(VrrpLabSupport.vip().getAddress()); // IPvX Address
        long sum = VrrpChecksum.messageSum(b, 0, b.readableBytes())
                + VrrpChecksum.pseudoHeaderSum(source, VrrpEngine.IPV4_GROUP, b.readableBytes());
        int checksum = VrrpChecksum.compute(sum);
        b.setShort(6, goodChecksum ? checksum : checksum ^ 0x5555);
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        return bytes;
    }

    private static void send(LabHost from, byte[] packet, int ttl, int times) throws Exception {
        from.call(() -> {
            try (RawIpSocket s = RawIpSocket.open(IpFamily.IPV4, VrrpEngine.IPPROTO_VRRP)) {
                s.setMulticastInterface(from.interfaceName());
                s.setMulticastHopLimit(ttl);
                for (int i = 0; i < times; i++) {
                    s.send(VrrpEngine.IPV4_GROUP, packet, 0, packet.length);
                }
            }
            return null;
        });
    }

    private static double dropped(SimpleMeterRegistry registry, VrrpDropReason reason) {
        return registry.find(VrrpMetricNames.forDrop(reason)).counters().stream().mapToDouble(Counter::count).sum();
    }

    @Test
    void malformedAndSpoofedAdvertisementsAreCountedAndChangeNothing(Lab lab) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LabHost a = lab.directorA();
        LabHost b = lab.directorB();
        try (VrrpEngine master = a.call(() -> VrrpEngine.start(
                List.of(config(a, VrrpVersion.V3, Duration.ofMillis(100), 100, true)), registry, change -> { }))) {
            assertThat(await(Duration.ofSeconds(5), quietly(() -> state(master) == VrrpState.MASTER))).isNotNegative();
            InetAddress source = b.address();

            send(b, advert(0x31, VRID, 255, source, true), 64, 5);        // TTL 64: off-link spoof
            send(b, advert(0x31, VRID, 255, source, false), 255, 5);      // checksum wrong
            send(b, advert(0x11, VRID, 255, source, true), 255, 5);       // version 1
            send(b, advert(0x32, VRID, 255, source, true), 255, 5);       // type 2
            send(b, advert(0x31, 77, 255, source, true), 255, 5);         // a VRID nobody configured
            send(b, new byte[] {0x31, (byte) VRID, (byte) 255}, 255, 5);  // truncated header

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
            assertThat(holdsVip(a)).isTrue();

            // the control: the same spoof, well formed, does make a master yield (so the above proves the checks)
            send(b, advert(0x31, VRID, 255, source, true), 255, 1);
            assertThat(await(Duration.ofSeconds(2), quietly(() -> state(master) == VrrpState.BACKUP)))
                    .as("a valid priority-255 advert is obeyed").isNotNegative();
        }
    }
}
