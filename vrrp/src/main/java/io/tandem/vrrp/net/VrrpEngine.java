package io.tandem.vrrp.net;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tandem.core.net.EpollRawChannels;
import io.tandem.core.net.IpFamily;
import io.tandem.core.net.RawIpSocket;
import io.tandem.core.netlink.RtNetlink;
import io.tandem.vrrp.VrrpCoordination;
import io.tandem.vrrp.VrrpInstanceConfig;
import io.tandem.vrrp.VrrpState;
import io.tandem.vrrp.VrrpStateListener;
import io.tandem.vrrp.engine.EventLoopVrrpScheduler;
import io.tandem.vrrp.engine.VrrpAdvertisementDispatcher;
import io.tandem.vrrp.engine.VrrpInstance;
import io.tandem.vrrp.engine.VrrpInstanceTable;
import io.tandem.vrrp.engine.VrrpSyncGroup;
import io.tandem.vrrp.metrics.VrrpDropCounters;
import io.tandem.vrrp.packet.AddressFamily;
import io.tandem.vrrp.packet.VrrpDecoder;
import io.tandem.vrrp.track.SyncGroupConfig;
import io.tandem.vrrp.track.VrrpTracking;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VRRP engine on the real network: one raw IPPROTO_VRRP socket per interface, joined
 * to 224.0.0.18 with TTL 255 (RFC 9568 §5.1.1), read by one Netty epoll event loop whose
 * pipeline takes off the IPv4 header, makes the wire checks and hands each advertisement
 * to its instance; the instances' timers run on the same loop. Addresses move over
 * rtnetlink, with gratuitous ARP.
 *
 * <p>Everything is opened by {@link #start} in the calling thread's network namespace.
 * {@link #close} is the Shutdown event of every instance (RFC 9568 §6.4.3: a master
 * sends priority 0 and removes its addresses), then closes the sockets.
 * IPv4 only for now: an IPv6 instance is refused at start.
 */
public final class VrrpEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VrrpEngine.class);
    /** RFC 9568 §5.1.1.2: the IPv4 multicast address assigned by IANA for VRRP. */
    public static final InetAddress IPV4_GROUP = ipv4Group();
    /** RFC 9568 §5.1.1.3: TTL 255. */
    public static final int TTL = 255;
    public static final int IPPROTO_VRRP = 112;
    /**
     * The name of the tracker that follows an interface's carrier (keepalived tracks an
     * instance's own interface unless {@code dont_track_primary}): give it weight 0 and the
     * instance goes to FAULT, releasing its VIPs, while the link is down.
     */
    public static String interfaceTracker(String interfaceName) {
        return "interface " + interfaceName;
    }

    private final EventLoopGroup group;
    private final EventLoop loop;
    private final RtNetlink netlink;
    private final Map<String, EpollDatagramChannel> channels;
    private final Map<String, GratuitousArp> garp;
    private final List<VrrpInstance> instances = new ArrayList<>();
    private final List<RawAdvertTransmitter> transmitters = new ArrayList<>();
    private io.tandem.core.netlink.RtNetlinkEvents linkEvents;
    private VrrpTracking tracking;
    private boolean closed;

    private VrrpEngine(EventLoopGroup group, RtNetlink netlink, Map<String, EpollDatagramChannel> channels,
            Map<String, GratuitousArp> garp) {
        this.group = group;
        this.loop = group.next();
        this.netlink = netlink;
        this.channels = channels;
        this.garp = garp;
    }

    /**
     * Opens the sockets, builds the instances and starts them.
     *
     * @param garpRepeat gratuitous ARPs per address per burst ({@code garp_master_repeat})
     * @param garpDelay  delay of the second burst ({@code garp_master_delay}); zero for none
     * @param listener   told of every state change of every instance, on the engine's loop
     */
    public static VrrpEngine start(List<VrrpInstanceConfig> configs, MeterRegistry registry, int garpRepeat,
            Duration garpDelay, VrrpStateListener listener) throws IOException, InterruptedException {
        return start(configs, registry, garpRepeat, garpDelay, listener, () -> { });
    }

    /**
     * As {@link #start(List, MeterRegistry, int, Duration, VrrpStateListener)}, with a hook run on the
     * engine's loop before an instance adds its addresses on becoming master. The instances start
     * on the loop after this method returns, so the hook may wait for the caller.
     */
    public static VrrpEngine start(List<VrrpInstanceConfig> configs, MeterRegistry registry, int garpRepeat,
            Duration garpDelay, VrrpStateListener listener, Runnable beforeAddingAddresses)
            throws IOException, InterruptedException {
        return start(configs, registry, garpRepeat, garpDelay, listener, beforeAddingAddresses,
                VrrpCoordination.none());
    }

    /**
     * As {@link #start(List, MeterRegistry, int, Duration, VrrpStateListener, Runnable)}, with the sync
     * groups formed and the tracked scripts and files followed ({@link VrrpTracking}) on the engine's
     * loop: their initial states are applied before the instances start, the scripts start with them.
     */
    public static VrrpEngine start(List<VrrpInstanceConfig> configs, MeterRegistry registry, int garpRepeat,
            Duration garpDelay, VrrpStateListener listener, Runnable beforeAddingAddresses,
            VrrpCoordination coordination) throws IOException, InterruptedException {
        for (VrrpInstanceConfig config : configs) {
            if (config.family() != AddressFamily.IPV4) {
                throw new IllegalArgumentException("invalid family for " + config.name() + ": " + config.family()
                        + " (expected: IPV4; IPv6 VRRP is not supported yet)");
            }
        }
        Map<String, EpollDatagramChannel> channels = new LinkedHashMap<>();
        Map<String, GratuitousArp> garp = new LinkedHashMap<>();
        RtNetlink netlink = RtNetlink.open();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("vrrp", true),
                EpollIoHandler.newFactory());
        VrrpEngine engine = new VrrpEngine(group, netlink, channels, garp);
        try {
            VrrpInstanceTable table = new VrrpInstanceTable();
            VrrpDropCounters drops = new VrrpDropCounters(registry, table);
            for (VrrpInstanceConfig config : configs) {
                String ifname = config.interfaceName();
                if (!channels.containsKey(ifname)) {
                    garp.put(ifname, GratuitousArp.open(ifname));
                    EpollDatagramChannel channel = EpollRawChannels.adopt(openSocket(ifname));
                    channels.put(ifname, channel);
                    channel.pipeline().addLast(new Ipv4DatagramAdapter(ifname, drops), new VrrpDecoder(drops),
                            new VrrpAdvertisementDispatcher(table, drops, System::nanoTime));
                    engine.loop.register(channel).sync();
                }
            }
            NetlinkVipOwner vipOwner = new NetlinkVipOwner(netlink, garp, engine.loop, garpRepeat, garpDelay,
                    beforeAddingAddresses);
            EventLoopVrrpScheduler scheduler = new EventLoopVrrpScheduler(engine.loop);
            engine.loop.submit(() -> {
                for (VrrpInstanceConfig config : configs) {
                    RawAdvertTransmitter transmitter = new RawAdvertTransmitter(channels.get(config.interfaceName()),
                            config, IPV4_GROUP);
                    VrrpInstance instance = new VrrpInstance(config, scheduler, transmitter, vipOwner, registry);
                    instance.fence(coordination.fence());
                    instance.addListener(listener);
                    table.add(instance);
                    engine.instances.add(instance);
                    engine.transmitters.add(transmitter);
                }
                Map<String, VrrpInstance> byName = new LinkedHashMap<>();
                engine.instances.forEach(i -> byName.put(i.name(), i));
                for (SyncGroupConfig g : coordination.syncGroups()) {
                    List<VrrpInstance> members = new ArrayList<>();
                    for (String m : g.members()) {
                        VrrpInstance member = byName.get(m);
                        if (member == null) {
                            throw new IllegalArgumentException("invalid member of vrrp_sync_group " + g.name() + ": "
                                    + m + " (expected: one of " + byName.keySet() + ")");
                        }
                        members.add(member);
                    }
                    new VrrpSyncGroup(g.name(), members);
                }
                coordination.fence().listen((lease, held, reason) -> engine.loop.execute(() -> {
                    for (VrrpInstance i : engine.instances) {
                        if (i.leaseName().equals(lease)) {
                            i.leaseChanged(held, reason);
                        }
                    }
                }));
                engine.tracking = new VrrpTracking(engine.instances, coordination.scripts(),
                        coordination.trackFiles(), scheduler, coordination.runner());
                engine.tracking.prepare();
                return null;
            }).sync();
            engine.followLinks();
            engine.loop.execute(() -> {
                engine.instances.forEach(VrrpInstance::start);
                engine.tracking.start();
            });
            return engine;
        } catch (IOException | InterruptedException | RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /** Interface trackers follow the carrier: the state now, then every rtnetlink link event, on the loop. */
    private void followLinks() throws IOException {
        boolean tracked = instances.stream().anyMatch(i -> i.config().trackers().stream()
                .anyMatch(t -> t.name().startsWith("interface ")));
        if (!tracked) {
            return;
        }
        linkEvents = io.tandem.core.netlink.RtNetlinkEvents.open(
                java.util.Set.of(io.tandem.core.netlink.RtnlGroup.LINK));
        for (io.tandem.core.netlink.Link link : netlink.listLinks()) {
            setLink(link.name(), link.running());
        }
        linkEvents.start(event -> {
            if (event instanceof io.tandem.core.netlink.NetlinkEvent.LinkUp up) {
                setLink(up.link().name(), true);
            } else if (event instanceof io.tandem.core.netlink.NetlinkEvent.LinkDown down) {
                setLink(down.link().name(), false);
            }
        });
    }

    private void setLink(String ifname, boolean running) {
        String tracker = interfaceTracker(ifname);
        loop.execute(() -> {
            for (VrrpInstance instance : instances) {
                if (instance.config().trackers().stream().anyMatch(t -> t.name().equals(tracker))) {
                    instance.setTrackerUp(tracker, running);
                }
            }
        });
    }

    private static RawIpSocket openSocket(String ifname) throws IOException {
        RawIpSocket socket = RawIpSocket.openNonBlocking(IpFamily.IPV4, IPPROTO_VRRP);
        try {
            socket.bindToDevice(ifname);
            socket.joinGroup(IPV4_GROUP, ifname);
            socket.setMulticastInterface(ifname);
            socket.setMulticastHopLimit(TTL);
            socket.setUnicastHopLimit(TTL);
            socket.setMulticastLoop(false);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Each instance's lease name and whether it claims MASTER without the lease, read on the engine's loop. */
    public Map<String, Boolean> claims() throws InterruptedException {
        try {
            return loop.submit(() -> {
                Map<String, Boolean> claims = new LinkedHashMap<>();
                instances.forEach(i -> claims.put(i.name(), i.claiming()));
                return claims;
            }).get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("VRRP loop did not answer", e);
        }
    }

    /** Each instance's current state, read on the engine's loop. */
    public Map<String, VrrpState> states() throws InterruptedException {
        try {
            return loop.submit(() -> {
                Map<String, VrrpState> states = new LinkedHashMap<>();
                instances.forEach(i -> states.put(i.name(), i.state()));
                return states;
            }).get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("VRRP loop did not answer", e);
        }
    }

    /** Advertisements sent by all instances so far. */
    public long advertisementsSent() {
        return transmitters.stream().mapToLong(RawAdvertTransmitter::sent).sum();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!loop.isShuttingDown()) {
                loop.submit(() -> {
                    if (tracking != null) {
                        tracking.close();
                    }
                    instances.forEach(VrrpInstance::close);
                }).get(5, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            LOG.warn("VRRP shutdown did not complete: {}", e.toString());
        }
        if (linkEvents != null) {
            try {
                linkEvents.close();
            } catch (IOException e) {
                LOG.warn("closing link events: {}", e.toString());
            }
        }
        for (EpollDatagramChannel channel : channels.values()) {
            channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        garp.values().forEach(GratuitousArp::close);
        netlink.close();
    }

    private static InetAddress ipv4Group() {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 224, 0, 0, 18});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
