package io.tandem.vrrp.engine;

import static io.tandem.vrrp.testing.VirtualScheduler.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.tandem.vrrp.VrrpInstanceConfig;
import io.tandem.vrrp.VrrpState;
import io.tandem.vrrp.metrics.VrrpDropCounters;
import io.tandem.vrrp.packet.InboundAdvertisement;
import io.tandem.vrrp.packet.VrrpChecksumMode;
import io.tandem.vrrp.packet.VrrpDatagram;
import io.tandem.vrrp.packet.VrrpDecoder;
import io.tandem.vrrp.packet.VrrpEncoder;
import io.tandem.vrrp.packet.VrrpAdvertisement;
import io.tandem.vrrp.testing.RecordingVipOwner;
import io.tandem.vrrp.testing.VirtualScheduler;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Decoder, dispatcher and a MASTER instance, as the receiver chains them: hostile packets change nothing. */
class VrrpReceivePipelineTest {
    private static final InetAddress ATTACKER = InetAddress.ofLiteral("10.0.0.66");
    private static final InetAddress GROUP = InetAddress.ofLiteral("224.0.0.18");
    private static final InetAddress VIP = InetAddress.ofLiteral("10.0.0.100");

    private final VirtualScheduler clock = new VirtualScheduler();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private VrrpInstance master;
    private VrrpDecoder decoder;
    private VrrpAdvertisementDispatcher dispatcher;

    @BeforeEach
    void setUp() {
        master = new VrrpInstance(VrrpInstanceConfig.builder("VI_1", "eth0", 51)
                .primaryAddress(InetAddress.ofLiteral("10.0.0.2")).virtualAddresses(List.of(VIP)).build(),
                clock, a -> { }, new RecordingVipOwner(), registry);
        VrrpInstanceTable table = new VrrpInstanceTable();
        table.add(master);
        VrrpDropCounters drops = new VrrpDropCounters(registry, table);
        decoder = new VrrpDecoder(drops, clock::nanoTime, seconds(10));
        dispatcher = new VrrpAdvertisementDispatcher(table, drops, clock::nanoTime);
        master.start();
        clock.advanceBy(seconds(4));
        assertThat(master.state()).isEqualTo(VrrpState.MASTER);
    }

    private void receive(int vrid, int priority, int ttl) {
        var buf = Unpooled.buffer();
        VrrpEncoder.write(VrrpAdvertisement.v3(vrid, priority, 100, List.of(VIP)), ATTACKER, GROUP,
                VrrpChecksumMode.IPV4_PSEUDO_HEADER, buf);
        VrrpDatagram datagram = new VrrpDatagram(buf, ATTACKER, GROUP, ttl, "eth0");
        try {
            InboundAdvertisement inbound = decoder.decode(datagram);
            if (inbound != null) {
                dispatcher.dispatch(inbound);
            }
        } finally {
            datagram.release();
        }
    }

    private double count(String name, String iname, String vrid) {
        return registry.get(name).tags("iname", iname, "intf", "eth0", "vrid", vrid).counter().count();
    }

    @Test
    void ownerSpoofFromOffLinkIsDroppedByTtl() {
        receive(51, 255, 254);
        receive(51, 0, 64);
        assertThat(master.state()).isEqualTo(VrrpState.MASTER);
        assertThat(count("keepalived.ip.ttl.errors", "VI_1", "51")).isEqualTo(2.0);
        assertThat(count("keepalived.advertisements.received", "VI_1", "51")).isZero();
    }

    @Test
    void unknownVridIsCountedAndIgnored() {
        receive(52, 255, 255);
        assertThat(master.state()).isEqualTo(VrrpState.MASTER);
        assertThat(count("tandem.vrrp.unknown.vrid", "", "52")).isEqualTo(1.0);
    }

    @Test
    void anOnLinkHigherPriorityAdvertisementIsObeyed() {
        // the same packet with TTL 255 passes: proves the drops above were the TTL check
        receive(51, 255, 255);
        assertThat(master.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(count("keepalived.advertisements.received", "VI_1", "51")).isEqualTo(1.0);
    }
}
