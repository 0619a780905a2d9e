package io.tandem.vrrp.testing;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tandem.vrrp.VrrpInstanceConfig;
import io.tandem.vrrp.engine.VrrpInstance;
import io.tandem.vrrp.packet.InboundAdvertisement;
import io.tandem.vrrp.packet.VrrpAdvertisement;
import io.tandem.vrrp.packet.VrrpDatagram;
import io.tandem.vrrp.packet.VrrpDecoder;
import io.tandem.vrrp.packet.VrrpEncoder;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A multicast segment on the virtual clock: each advertisement an instance sends is
 * encoded, decoded like a received packet and delivered to the other instances of the
 * same VRID after {@code delayNanos}. It records what was sent, and when.
 */
public final class VirtualLan {
    /** One advertisement on the wire. */
    public record Sent(long atNanos, String instance, VrrpAdvertisement advertisement) {
    }

    private final VirtualScheduler scheduler;
    private final MeterRegistry registry;
    private final long delayNanos;
    private final List<VrrpInstance> instances = new ArrayList<>();
    private final java.util.Set<String> muted = new java.util.HashSet<>();
    private final VrrpDecoder decoder;
    public final List<Sent> sent = new ArrayList<>();

    public VirtualLan(VirtualScheduler scheduler, MeterRegistry registry, long delayNanos) {
        this.scheduler = scheduler;
        this.registry = registry;
        this.delayNanos = delayNanos;
        this.decoder = new VrrpDecoder((reason, intf, vrid) -> {
            throw new AssertionError("the virtual LAN dropped a packet: " + reason);
        }, scheduler::nanoTime, 1);
    }

    /** Creates an instance attached to this segment. */
    public VrrpInstance attach(VrrpInstanceConfig config, RecordingVipOwner vipOwner) {
        VrrpInstance[] self = new VrrpInstance[1];
        self[0] = new VrrpInstance(config, scheduler, advertisement -> send(self[0], advertisement), vipOwner, registry);
        instances.add(self[0]);
        return self[0];
    }

    /** From now on, what {@code instance} sends is lost (a router that died without a word). */
    public void mute(String instance) {
        muted.add(instance);
    }

    /** What {@code instance} sends reaches the others again. */
    public void unmute(String instance) {
        muted.remove(instance);
    }

    private void send(VrrpInstance from, VrrpAdvertisement advertisement) {
        if (muted.contains(from.name())) {
            return;
        }
        sent.add(new Sent(scheduler.nanoTime(), from.name(), advertisement));
        InetAddress source = from.config().primaryAddress();
        InetAddress group = InetAddress.ofLiteral(source.getAddress().length == 4 ? "224.0.0.18" : "ff02::12");
        ByteBuf buf = Unpooled.buffer();
        VrrpEncoder.write(advertisement, source, group, from.config().checksumMode(), buf);
        VrrpDatagram datagram = new VrrpDatagram(buf, source, group, 255, from.config().interfaceName());
        InboundAdvertisement inbound;
        try {
            inbound = decoder.decode(datagram);
        } finally {
            datagram.release();
        }
        for (VrrpInstance to : instances) {
            if (to != from && to.config().vrid() == advertisement.vrid()) {
                scheduler.schedule(() -> to.onAdvertisement(inbound), delayNanos);
            }
        }
    }

    /** Advertisements {@code instance} sent. */
    public List<Sent> sentBy(String instance) {
        return sent.stream().filter(s -> s.instance().equals(instance)).toList();
    }
}
