package io.tandem.vrrp.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tandem.core.linux.LinuxException;
import io.tandem.core.net.RawIpSocket;
import io.tandem.core.net.SendTarget;
import io.tandem.vrrp.AdvertTransmitter;
import io.tandem.vrrp.VrrpInstanceConfig;
import io.tandem.vrrp.packet.RateLimiter;
import io.tandem.vrrp.packet.VrrpAdvertisement;
import io.tandem.vrrp.packet.VrrpEncoder;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one instance's advertisements through its interface's raw VRRP socket: to the
 * multicast group (224.0.0.18 or ff02::12, RFC 9568 §5.1.1.2, §5.1.2.2) or, with unicast
 * peers, to each of them; the kernel writes the IP header with TTL / hop limit 255 (set
 * on the socket, §5.1.1.3, §5.1.2.3). The source is the instance's primary address
 * (unicast_src_ip, or the interface's first address; for IPv6 its link-local address,
 * §5.1.2.1), set on every packet with packet info, so that it is the address the
 * checksum's pseudo-header covers (§5.2.8).
 *
 * <p>An advertisement is encoded once per destination, when the instance hands over a new
 * one (its priority changed); sending it again is one sendmsg(2) of those bytes and
 * allocates nothing. A failed send is counted and logged at most once per 10 s; it never
 * throws. Used on the instances' event loop.
 */
public final class RawAdvertTransmitter implements AdvertTransmitter {
    private static final Logger LOG = LoggerFactory.getLogger(RawAdvertTransmitter.class);
    private static final int MAX_MESSAGE = 8 + 255 * 16 + 8;

    private final RawIpSocket socket;
    private final VrrpInstanceConfig config;
    private final List<InetAddress> destinations;
    private final SendTarget[] targets;
    private final MemorySegment[] encoded;
    private final ByteBuf[] encoders;
    private final RateLimiter logLimiter = new RateLimiter(TimeUnit.SECONDS.toNanos(10), System::nanoTime);
    private VrrpAdvertisement current;
    private int length;
    private volatile long sent;
    private volatile long failed;

    /**
     * @param ifindex the interface's index: an IPv6 link-local source needs it in the packet info
     */
    public RawAdvertTransmitter(RawIpSocket socket, VrrpInstanceConfig config, InetAddress multicastGroup,
            int ifindex) {
        this.socket = socket;
        this.config = config;
        this.destinations = config.unicastPeers().isEmpty() ? List.of(multicastGroup) : config.unicastPeers();
        this.targets = new SendTarget[destinations.size()];
        this.encoded = new MemorySegment[destinations.size()];
        this.encoders = new ByteBuf[destinations.size()];
        Arena arena = Arena.ofAuto();
        for (int i = 0; i < targets.length; i++) {
            targets[i] = socket.target(withScope(destinations.get(i), ifindex), config.primaryAddress(), ifindex);
            encoded[i] = arena.allocate(MAX_MESSAGE, 8);
            encoders[i] = Unpooled.wrappedBuffer(encoded[i].asByteBuffer());
        }
    }

    /** An IPv6 link-local unicast peer is reached through the instance's interface. */
    private static InetAddress withScope(InetAddress address, int ifindex) {
        if (address instanceof Inet6Address v6 && v6.isLinkLocalAddress() && v6.getScopeId() == 0) {
            try {
                return Inet6Address.getByAddress(null, v6.getAddress(), ifindex);
            } catch (java.net.UnknownHostException e) {
                throw new AssertionError(e);
            }
        }
        return address;
    }

    /** Encodes {@code advertisement} for each destination as {@link #transmit} would, and sends nothing. */
    @Override
    public void rehearse(VrrpAdvertisement advertisement) {
        encode(advertisement);
    }

    @Override
    public void transmit(VrrpAdvertisement advertisement) {
        if (advertisement != current) {
            encode(advertisement);
        }
        for (int i = 0; i < targets.length; i++) {
            try {
                if (socket.send(targets[i], encoded[i], length)) {
                    sent++;
                } else {
                    failed(i, "send buffer full (EAGAIN)");
                }
            } catch (LinuxException e) {
                failed(i, e.getMessage());
            }
        }
    }

    private void encode(VrrpAdvertisement advertisement) {
        for (int i = 0; i < targets.length; i++) {
            encoders[i].clear();
            VrrpEncoder.write(advertisement, config.primaryAddress(), destinations.get(i), config.checksumMode(),
                    encoders[i]);
            length = encoders[i].writerIndex();
        }
        current = advertisement;
    }

    private void failed(int i, String why) {
        failed++;
        if (logLimiter.tryAcquire()) {
            LOG.warn("{}: advertisement to {} on {} not sent: {}; {} more suppressed", config.name(),
                    destinations.get(i).getHostAddress(), config.interfaceName(), why, logLimiter.drainSuppressed());
        }
    }

    /** Advertisements handed to the kernel. */
    public long sent() {
        return sent;
    }

    /** Advertisements the kernel refused. */
    public long failed() {
        return failed;
    }
}
