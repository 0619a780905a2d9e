package io.tandem.vrrp.packet;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Packets written out byte by byte, decoded and encoded through the real handlers.
 * The checksums were computed independently (RFC 1071 in a few lines of Python).
 */
class VrrpCodecTest {
    private static final InetAddress V4_SOURCE = InetAddress.ofLiteral("10.0.0.2");
    private static final InetAddress V4_GROUP = InetAddress.ofLiteral("224.0.0.18");
    private static final InetAddress V6_SOURCE = InetAddress.ofLiteral("fe80::2");
    private static final InetAddress V6_GROUP = InetAddress.ofLiteral("ff02::12");

    private final List<String> drops = new ArrayList<>();

    private EmbeddedChannel decoderChannel() {
        return new EmbeddedChannel(new VrrpDecoder((reason, intf, vrid) -> drops.add(reason + " " + intf + " " + vrid)));
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static final byte[] V2_PACKET = bytes(
            0x21,                   // Version 2, Type 1 (ADVERTISEMENT)
            0x33,                   // Virtual Rtr ID 51
            0x64,                   // Priority 100
            0x01,                   // Count IP Addrs 1
            0x00,                   // Auth Type 0 (no authentication)
            0x01,                   // Adver Int 1 s
            0xb8, 0xbd,             // Checksum over the message only
            192, 168, 1, 100,       // IP Address 192.168.1.100
            0, 0, 0, 0,             // Authentication Data (1)
            0, 0, 0, 0);            // Authentication Data (2)

    private static final byte[] V2_PASS_PACKET = bytes(
            0x21,                   // Version 2, Type 1
            0x33,                   // Virtual Rtr ID 51
            0x64,                   // Priority 100
            0x01,                   // Count IP Addrs 1
            0x01,                   // Auth Type 1 (simple text password)
            0x01,                   // Adver Int 1 s
            0x7b, 0x71,             // Checksum
            192, 168, 1, 100,       // IP Address 192.168.1.100
            's', 'e', 'c', 'r',     // Authentication Data (1): "secr"
            'e', 't', 0, 0);        // Authentication Data (2): "et", zero padded

    private static final byte[] V3_IPV4_PSEUDO_HEADER_PACKET = bytes(
            0x31,                   // Version 3, Type 1
            0x33,                   // Virtual Rtr ID 51
            0x64,                   // Priority 100
            0x01,                   // Count IPvX Addr 1
            0x00, 0x64,             // rsvd 0, Max Adver Int 100 cs (1 s)
            0x75, 0x72,             // Checksum with the IPv4 pseudo-header 10.0.0.2 -> 224.0.0.18 (RFC 5798, keepalived)
            10, 0, 0, 100);         // IPv4 Address 10.0.0.100

    private static final byte[] V3_IPV4_MESSAGE_ONLY_PACKET = bytes(
            0x31,                   // Version 3, Type 1
            0x33,                   // Virtual Rtr ID 51
            0x64,                   // Priority 100
            0x01,                   // Count IPvX Addr 1
            0x00, 0x64,             // rsvd 0, Max Adver Int 100 cs
            0x60, 0x03,             // Checksum over the message only (RFC 9568 §5.2.8, v3_checksum_as_v2)
            10, 0, 0, 100);         // IPv4 Address 10.0.0.100

    private static final byte[] V3_IPV6_PACKET = bytes(
            0x31,                   // Version 3, Type 1
            0x07,                   // Virtual Rtr ID 7
            0xc8,                   // Priority 200
            0x01,                   // Count IPvX Addr 1
            0x00, 0x64,             // rsvd 0, Max Adver Int 100 cs
            0xd9, 0xb9,             // Checksum with the IPv6 pseudo-header fe80::2 -> ff02::12
            0x20, 0x01, 0x0d, 0xb8, // IPv6 Address 2001:db8::100
            0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x01, 0x00);

    private InboundAdvertisement decode(byte[] packet, InetAddress source, InetAddress destination) {
        EmbeddedChannel channel = decoderChannel();
        ByteBuf buf = Unpooled.wrappedBuffer(packet);
        assertThat(channel.writeInbound(new VrrpDatagram(buf, source, destination, 255, "eth0"))).isTrue();
        InboundAdvertisement inbound = channel.readInbound();
        assertThat(buf.refCnt()).isZero();
        assertThat(channel.finish()).isFalse();
        assertThat(drops).isEmpty();
        return inbound;
    }

    private static byte[] encode(VrrpAdvertisement advertisement, InetAddress source, InetAddress destination,
                                 VrrpChecksumMode mode) {
        EmbeddedChannel channel = new EmbeddedChannel(new VrrpEncoder(mode));
        assertThat(channel.writeOutbound(new OutboundAdvertisement(advertisement, source, destination, "eth0"))).isTrue();
        VrrpDatagram datagram = channel.readOutbound();
        try {
            assertThat(datagram.ttl()).isEqualTo(255);
            assertThat(datagram.source()).isEqualTo(source);
            assertThat(datagram.destination()).isEqualTo(destination);
            return ByteBufUtil.getBytes(datagram.content());
        } finally {
            datagram.release();
            channel.finish();
        }
    }

    @Test
    void decodesV2() {
        InboundAdvertisement inbound = decode(V2_PACKET, InetAddress.ofLiteral("192.168.1.2"), V4_GROUP);
        VrrpAdvertisement a = inbound.advertisement();
        assertThat(a.version()).isEqualTo(VrrpVersion.V2);
        assertThat(a.vrid()).isEqualTo(51);
        assertThat(a.priority()).isEqualTo(100);
        assertThat(a.adverInterval()).isEqualTo(1);
        assertThat(a.adverIntervalNanos()).isEqualTo(1_000_000_000L);
        assertThat(a.authType()).isEqualTo(VrrpAuthType.NO_AUTHENTICATION);
        assertThat(a.addresses()).containsExactly(InetAddress.ofLiteral("192.168.1.100"));
        assertThat(inbound.source()).isEqualTo(InetAddress.ofLiteral("192.168.1.2"));
        assertThat(inbound.interfaceName()).isEqualTo("eth0");
    }

    @Test
    void encodesV2() {
        VrrpAdvertisement a = VrrpAdvertisement.v2(51, 100, 1, List.of(InetAddress.ofLiteral("192.168.1.100")));
        assertThat(encode(a, InetAddress.ofLiteral("192.168.1.2"), V4_GROUP, VrrpChecksumMode.IPV4_PSEUDO_HEADER))
                .isEqualTo(V2_PACKET);
    }

    @Test
    void v2SimplePasswordBothWays() {
        VrrpAdvertisement a = decode(V2_PASS_PACKET, InetAddress.ofLiteral("192.168.1.2"), V4_GROUP).advertisement();
        assertThat(a.authType()).isEqualTo(VrrpAuthType.SIMPLE_TEXT_PASSWORD);
        assertThat(a.authDataEquals("secret\0\0".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(encode(a, InetAddress.ofLiteral("192.168.1.2"), V4_GROUP, VrrpChecksumMode.MESSAGE_ONLY))
                .isEqualTo(V2_PASS_PACKET);
    }

    @Test
    void decodesV3Ipv4WithPseudoHeaderChecksum() {
        VrrpAdvertisement a = decode(V3_IPV4_PSEUDO_HEADER_PACKET, V4_SOURCE, V4_GROUP).advertisement();
        assertThat(a.version()).isEqualTo(VrrpVersion.V3);
        assertThat(a.family()).isEqualTo(AddressFamily.IPV4);
        assertThat(a.vrid()).isEqualTo(51);
        assertThat(a.priority()).isEqualTo(100);
        assertThat(a.adverInterval()).isEqualTo(100);
        assertThat(a.adverIntervalNanos()).isEqualTo(1_000_000_000L);
        assertThat(a.addresses()).containsExactly(InetAddress.ofLiteral("10.0.0.100"));
    }

    @Test
    void decodesV3Ipv4WithMessageOnlyChecksum() {
        VrrpAdvertisement a = decode(V3_IPV4_MESSAGE_ONLY_PACKET, V4_SOURCE, V4_GROUP).advertisement();
        assertThat(a).isEqualTo(VrrpAdvertisement.v3(51, 100, 100, List.of(InetAddress.ofLiteral("10.0.0.100"))));
    }

    @Test
    void encodesV3Ipv4InTheConfiguredChecksumForm() {
        VrrpAdvertisement a = VrrpAdvertisement.v3(51, 100, 100, List.of(InetAddress.ofLiteral("10.0.0.100")));
        assertThat(encode(a, V4_SOURCE, V4_GROUP, VrrpChecksumMode.IPV4_PSEUDO_HEADER))
                .isEqualTo(V3_IPV4_PSEUDO_HEADER_PACKET);
        assertThat(encode(a, V4_SOURCE, V4_GROUP, VrrpChecksumMode.MESSAGE_ONLY))
                .isEqualTo(V3_IPV4_MESSAGE_ONLY_PACKET);
    }

    @Test
    void pseudoHeaderChecksumFromAnotherSourceIsRejected() {
        // the pseudo-header binds the checksum to 10.0.0.2; the same bytes from 10.0.0.3 do not verify
        EmbeddedChannel channel = decoderChannel();
        channel.writeInbound(new VrrpDatagram(Unpooled.wrappedBuffer(V3_IPV4_PSEUDO_HEADER_PACKET),
                InetAddress.ofLiteral("10.0.0.3"), V4_GROUP, 255, "eth0"));
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(drops).containsExactly("CHECKSUM eth0 51");
    }

    @Test
    void decodesV3Ipv6() {
        VrrpAdvertisement a = decode(V3_IPV6_PACKET, V6_SOURCE, V6_GROUP).advertisement();
        assertThat(a.family()).isEqualTo(AddressFamily.IPV6);
        assertThat(a.vrid()).isEqualTo(7);
        assertThat(a.priority()).isEqualTo(200);
        assertThat(a.addresses()).containsExactly(InetAddress.ofLiteral("2001:db8::100"));
    }

    @Test
    void encodesV3Ipv6AlwaysWithPseudoHeader() {
        VrrpAdvertisement a = VrrpAdvertisement.v3(7, 200, 100, List.of(InetAddress.ofLiteral("2001:db8::100")));
        assertThat(encode(a, V6_SOURCE, V6_GROUP, VrrpChecksumMode.MESSAGE_ONLY)).isEqualTo(V3_IPV6_PACKET);
        assertThat(encode(a, V6_SOURCE, V6_GROUP, VrrpChecksumMode.IPV4_PSEUDO_HEADER)).isEqualTo(V3_IPV6_PACKET);
    }

    @Test
    void roundTripsManyAddressesAndTheLargestInterval() {
        List<InetAddress> addresses = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            addresses.add(InetAddress.ofLiteral("10.1.0." + i));
        }
        VrrpAdvertisement a = VrrpAdvertisement.v3(255, 255, 4095, addresses);
        byte[] wire = encode(a, V4_SOURCE, V4_GROUP, VrrpChecksumMode.IPV4_PSEUDO_HEADER);
        assertThat(wire).hasSize(8 + 20 * 4);
        assertThat(decode(wire, V4_SOURCE, V4_GROUP).advertisement()).isEqualTo(a);
    }
}
