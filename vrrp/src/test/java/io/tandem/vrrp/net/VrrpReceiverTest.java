package io.tandem.vrrp.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tandem.core.net.ReceivedDatagram;
import io.tandem.core.net.ReceivedDatagrams;
import io.tandem.vrrp.VrrpInstanceConfig;
import io.tandem.vrrp.engine.VrrpAdvertisementDispatcher;
import io.tandem.vrrp.engine.VrrpInstance;
import io.tandem.vrrp.engine.VrrpInstanceTable;
import io.tandem.vrrp.packet.VrrpAdvertisement;
import io.tandem.vrrp.packet.VrrpChecksumMode;
import io.tandem.vrrp.packet.VrrpDecoder;
import io.tandem.vrrp.packet.VrrpEncoder;
import io.tandem.vrrp.testing.RecordingVipOwner;
import io.tandem.vrrp.testing.VirtualScheduler;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link VrrpReceiver} between a raw socket's buffer and the instances, for IPv6 (no IP header)
 * and IPv4 (the header first): the wire checks apply, the hop limit comes from the control
 * message, a repeat of the last accepted advertisement is handed on again, and any change in
 * bytes or hop limit is decoded (and, if bad, counted) afresh.
 */
class VrrpReceiverTest {
    private static final InetAddress PEER6 = InetAddress.ofLiteral("fe80::3");
    private static final InetAddress VIP6 = InetAddress.ofLiteral("fd77::100");
    private static final InetAddress GROUP6 = InetAddress.ofLiteral("ff02::12");
    private static final InetAddress PEER4 = InetAddress.ofLiteral("10.0.0.3");
    private static final InetAddress VIP4 = InetAddress.ofLiteral("10.0.0.100");
    private static final InetAddress GROUP4 = InetAddress.ofLiteral("224.0.0.18");

    private final VirtualScheduler clock = new VirtualScheduler();
    private final List<String> drops = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MemorySegment buffer = Arena.ofAuto().allocate(4096, 8);
    private final ReceivedDatagram datagram = new ReceivedDatagram();
    private VrrpReceiver receiver6;
    private VrrpReceiver receiver4;

    @BeforeEach
    void setUp() {
        VrrpInstanceTable table = new VrrpInstanceTable();
        table.add(instance("VI_6", InetAddress.ofLiteral("fe80::2"), VIP6));
        table.add(instance("VI_4", InetAddress.ofLiteral("10.0.0.2"), VIP4));
        VrrpAdvertisementDispatcher dispatcher = new VrrpAdvertisementDispatcher(table,
                (reason, intf, vrid) -> drops.add(reason + " " + vrid), clock::nanoTime);
        VrrpDecoder decoder = new VrrpDecoder((reason, intf, vrid) -> drops.add(reason + " " + vrid),
                clock::nanoTime, 1);
        receiver6 = new VrrpReceiver("eth0", GROUP6, decoder, dispatcher, (reason, intf, vrid) -> drops.add(
                reason + " " + vrid));
        receiver4 = new VrrpReceiver("eth0", GROUP4, decoder, dispatcher, (reason, intf, vrid) -> drops.add(
                reason + " " + vrid));
    }

    private VrrpInstance instance(String name, InetAddress primary, InetAddress vip) {
        VrrpInstanceConfig config = VrrpInstanceConfig.builder(name, "eth0", 51).primaryAddress(primary)
                .virtualAddresses(List.of(vip)).build();
        return new VrrpInstance(config, clock, a -> { }, new RecordingVipOwner(), registry);
    }

    /** Advertisements the instance accepted (keepalived_advertisements_received_total). */
    private double received(String instance) {
        return registry.get("keepalived.advertisements.received").tag("iname", instance).counter().count();
    }

    /** Writes the advert at {@code offset} of the buffer; returns its length. */
    private int advert(int offset, int priority, InetAddress source, InetAddress group, InetAddress vip) {
        ByteBuf buf = Unpooled.buffer();
        VrrpEncoder.write(VrrpAdvertisement.v3(51, priority, 1, List.of(vip)), source, group,
                VrrpChecksumMode.IPV4_PSEUDO_HEADER, buf);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        MemorySegment.copy(bytes, 0, buffer, ValueLayout.JAVA_BYTE, offset, bytes.length);
        return bytes.length;
    }

    private void receive6(int hopLimit, int length) {
        receiver6.received(buffer, ReceivedDatagrams.fill(datagram, PEER6, GROUP6, hopLimit, 0, length));
    }

    @Test
    void ipv6AdvertisementsPassWithHopLimit255AndRepeatsAreDeliveredAgain() {
        int length = advert(0, 100, PEER6, GROUP6, VIP6);
        receive6(255, length);
        receive6(255, length);
        receive6(255, length);
        assertThat(drops).isEmpty();
        assertThat(received("VI_6")).isEqualTo(3);

        receive6(64, length); // the same bytes off-link: never taken as a repeat
        assertThat(drops).containsExactly("IP_TTL 51");

        buffer.set(ValueLayout.JAVA_BYTE, 7, (byte) (buffer.get(ValueLayout.JAVA_BYTE, 7) ^ 1)); // checksum broken
        receive6(255, length);
        assertThat(drops).containsExactly("IP_TTL 51", "CHECKSUM 51");

        advert(0, 120, PEER6, GROUP6, VIP6); // a new priority, same length: decoded afresh
        receive6(255, length);
        assertThat(drops).hasSize(2);
        assertThat(received("VI_6")).isEqualTo(4);
        assertThat(received("VI_4")).isZero();
    }

    @Test
    void aTruncatedDatagramIsAPacketLengthError() {
        int length = advert(0, 100, PEER6, GROUP6, VIP6);
        receiver6.received(buffer, ReceivedDatagrams.truncated(
                ReceivedDatagrams.fill(datagram, PEER6, GROUP6, 255, 0, length)));
        assertThat(drops).containsExactly("PACKET_LENGTH 0");
    }

    @Test
    void ipv4PayloadStartsAfterTheHeader() {
        int length = advert(20, 100, PEER4, GROUP4, VIP4);
        receiver4.received(buffer, ReceivedDatagrams.fill(datagram, PEER4, GROUP4, 255, 20, 20 + length));
        receiver4.received(buffer, ReceivedDatagrams.fill(datagram, PEER4, GROUP4, 255, 20, 20 + length));
        assertThat(drops).isEmpty();
        assertThat(received("VI_4")).isEqualTo(2);
        receiver4.received(buffer, ReceivedDatagrams.fill(datagram, PEER4, GROUP4, 255, 20, 10));
        assertThat(drops).containsExactly("PACKET_LENGTH 0");
    }
}
