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
 *
 * <p>{@link #reconfigure} is a reload: the instances it is told to keep go on untouched (no
 * transition, no advert missed, no gratuitous ARP); every other running instance gets its
 * Shutdown event (a master sends priority 0 and removes its addresses) and the new ones start
 * from INIT, as at start.
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
    /** Changed on the loop only; copy-on-write for the readers elsewhere (link state, counters). */
    private final List<VrrpInstance> instances = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<RawAdvertTransmitter> transmitters = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final VrrpInstanceTable table = new VrrpInstanceTable();
    private io.tandem.core.netlink.RtNetlinkEvents linkEvents;
    private VrrpTracking tracking;
    private boolean closed;
    private MeterRegistry registry;
    private VrrpDropCounters drops;
    private NetlinkVipOwner vipOwner;
    private EventLoopVrrpScheduler scheduler;
    private VrrpStateListener listener;
    /** Advertisements sent by instances that a reload stopped. */
    private long retiredSent;

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
        requireIpv4(configs);
        Map<String, EpollDatagramChannel> channels = new LinkedHashMap<>();
        Map<String, GratuitousArp> garp = new LinkedHashMap<>();
        RtNetlink netlink = RtNetlink.open();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("vrrp", true),
                EpollIoHandler.newFactory());
        VrrpEngine engine = new VrrpEngine(group, netlink, channels, garp);
        try {
            engine.registry = registry;
            engine.listener = listener;
            engine.drops = new VrrpDropCounters(registry, engine.table);
            engine.openChannels(configs);
            engine.vipOwner = new NetlinkVipOwner(netlink, garp, engine.loop, garpRepeat, garpDelay,
                    beforeAddingAddresses);
            engine.scheduler = new EventLoopVrrpScheduler(engine.loop);
            engine.loop.submit(() -> {
                engine.addInstances(configs, coordination);
                coordination.fence().listen((lease, held, reason) -> engine.loop.execute(() -> {
                    for (VrrpInstance i : engine.instances) {
                        if (i.leaseName().equals(lease)) {
                            i.leaseChanged(held, reason);
                        }
                    }
                }));
                engine.tracking = new VrrpTracking(engine.instances, coordination.scripts(),
                        coordination.trackFiles(), engine.scheduler, coordination.runner());
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

    /** Opens the raw socket and gratuitous-ARP sender of each interface not open yet (not on the loop). */
    private void openChannels(List<VrrpInstanceConfig> configs) throws IOException, InterruptedException {
        for (VrrpInstanceConfig config : configs) {
            String ifname = config.interfaceName();
            if (!channels.containsKey(ifname)) {
                garp.put(ifname, GratuitousArp.open(ifname));
                EpollDatagramChannel channel = EpollRawChannels.adopt(openSocket(ifname));
                channels.put(ifname, channel);
                channel.pipeline().addLast(new Ipv4DatagramAdapter(ifname, drops), new VrrpDecoder(drops),
                        new VrrpAdvertisementDispatcher(table, drops, System::nanoTime));
                loop.register(channel).sync();
            }
        }
    }

    /**
     * On the loop: makes the instances of {@code configs} and forms the sync groups whose members
     * are all among them; returns the new instances (not started).
     */
    private List<VrrpInstance> addInstances(List<VrrpInstanceConfig> configs, VrrpCoordination coordination) {
        List<VrrpInstance> fresh = new ArrayList<>();
        for (VrrpInstanceConfig config : configs) {
            RawAdvertTransmitter transmitter = new RawAdvertTransmitter(channels.get(config.interfaceName()),
                    config, IPV4_GROUP);
            VrrpInstance instance = new VrrpInstance(config, scheduler, transmitter, vipOwner, registry);
            instance.fence(coordination.fence());
            instance.addListener(listener);
            table.add(instance);
            instances.add(instance);
            transmitters.add(transmitter);
            fresh.add(instance);
        }
        Map<String, VrrpInstance> byName = new LinkedHashMap<>();
        instances.forEach(i -> byName.put(i.name(), i));
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
            long newMembers = members.stream().filter(fresh::contains).count();
            if (newMembers == members.size()) {
                new VrrpSyncGroup(g.name(), members);
            } else if (newMembers > 0) {
                throw new IllegalArgumentException("invalid reload of vrrp_sync_group " + g.name() + ": members "
                        + members.stream().filter(m -> !fresh.contains(m)).map(VrrpInstance::name).toList()
                        + " kept, the others restarted (expected: a sync group restarts as a whole)");
            }
        }
        return fresh;
    }

    /**
     * A reload, on the instances that run now: those named in {@code keep} go on untouched (their
     * configuration must be equal in {@code configs}); every other one is shut down (RFC 9568
     * §6.4.3: a master sends priority 0 and removes its addresses); the instances of
     * {@code configs} not kept start from INIT. Kept scripts keep running ({@link VrrpTracking#reconfigure}).
     * A sync group must be kept or restarted as a whole.
     *
     * @throws IllegalArgumentException before anything changes, when a kept instance's configuration differs
     */
    public synchronized void reconfigure(List<VrrpInstanceConfig> configs, VrrpCoordination coordination,
            java.util.Set<String> keep) throws IOException, InterruptedException {
        if (closed) {
            throw new IllegalStateException("VRRP engine closed");
        }
        requireIpv4(configs);
        List<VrrpInstanceConfig> fresh = new ArrayList<>();
        for (VrrpInstanceConfig config : configs) {
            if (!keep.contains(config.name())) {
                fresh.add(config);
            }
        }
        openChannels(fresh);
        List<VrrpInstance> started;
        try {
            started = loop.submit(() -> {
                Map<String, VrrpInstanceConfig> byName = new LinkedHashMap<>();
                configs.forEach(c -> byName.put(c.name(), c));
                for (VrrpInstance i : instances) {
                    if (keep.contains(i.name()) && !i.config().equals(byName.get(i.name()))) {
                        throw new IllegalArgumentException("invalid reload: " + i.name() + " is kept but its"
                                + " configuration changed (expected: an equal configuration for a kept instance)");
                    }
                }
                for (VrrpInstance i : List.copyOf(instances)) {
                    if (!keep.contains(i.name())) {
                        LOG.info("{}: stopped by the reload", i.name());
                        i.close();
                        table.remove(i);
                        int index = instances.indexOf(i);
                        instances.remove(index);
                        retiredSent += transmitters.remove(index).sent();
                    }
                }
                List<VrrpInstance> made = addInstances(fresh, coordination);
                tracking.reconfigure(instances, made, coordination.scripts(), coordination.trackFiles());
                made.forEach(i -> LOG.info("{}: started by the reload", i.name()));
                return made;
            }).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("VRRP loop did not apply the reload within 10 s", e);
        }
        followLinks();
        loop.execute(() -> {
            started.forEach(VrrpInstance::start);
            tracking.start();
        });
    }

    private static void requireIpv4(List<VrrpInstanceConfig> configs) {
        for (VrrpInstanceConfig config : configs) {
            if (config.family() != AddressFamily.IPV4) {
                throw new IllegalArgumentException("invalid family for " + config.name() + ": " + config.family()
                        + " (expected: IPV4; IPv6 VRRP is not supported yet)");
            }
        }
    }

    /** Interface trackers follow the carrier: the state now, then every rtnetlink link event, on the loop. */
    private void followLinks() throws IOException {
        boolean tracked = instances.stream().anyMatch(i -> i.config().trackers().stream()
                .anyMatch(t -> t.name().startsWith("interface ")));
        if (!tracked) {
            return;
        }
        for (io.tandem.core.netlink.Link link : netlink.listLinks()) {
            setLink(link.name(), link.running()); // after a reload: what the new instances track; no change for the others
        }
        if (linkEvents != null) {
            return;
        }
        linkEvents = io.tandem.core.netlink.RtNetlinkEvents.open(
                java.util.Set.of(io.tandem.core.netlink.RtnlGroup.LINK));
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
        return retiredSent + transmitters.stream().mapToLong(RawAdvertTransmitter::sent).sum();
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
