package io.tandem.vrrp.net;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tandem.core.net.IpFamily;
import io.tandem.core.net.RawIpSocket;
import io.tandem.core.net.RawSocketIoHandle;
import io.tandem.core.netlink.RtNetlink;
import io.tandem.vrrp.VirtualAddress;
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
import io.tandem.vrrp.packet.VrrpConstants;
import io.tandem.vrrp.packet.VrrpDecoder;
import io.tandem.vrrp.track.SyncGroupConfig;
import io.tandem.vrrp.track.VrrpTracking;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VRRP engine on the real network: one raw IPPROTO_VRRP socket per interface and
 * address family, joined to 224.0.0.18 or ff02::12 with TTL / hop limit 255 (RFC 9568
 * §5.1.1, §5.1.2), on one Netty epoll event loop ({@link RawSocketIoHandle}): each
 * datagram arrives with its TTL / hop limit and destination from the control messages,
 * goes through the wire checks and reaches its instance; the instances' timers run on
 * the same loop. Addresses and routes move over rtnetlink, announced with gratuitous ARP
 * (IPv4) and unsolicited Neighbor Advertisements (IPv6).
 *
 * <p>Everything is opened by {@link #start} in the calling thread's network namespace.
 * {@link #close} is the Shutdown event of every instance (RFC 9568 §6.4.3: a master
 * sends priority 0 and removes its addresses), then closes the sockets.
 */
public final class VrrpEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VrrpEngine.class);
    /** RFC 9568 §5.1.1.2: the IPv4 multicast address assigned by IANA for VRRP. */
    public static final InetAddress IPV4_GROUP = InetAddress.ofLiteral(VrrpConstants.IPV4_MULTICAST_GROUP);
    /** RFC 9568 §5.1.2.2: the IPv6 multicast address assigned by IANA for VRRP. */
    public static final InetAddress IPV6_GROUP = InetAddress.ofLiteral(VrrpConstants.IPV6_MULTICAST_GROUP);
    /** RFC 9568 §5.1.1.3, §5.1.2.3: TTL / hop limit 255. */
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

    /** One socket per interface and family. */
    private record SocketKey(String interfaceName, IpFamily family) {
    }

    /** A socket opened and configured, with what will read it once it is on the loop, and its groups. */
    private record OpenSocket(RawIpSocket socket, VrrpReceiver receiver, java.util.Set<InetAddress> groups) {
    }

    private final EventLoopGroup group;
    private final IoEventLoop loop;
    private final RtNetlink netlink;
    private final Map<SocketKey, OpenSocket> opened = new LinkedHashMap<>();
    private final List<RawSocketIoHandle> sockets = new ArrayList<>();
    private final Map<String, AddressAnnouncer> announcers = new LinkedHashMap<>();
    private final List<VrrpInstance> instances = new ArrayList<>();
    private final List<RawAdvertTransmitter> transmitters = new ArrayList<>();
    private io.tandem.core.netlink.RtNetlinkEvents linkEvents;
    private VrrpTracking tracking;
    private boolean closed;

    private VrrpEngine(EventLoopGroup group, RtNetlink netlink) {
        this.group = group;
        this.loop = (IoEventLoop) group.next();
        this.netlink = netlink;
    }

    /**
     * Opens the sockets, builds the instances and starts them.
     *
     * @param listener told of every state change of every instance, on the engine's loop
     */
    public static VrrpEngine start(List<VrrpInstanceConfig> configs, MeterRegistry registry,
            VrrpStateListener listener) throws IOException, InterruptedException {
        return start(configs, registry, listener, () -> { }, VrrpCoordination.none());
    }

    /**
     * As {@link #start(List, MeterRegistry, VrrpStateListener)}, with a hook run on the engine's loop
     * before an instance adds its addresses on becoming master, and with the sync groups formed and
     * the tracked scripts and files followed ({@link VrrpTracking}) on the engine's loop: their
     * initial states are applied before the instances start, the scripts start with them. The
     * instances start on the loop after this method returns, so the hook may wait for the caller.
     */
    public static VrrpEngine start(List<VrrpInstanceConfig> configs, MeterRegistry registry,
            VrrpStateListener listener, Runnable beforeAddingAddresses, VrrpCoordination coordination)
            throws IOException, InterruptedException {
        RtNetlink netlink = RtNetlink.open();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("vrrp", true),
                EpollIoHandler.newFactory());
        VrrpEngine engine = new VrrpEngine(group, netlink);
        try {
            VrrpInstanceTable table = new VrrpInstanceTable();
            VrrpDropCounters drops = new VrrpDropCounters(registry, table);
            VrrpDecoder decoder = new VrrpDecoder(drops);
            VrrpAdvertisementDispatcher dispatcher = new VrrpAdvertisementDispatcher(table, drops, System::nanoTime);
            for (VrrpInstanceConfig config : configs) {
                engine.openSocket(config, decoder, dispatcher, drops);
                engine.openAnnouncer(config.interfaceName());
                for (VirtualAddress address : config.heldAddresses()) {
                    engine.openAnnouncer(address.deviceOr(config.interfaceName()));
                }
            }
            NetlinkVipOwner vipOwner = new NetlinkVipOwner(netlink, engine.announcers, beforeAddingAddresses);
            EventLoopVrrpScheduler scheduler = new EventLoopVrrpScheduler(engine.loop);
            engine.loop.submit(() -> {
                for (VrrpInstanceConfig config : configs) {
                    RawIpSocket socket = engine.opened.get(key(config)).socket();
                    RawAdvertTransmitter transmitter = new RawAdvertTransmitter(socket, config, config.multicastGroup(),
                            socket.interfaceIndex(config.interfaceName()));
                    VrrpInstance instance = new VrrpInstance(config, scheduler, transmitter, vipOwner, registry);
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
                engine.tracking = new VrrpTracking(engine.instances, coordination.scripts(),
                        coordination.trackFiles(), scheduler, coordination.runner());
                engine.tracking.prepare();
                return null;
            }).sync();
            // on the loop only now that every instance is in the table: nothing is counted as an unknown VRID
            for (OpenSocket socket : engine.opened.values()) {
                engine.sockets.add(RawSocketIoHandle.register(engine.loop, socket.socket(), socket.receiver()));
            }
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

    private static SocketKey key(VrrpInstanceConfig config) {
        return new SocketKey(config.interfaceName(),
                config.family() == AddressFamily.IPV4 ? IpFamily.IPV4 : IpFamily.IPV6);
    }

    /**
     * The interface's socket for the instance's family, opened and configured the first time;
     * it joins the instance's multicast group if no instance before did.
     */
    private void openSocket(VrrpInstanceConfig config, VrrpDecoder decoder, VrrpAdvertisementDispatcher dispatcher,
            VrrpDropCounters drops) throws IOException {
        SocketKey key = key(config);
        InetAddress multicast = config.multicastGroup();
        OpenSocket known = opened.get(key);
        if (known != null) {
            if (known.groups().add(multicast)) {
                known.socket().joinGroup(multicast, key.interfaceName());
            }
            return;
        }
        RawIpSocket socket = RawIpSocket.openNonBlocking(key.family(), IPPROTO_VRRP);
        try {
            socket.bindToDevice(key.interfaceName());
            socket.joinGroup(multicast, key.interfaceName());
            socket.setMulticastInterface(key.interfaceName());
            socket.setMulticastHopLimit(TTL);
            socket.setUnicastHopLimit(TTL);
            socket.setMulticastLoop(false);
            opened.put(key, new OpenSocket(socket,
                    new VrrpReceiver(key.interfaceName(), multicast, decoder, dispatcher, drops),
                    new java.util.HashSet<>(List.of(multicast))));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void openAnnouncer(String device) throws IOException {
        if (!announcers.containsKey(device)) {
            announcers.put(device, AddressAnnouncer.open(device));
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
                    instances.forEach(VrrpInstance::close); // priority 0 first: the backups wait Skew_Time only
                    if (tracking != null) {
                        tracking.close();
                    }
                    for (RawSocketIoHandle socket : sockets) {
                        try {
                            socket.close();
                        } catch (IOException e) {
                            LOG.warn("closing {}: {}", socket, e.toString());
                        }
                    }
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
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        for (OpenSocket socket : opened.values()) {
            try {
                socket.socket().close(); // the ones a failed start never put on the loop; idempotent
            } catch (IOException e) {
                LOG.warn("closing {}: {}", socket.socket(), e.toString());
            }
        }
        announcers.values().forEach(AddressAnnouncer::close);
        netlink.close();
    }
}
