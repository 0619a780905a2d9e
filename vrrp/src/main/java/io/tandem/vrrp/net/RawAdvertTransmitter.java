package io.tandem.vrrp.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DatagramPacket;
import io.tandem.vrrp.AdvertTransmitter;
import io.tandem.vrrp.VrrpInstanceConfig;
import io.tandem.vrrp.packet.RateLimiter;
import io.tandem.vrrp.packet.VrrpAdvertisement;
import io.tandem.vrrp.packet.VrrpEncoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one instance's advertisements through the interface's raw VRRP channel: to the
 * multicast group 224.0.0.18 (RFC 9568 §5.1.1.2) or, with unicast peers, to each of
 * them; the kernel writes the IPv4 header with TTL 255 (set on the socket, §5.1.1.3).
 * The checksum covers the instance's primary address as the source (§5.2.8), which is
 * the interface's first address unless {@code unicast_src_ip} says otherwise. A failed
 * send is counted and logged at most once per 10 s; it never throws.
 */
public final class RawAdvertTransmitter implements AdvertTransmitter {
    private static final Logger LOG = LoggerFactory.getLogger(RawAdvertTransmitter.class);

    private final Channel channel;
    private final VrrpInstanceConfig config;
    private final List<InetSocketAddress> destinations;
    private final RateLimiter logLimiter = new RateLimiter(TimeUnit.SECONDS.toNanos(10), System::nanoTime);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public RawAdvertTransmitter(Channel channel, VrrpInstanceConfig config, InetAddress multicastGroup) {
        this.channel = channel;
        this.config = config;
        List<InetAddress> targets = config.unicastPeers().isEmpty() ? List.of(multicastGroup) : config.unicastPeers();
        this.destinations = targets.stream().map(a -> new InetSocketAddress(a, 0)).toList();
    }

    @Override
    public void transmit(VrrpAdvertisement advertisement) {
        for (InetSocketAddress destination : destinations) {
            ByteBuf buf = channel.alloc().buffer(VrrpEncoder.length(advertisement));
            VrrpEncoder.write(advertisement, config.primaryAddress(), destination.getAddress(), config.checksumMode(),
                    buf);
            channel.writeAndFlush(new DatagramPacket(buf, destination)).addListener((ChannelFuture f) -> {
                if (f.isSuccess()) {
                    sent.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                    if (logLimiter.tryAcquire()) {
                        LOG.warn("{}: advertisement to {} on {} not sent: {}", config.name(),
                                destination.getAddress().getHostAddress(), config.interfaceName(),
                                f.cause().toString());
                    }
                }
            });
        }
    }

    /** Advertisements handed to the kernel. */
    public long sent() {
        return sent.get();
    }

    /** Advertisements the kernel refused. */
    public long failed() {
        return failed.get();
    }
}
