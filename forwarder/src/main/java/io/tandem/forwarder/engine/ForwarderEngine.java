package io.tandem.forwarder.engine;

import io.tandem.core.afpacket.PacketSocket;
import io.tandem.core.afpacket.PacketSocketContext;
import io.tandem.core.afpacket.RingGeometry;
import io.tandem.core.netlink.IfAddress;
import io.tandem.core.netlink.Link;
import io.tandem.core.netlink.RtNetlink;
import io.tandem.forwarder.api.ConnectionSnapshot;
import io.tandem.forwarder.api.ServiceSnapshot;
import io.tandem.forwarder.conn.ConnectionTable;
import io.tandem.forwarder.io.ForwarderWorker;
import io.tandem.forwarder.path.DropReason;
import io.tandem.forwarder.path.IcmpCounter;
import io.tandem.forwarder.path.PacketForwarder;
import io.tandem.forwarder.service.ConnectionScheduler;
import io.tandem.forwarder.service.ServiceCounters;
import io.tandem.forwarder.service.ServiceTable;
import io.tandem.forwarder.service.VirtualService;
import io.tandem.forwarder.steer.SteeringRules;
import io.tandem.forwarder.sync.ConnectionSync;
import io.tandem.forwarder.sync.SyncRing;
import io.tandem.forwarder.sync.WorkerSync;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forwarder as the director uses it: from a list of {@link ServiceSpec}s
 * it opens an AF_PACKET socket with rings on one interface, runs a
 * {@link ForwarderWorker} on its own thread, keeps the real servers' and
 * gateways' MACs from the kernel's neighbour table ({@link NeighbourMacs}),
 * and installs the steering rules on {@link #activate()}.
 *
 * <p>Lifecycle {@code OPEN -> (ACTIVE <-> STANDBY) -> CLOSED}; a stale
 * steering table left by a crash is removed at open. Every change to the
 * worker's state ({@link #setWeight}, listings) goes through its command
 * queue. {@link #open} must run on a thread in the interface's network
 * namespace (it reads that namespace's routes and opens its sockets there).
 *
 * <p>One worker: PACKET_FANOUT hashes a NAT reply (RIP -> CIP) apart from
 * its request (CIP -> VIP), so several workers would need a shared or
 * synchronised connection table.
 */
public final class ForwarderEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ForwarderEngine.class);
    private static final int FRAME_SIZE = 2048;
    private static final int FRAMES = 1024;
    /** Sync entries buffered each way between the worker and the sync daemon (40 bytes each). */
    private static final int SYNC_RING = 1 << 16;

    private enum State { STANDBY, ACTIVE, CLOSED }

    private final EngineOptions options;
    private final List<ServiceSpec> specs;
    private final ServiceTable services;
    private final ConnectionTable table;
    private final ConnectionScheduler scheduler;
    private final ForwarderWorker worker;
    private final Thread workerThread;
    private final NeighbourMacs macs;
    private final NeighbourResolver resolver;
    private final Thread resolverThread;
    private final RtNetlink netlink;
    private final SteeringRules steering;
    private final Snapshots snapshots;
    private final List<String> ownAddresses;
    private final SyncParts sync;
    private final Thread syncThread;
    private State state = State.STANDBY;

    /** Connection sync's pieces: the worker's side, the daemon, and the two rings between them. */
    private record SyncParts(WorkerSync worker, ConnectionSync daemon, SyncRing outbox, SyncRing inbox) {
    }

    private ForwarderEngine(EngineOptions options, List<ServiceSpec> specs, ServiceTable services,
            ConnectionTable table, ConnectionScheduler scheduler, ForwarderWorker worker, NeighbourMacs macs,
            NeighbourResolver resolver, RtNetlink netlink, SteeringRules steering, List<String> ownAddresses,
            SyncParts sync) {
        this.options = options;
        this.sync = sync;
        this.ownAddresses = List.copyOf(ownAddresses);
        this.specs = specs;
        this.services = services;
        this.table = table;
        this.scheduler = scheduler;
        this.worker = worker;
        this.macs = macs;
        this.resolver = resolver;
        this.netlink = netlink;
        this.steering = steering;
        this.snapshots = new Snapshots(services, table);
        this.workerThread = Thread.ofPlatform().name("forwarder-" + options.interfaceName()).daemon().start(worker);
        this.resolverThread = Thread.ofPlatform().name("neighbours-" + options.interfaceName()).daemon()
                .start(resolver);
        this.syncThread = sync == null ? null
                : Thread.ofPlatform().name("sync-" + options.interfaceName()).daemon().start(sync.daemon());
    }

    /** Opens the engine in standby: forwarding runs, but no steering is installed until {@link #activate()}. */
    public static ForwarderEngine open(EngineOptions options, List<ServiceSpec> specs) throws IOException {
        List<ServiceSpec> copy = List.copyOf(specs);
        RtNetlink netlink = RtNetlink.open();
        List<AutoCloseable> opened = new ArrayList<>(List.of(netlink));
        try {
            Link link = netlink.link(options.interfaceName()).orElseThrow(() -> new IOException(
                    "no interface " + options.interfaceName() + " (expected: the interface the VIPs arrive on)"));
            int directorAddress = directorAddress(netlink, link.index(), copy);
            Routes routes = Routes.parse(Files.readString(Path.of("/proc/thread-self/net/route")), link.name());

            ServiceTable services = new ServiceTable();
            for (ServiceSpec spec : copy) {
                services.add(ServiceBuilder.build(services.nextId(), spec));
            }
            ConnectionTable table = new ConnectionTable(options.connections(), options.timeouts(),
                    new ServiceCounters(services));
            opened.add(table);
            PacketSocket socket = PacketSocket.open(new PacketSocketContext()
                    .interfaceName(link.name()).ignoreOutgoing(true)
                    .rxRing(RingGeometry.of(FRAME_SIZE, FRAMES)).txRing(RingGeometry.of(FRAME_SIZE, FRAMES)));
            opened.add(socket);
            long localMac = NeighbourResolver.mac(link.address());
            NeighbourMacs macs = new NeighbourMacs(routes);
            ConnectionScheduler scheduler = new ConnectionScheduler(table);
            WorkerSync workerSync = null;
            SyncRing outbox = null;
            SyncRing inbox = null;
            if (options.sync().isPresent()) {
                outbox = new SyncRing(SYNC_RING);
                opened.add(outbox);
                inbox = new SyncRing(SYNC_RING);
                opened.add(inbox);
                workerSync = new WorkerSync(table, services, outbox, inbox,
                        options.sync().get().refresh().toNanos());
            }
            PacketForwarder forwarder = new PacketForwarder(services, table, scheduler, macs, localMac,
                    directorAddress, link.mtu(), workerSync);
            ForwarderWorker worker = new ForwarderWorker(socket, forwarder, table, System::nanoTime, workerSync);
            SyncParts sync = null;
            if (workerSync != null) {
                ConnectionSync daemon = new ConnectionSync(options.sync().get(), workerSync, outbox, inbox,
                        worker::execute, System::nanoTime);
                opened.add(daemon);
                sync = new SyncParts(workerSync, daemon, outbox, inbox);
            }

            Set<Integer> targets = new LinkedHashSet<>();
            for (ServiceSpec s : copy) {
                for (RealServerSpec r : s.realServers()) {
                    targets.add(routes.nextHop(Ipv4.toInt(r.address())));
                }
            }
            for (int g : routes.gateways()) {
                targets.add(g);
            }
            NeighbourResolver resolver = new NeighbourResolver(netlink, link.index(), macs, targets,
                    options.neighbourPeriod());
            resolver.refresh();
            SteeringRules steering = new SteeringRules(options.instance(), link.name(), options.nftPrefix());
            steering.remove(); // a table left by a crashed run
            LOG.info("forwarder open on {} (mtu {}) with {} service(s), {} route(s), {} neighbour(s) resolved",
                    link.name(), link.mtu(), copy.size(), routes.size(), macs.resolved());
            return new ForwarderEngine(options, copy, services, table, scheduler, worker, macs, resolver, netlink,
                    steering, ownAddresses(netlink, link.index(), copy), sync);
        } catch (IOException | RuntimeException e) {
            closeAll(opened, e);
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            IOException io = new IOException("interrupted while resolving neighbours", e);
            closeAll(opened, io);
            throw io;
        }
    }

    private static void closeAll(List<AutoCloseable> opened, Exception cause) {
        for (AutoCloseable c : opened.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                cause.addSuppressed(e);
            }
        }
    }

    /** The TUN outer source: the interface's first IPv4 address that is no VIP and no local address. */
    private static int directorAddress(RtNetlink netlink, int ifindex, List<ServiceSpec> specs) throws IOException {
        Set<Inet4Address> virtual = new LinkedHashSet<>();
        for (ServiceSpec s : specs) {
            virtual.add(s.address());
            virtual.addAll(s.localAddresses());
        }
        for (IfAddress a : netlink.listAddresses(ifindex)) {
            if (a.address() instanceof Inet4Address v4 && !virtual.contains(v4)) {
                return Ipv4.toInt(v4);
            }
        }
        return 0;
    }

    /** Installs the steering rules: the kernel stops seeing the forwarded traffic (VRRP master). */
    public synchronized void activate() throws IOException {
        requireOpen();
        steering.install(SteeringPlan.matches(specs, ownAddresses));
        state = State.ACTIVE;
        if (sync != null) {
            sync.daemon().becomeMaster();
        }
        LOG.info("forwarder active: steering table {} installed", steering.tableName());
    }

    /** Removes the steering rules (VRRP backup); the worker keeps its table. */
    public synchronized void deactivate() throws IOException {
        requireOpen();
        if (sync != null) {
            sync.daemon().becomeBackup();
        }
        steering.remove();
        state = State.STANDBY;
        LOG.info("forwarder standby: steering table {} removed", steering.tableName());
    }

    /** The interface's IPv4 addresses at open that are no VIP (the VIP may come and go with VRRP). */
    private static List<String> ownAddresses(RtNetlink netlink, int ifindex, List<ServiceSpec> specs)
            throws IOException {
        Set<Inet4Address> vips = new LinkedHashSet<>();
        specs.forEach(s -> vips.add(s.address()));
        List<String> own = new ArrayList<>();
        for (IfAddress a : netlink.listAddresses(ifindex)) {
            if (a.address() instanceof Inet4Address v4 && !vips.contains(v4)) {
                own.add(v4.getHostAddress());
            }
        }
        return own;
    }

    public synchronized boolean active() {
        return state == State.ACTIVE;
    }

    /**
     * Sets a real server's weight on the worker thread (0 drains: existing
     * flows continue, new ones go elsewhere). Completes exceptionally when
     * the service or real server is unknown.
     */
    public CompletableFuture<Void> setWeight(Inet4Address vip, int protocol, int port, Inet4Address rip, int rport,
            int weight) {
        if (weight < 0) {
            throw new IllegalArgumentException("invalid weight: " + weight + " (expected: >= 0)");
        }
        return onWorker(() -> {
            VirtualService s = services.lookup(protocol, Ipv4.toInt(vip), port);
            if (s == null) {
                throw new IllegalArgumentException("no virtual service " + vip.getHostAddress() + ":" + port);
            }
            int slot = s.findRealServer(Ipv4.toInt(rip), rport);
            if (slot < 0) {
                throw new IllegalArgumentException("no real server " + rip.getHostAddress() + ":" + rport
                        + " in " + s);
            }
            s.destinations().setWeight(slot, weight);
            return null;
        });
    }

    public CompletableFuture<Void> setWeight(ServiceSpec service, RealServerSpec realServer, int weight) {
        return setWeight(service.address(), service.protocol(), service.port(), realServer.address(),
                realServer.port(), weight);
    }

    /** The services with their real servers, weights and counters, read on the worker thread. */
    public CompletableFuture<List<ServiceSnapshot>> services() {
        return onWorker(() -> snapshots.services(System.nanoTime()));
    }

    /** The connection entries (ipvsadm -Lnc), read on the worker thread. */
    public CompletableFuture<List<ConnectionSnapshot>> connections() {
        return onWorker(() -> snapshots.connections(System.nanoTime()));
    }

    /** The worker's counters: frames received, transmitted, passed, dropped by reason; neighbour misses. */
    public CompletableFuture<EngineCounters> counters() {
        return onWorker(() -> {
            Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
            for (DropReason r : DropReason.values()) {
                drops.put(r, worker.forwarder().dropped(r));
            }
            Map<IcmpCounter, Long> icmp = new EnumMap<>(IcmpCounter.class);
            for (IcmpCounter c : IcmpCounter.values()) {
                icmp.put(c, worker.forwarder().icmp(c));
            }
            return new EngineCounters(worker.received(), worker.transmitted(), worker.passed(), worker.dropped(),
                    worker.transmitRingFull(), macs.misses(), scheduler.noDestination(), table.size(),
                    table.capacity(), drops, icmp, worker.truncated());
        });
    }

    private <T> CompletableFuture<T> onWorker(Supplier<T> query) {
        CompletableFuture<T> result = new CompletableFuture<>();
        synchronized (this) {
            if (state == State.CLOSED) {
                result.completeExceptionally(new IllegalStateException("forwarder closed"));
                return result;
            }
        }
        worker.execute(() -> {
            try {
                result.complete(query.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** Connection sync's daemon and the worker's sync counters, when sync is configured. */
    public java.util.Optional<ConnectionSync> connectionSync() {
        return sync == null ? java.util.Optional.empty() : java.util.Optional.of(sync.daemon());
    }

    /** The worker's sync counters (offered, overflow, applied, unknown service ...), read on the worker. */
    public CompletableFuture<SyncCounters> syncCounters() {
        if (sync == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("connection sync not configured"));
        }
        WorkerSync w = sync.worker();
        return onWorker(() -> new SyncCounters(w.offered(), w.overflow(), w.applied(), w.unknownService(),
                w.unknownRealServer(), w.badEntry(), w.applyTableFull(), w.resyncWalks(), table.size()));
    }

    public List<ServiceSpec> specs() {
        return specs;
    }

    private void requireOpen() {
        if (state == State.CLOSED) {
            throw new IllegalStateException("forwarder closed");
        }
    }

    /** Removes the steering rules, stops the threads, closes the sockets and frees the table. */
    @Override
    public synchronized void close() throws IOException {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        IOException failure = null;
        try {
            steering.remove();
        } catch (IOException e) {
            failure = e;
        }
        resolver.stop();
        resolverThread.interrupt();
        worker.stop();
        if (sync != null) {
            sync.daemon().stop();
        }
        try {
            workerThread.join(TimeUnit.SECONDS.toMillis(5));
            resolverThread.join(TimeUnit.SECONDS.toMillis(5));
            if (syncThread != null) {
                syncThread.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker.close();
        netlink.close();
        if (sync != null) {
            try {
                sync.daemon().close();
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (!workerThread.isAlive()) {
            table.close(); // the worker no longer touches its off-heap entries
            if (sync != null && (syncThread == null || !syncThread.isAlive())) {
                sync.outbox().close();
                sync.inbox().close();
            }
        }
        LOG.info("forwarder on {} closed", options.interfaceName());
        if (failure != null) {
            throw failure;
        }
    }
}
