package io.tandem.vrrp.packet;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tandem.vrrp.metrics.VrrpDropCounters;
import java.net.InetAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hostile and malformed packets: each is dropped, released and counted under its reason; nothing is thrown. */
class VrrpDecoderDropTest {
    private static final InetAddress SOURCE = InetAddress.ofLiteral("10.0.0.3");
    private static final InetAddress GROUP = InetAddress.ofLiteral("224.0.0.18");

    private SimpleMeterRegistry registry;
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() {
        registry = new SimpleMeterRegistry();
        VrrpDropCounters counters = new VrrpDropCounters(registry, (intf, vrid) -> vrid == 51 ? "VI_1" : null);
        channel = new EmbeddedChannel(new VrrpDecoder(counters));
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** Sets a correct message-only checksum (so that only the field under test is wrong). */
    private static byte[] withChecksum(byte[] packet) {
        packet[6] = 0;
        packet[7] = 0;
        int checksum = io.tandem.core.packet.InternetChecksum.fold(
                io.tandem.core.packet.InternetChecksum.sum(packet, 0, packet.length, 0));
        packet[6] = (byte) (checksum >>> 8);
        packet[7] = (byte) checksum;
        return packet;
    }

    private void assertDropped(byte[] packet, int ttl, InetAddress source, InetAddress destination,
                               String counter, String iname, String vrid) {
        ByteBuf buf = Unpooled.buffer(packet.length).writeBytes(packet); // not the shared EMPTY_BUFFER
        assertThat(channel.writeInbound(new VrrpDatagram(buf, source, destination, ttl, "eth0"))).isFalse();
        assertThat(buf.refCnt()).as("released").isZero();
        assertThat(registry.get(counter).tags("iname", iname, "intf", "eth0", "vrid", vrid).counter().count())
                .isEqualTo(1.0);
        assertThat(registry.getMeters()).as("only one counter moved").hasSize(1);
    }

    private void assertDropped(byte[] packet, int ttl, String counter, String iname, String vrid) {
        assertDropped(packet, ttl, SOURCE, GROUP, counter, iname, vrid);
    }

    @Test
    void ttl64IsDropped() {
        byte[] packet = withChecksum(bytes(0x31, 0x33, 0x64, 0x01, 0x00, 0x64, 0, 0, 10, 0, 0, 100));
        assertDropped(packet, 64, "keepalived.ip.ttl.errors", "VI_1", "51");
    }

    @Test
    void priority255SpoofWithWrongTtlIsDropped() {
        // a valid-looking owner advertisement (priority 255) that crossed a router: TTL 254
        byte[] packet = withChecksum(bytes(0x31, 0x33, 0xff, 0x01, 0x00, 0x64, 0, 0, 10, 0, 0, 100));
        assertDropped(packet, 254, "keepalived.ip.ttl.errors", "VI_1", "51");
    }

    @Test
    void truncatedHeaderIsDropped() {
        assertDropped(bytes(0x31, 0x33, 0x64, 0x01, 0x00), 255, "keepalived.packet.length.errors", "VI_1", "51");
    }

    @Test
    void emptyPacketIsDroppedWithVridUnknown() {
        assertDropped(new byte[0], 255, "keepalived.packet.length.errors", "", "0");
    }

    @Test
    void truncatedAddressListIsDropped() {
        // Count IPvX Addr 2, only one address present
        byte[] packet = withChecksum(bytes(0x31, 0x33, 0x64, 0x02, 0x00, 0x64, 0, 0, 10, 0, 0, 100));
        assertDropped(packet, 255, "keepalived.packet.length.errors", "VI_1", "51");
    }

    @Test
    void trailingBytesAreDropped() {
        byte[] packet = withChecksum(bytes(0x31, 0x33, 0x64, 0x01, 0x00, 0x64, 0, 0, 10, 0, 0, 100, 0, 0, 0, 0));
        assertDropped(packet, 255, "keepalived.packet.length.errors", "VI_1", "51");
    }

    @Test
    void badChecksumIsDropped() {
        byte[] packet = withChecksum(bytes(0x31, 0x33, 0x64, 0x01, 0x00, 0x64, 0, 0, 10, 0, 0, 100));
        packet[7] ^= 0x01;
        assertDropped(packet, 255, "tandem.vrrp.checksum.errors", "VI_1", "51");
    }

    @Test
    void unknownVersionIsDropped() {
        byte[] packet = withChecksum(bytes(0x41, 0x33, 0x64, 0x01, 0x00, 0x64, 0, 0, 10, 0, 0, 100));
        assertDropped(packet, 255, "tandem.vrrp.version.errors", "VI_1", "51");
    }

    @Test
    void v2OverIpv6IsDropped() {
        byte[] packet = bytes(0x21, 0x33, 0x64, 0x01, 0x00, 0x01, 0, 0,
                0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0);
        assertDropped(packet, 255, InetAddress.ofLiteral("fe80::3"), InetAddress.ofLiteral("ff02::12"),
                "tandem.vrrp.version.errors", "VI_1", "51");
    }

    @Test
    void unknownTypeIsDropped() {
        byte[] packet = withChecksum(bytes(0x32, 0x33, 0x64, 0x01, 0x00, 0x64, 0, 0, 10, 0, 0, 100));
        assertDropped(packet, 255, "keepalived.invalid.type.received", "VI_1", "51");
    }

    @Test
    void zeroAddressesIsDropped() {
        byte[] packet = withChecksum(bytes(0x31, 0x33, 0x64, 0x00, 0x00, 0x64, 0, 0));
        assertDropped(packet, 255, "keepalived.address.list.errors", "VI_1", "51");
    }

    @Test
    void zeroIntervalIsDropped() {
        byte[] packet = withChecksum(bytes(0x31, 0x33, 0x64, 0x01, 0x00, 0x00, 0, 0, 10, 0, 0, 100));
        assertDropped(packet, 255, "keepalived.advertisements.interval.errors", "VI_1", "51");
    }

    @Test
    void reservedBitsDoNotCountAsInterval() {
        // rsvd bits set, Max Adver Int 0: still an interval of 0
        byte[] packet = withChecksum(bytes(0x31, 0x33, 0x64, 0x01, 0xf0, 0x00, 0, 0, 10, 0, 0, 100));
        assertDropped(packet, 255, "keepalived.advertisements.interval.errors", "VI_1", "51");
    }

    @Test
    void unknownV2AuthTypeIsDropped() {
        byte[] packet = withChecksum(bytes(0x21, 0x33, 0x64, 0x01, 0x07, 0x01, 0, 0, 10, 0, 0, 100,
                0, 0, 0, 0, 0, 0, 0, 0));
        assertDropped(packet, 255, "keepalived.authentication.invalid", "VI_1", "51");
    }

    @Test
    void vridZeroIsDropped() {
        byte[] packet = withChecksum(bytes(0x31, 0x00, 0x64, 0x01, 0x00, 0x64, 0, 0, 10, 0, 0, 100));
        assertDropped(packet, 255, "tandem.vrrp.unknown.vrid", "", "0");
    }

    @Test
    void aFloodOfBadPacketsIsCountedNotThrown() {
        byte[] packet = bytes(0x31, 0x33);
        for (int i = 0; i < 1000; i++) {
            channel.writeInbound(new VrrpDatagram(Unpooled.wrappedBuffer(packet), SOURCE, GROUP, 255, "eth0"));
        }
        channel.checkException();
        assertThat(registry.get("keepalived.packet.length.errors").counter().count()).isEqualTo(1000.0);
    }
}
