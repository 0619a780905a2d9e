package io.tandem.forwarder.engine;

import io.tandem.core.afpacket.Fanout;
import io.tandem.core.afpacket.PacketSocket;
import io.tandem.core.afpacket.PacketSocketContext;
import io.tandem.core.afpacket.RingGeometry;
import io.tandem.core.netlink.IfAddress;
import io.tandem.core.netlink.Link;
import io.tandem.core.netlink.RtNetlink;
import io.tandem.forwarder.api.ConnectionSnapshot;
import io.tandem.forwarder.api.ServiceSnapshot;
import io.tandem.forwarder.conn.ConnectionTable;
import io.tandem.forwarder.io.FanoutProgram;
import io.tandem.forwarder.io.FlowKey;
import io.tandem.forwarder.io.ForwarderWorker;
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
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
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
 * <p>The runtime API ({@link #addService}, {@link #editService},
 * {@link #removeService}, {@link #addRealServer}, {@link #editRealServer},
 * {@link #removeRealServer}) runs one change at a time on a control thread:
 * while active, the steering table first grows by what the change adds, then
 * the worker applies it ({@link ServiceEditor}), then the table loses what it
 * removed; so the kernel never sees (and resets) a flow the worker already
 * carries. A refused change leaves services and steering as they were.
 * Removing a real server follows IPVS's {@code expire_nodest_conn}, off by
 * default as in IPVS and keepalived ({@link EngineOptions#expireNodestConn}):
 * its connections stay in the table, their packets dropped, until they expire
 * or the real server is added back.
 *
 * <p>Workers ({@link EngineOptions#workers}): one by default, on one socket that joins no
 * fanout group. With more, each worker has its own socket, services, scheduler and
 * {@code connections / workers} table entries, and owns the flows that the sockets'
 * {@code PACKET_FANOUT_CBPF} group sends it: the {@link FanoutProgram} keys both directions
 * of a flow by the client side's port ({@link FlowKey}), and a worker's FULLNAT local ports
 * are those that key back to it. The program holds the VIPs: a runtime change sets it
 * again, with the VIPs before and after the change while it runs, then with those after.
 * Runtime changes and weights are applied on every worker (a change refused by one is
 * undone on those that applied it); listings and counters are merged. Connection sync has
 * a {@link WorkerSync} and ring pair per worker and one daemon, which routes the standby's
 * entries to the worker that owns each flow ({@link ConnectionSync}). Not with more than
 * one worker: persistence across a
 * client's connections, since its templates are per worker: two connections of one client
 * from different ports may land on different workers and so on different real servers
 * (DPVS's per-lcore templates behave the same). See {@code docs/fanout.md}.
 */
public final class ForwarderEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ForwarderEngine.class);
    /**
     * Receive frames big enough for a whole GRO aggregate or TSO frame (an IP packet of up to 64 KiB,
     * its Ethernet header and the ring's own header), which the worker sends on whole (or, for TUN,
     * cuts into segments): a smaller slot would truncate it and lose the data. The transmit ring has
     * slots of the same size, so that a super-frame leaves whole.
     */
    static final int RX_FRAME_SIZE = 68 * 1024;
    private static final int RX_FRAMES = 512;
    /** Receive-ring blocks of 4 MiB (the kernel's largest contiguous order), 60 frames each. */
    private static final int RX_BLOCK_SIZE = RingGeometry.MAX_BLOCK_SIZE;
    /** Sync entries buffered each way between the worker and the sync daemon (40 bytes each). */
    private static final int SYNC_RING = 1 << 16;

    private enum State { STANDBY, ACTIVE, CLOSED }

    /** How long a runtime change waits for the worker and nft before it fails. */
    private static final long CHANGE_TIMEOUT_SECONDS = 10;

    private final EngineOptions options;
    /** The services as the workers have them now; replaced whole by the control thread. */
    private volatile List<ServiceSpec> specs;
    private final ExecutorService control;
    /** What the steering table holds while active; null when none is installed. */
    private List<SteeringRules.Match> installed;
    /** The workers; each has its own share of connection sync when it is configured. */
    private final List<WorkerUnit> units;
    /** The socket the fanout program is set on (any member sets the group's); null with one worker. */
    private final PacketSocket fanoutSocket;
    private final NeighbourMacs macs;
    private final NeighbourResolver resolver;
    private final Thread resolverThread;
    private final RtNetlink netlink;
    private final SteeringRules steering;
    private final List<String> ownAddresses;
    private final SyncParts sync;
    private final Thread syncThread;
    private State state = State.STANDBY;

    /** Connection sync's pieces: each worker's side and its two rings (in worker order), and the daemon. */
    private record SyncParts(List<WorkerSync> workers, ConnectionSync daemon, List<SyncRing> outboxes,
            List<SyncRing> inboxes) {
    }

    /** One worker's parts before its thread starts. */
    private record Part(ServiceTable services, ConnectionTable table, ConnectionScheduler scheduler,
            PacketSocket socket, ForwarderWorker worker) {
    }

    private ForwarderEngine(EngineOptions options, List<ServiceSpec> specs, List<Part> parts, NeighbourMacs macs,
            NeighbourResolver resolver, RtNetlink netlink, SteeringRules steering, List<String> ownAddresses,
            SyncParts sync) {
        this.options = options;
        this.sync = sync;
        this.ownAddresses = List.copyOf(ownAddresses);
        this.specs = specs;
        this.control = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("forwarder-control-" + options.interfaceName()).daemon().factory());
        this.macs = macs;
        this.resolver = resolver;
        this.netlink = netlink;
        this.steering = steering;
        List<WorkerUnit> started = new ArrayList<>();
        int n = parts.size();
        for (int i = 0; i < n; i++) {
            Part p = parts.get(i);
            started.add(WorkerUnit.start(i, p.services(), new ServiceEditor(p.services(), i, n), p.table(),
                    p.scheduler(), p.worker(), "forwarder-" + options.interfaceName() + (n == 1 ? "" : "-" + i)));
        }
        this.units = List.copyOf(started);
        this.fanoutSocket = n == 1 ? null : parts.getFirst().socket();
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

            int workers = options.workers();
            long localMac = NeighbourResolver.mac(link.address());
            NeighbourMacs macs = new NeighbourMacs(routes);
            List<Part> parts = new ArrayList<>();
            List<WorkerSync> workerSyncs = new ArrayList<>();
            List<SyncRing> outboxes = new ArrayList<>();
            List<SyncRing> inboxes = new ArrayList<>();
            int group = -1;
            for (int i = 0; i < workers; i++) {
                ServiceTable services = new ServiceTable();
                for (ServiceSpec spec : copy) {
                    services.add(ServiceBuilder.build(services.nextId(), spec, i, workers));
                }
                ConnectionTable table = new ConnectionTable(options.connections() / workers, options.timeouts(),
                        new ServiceCounters(services));
                opened.add(table);
                PacketSocketContext context = new PacketSocketContext()
                        .interfaceName(link.name()).ignoreOutgoing(true).vnetHeader(true)
                        // transmit slots as large as the receive ring's: a GSO super-frame leaves whole
                        .rxRing(receiveRing()).txRing(receiveRing());
                if (workers > 1 && i == 0) {
                    // a new group with an id the kernel chooses, never another engine's; its program
                    context.fanout(Fanout.cbpfUnique()).fanoutProgram(FanoutProgram.build(vips(copy)));
                } else if (workers > 1) {
                    context.fanout(Fanout.cbpf(group));
                }
                PacketSocket socket = PacketSocket.open(context);
                opened.add(socket);
                if (workers > 1 && i == 0) {
                    group = socket.fanoutGroupId();
                }
                ConnectionScheduler scheduler = new ConnectionScheduler(table);
                WorkerSync workerSync = null;
                if (options.sync().isPresent()) { // a ring pair per worker: each ring has one producer, one consumer
                    SyncRing outbox = new SyncRing(SYNC_RING);
                    opened.add(outbox);
                    SyncRing inbox = new SyncRing(SYNC_RING);
                    opened.add(inbox);
                    // several workers all receive every template (ConnectionSync): each keeps the first it has
                    workerSync = new WorkerSync(table, services, outbox, inbox,
                            options.sync().get().refresh().toNanos(), workers == 1);
                    outboxes.add(outbox);
                    inboxes.add(inbox);
                    workerSyncs.add(workerSync);
                }
                PacketForwarder forwarder = new PacketForwarder(services, table, scheduler, macs, localMac,
                        directorAddress, link.mtu(), workerSync);
                forwarder.expireNodestConn(options.expireNodestConn());
                parts.add(new Part(services, table, scheduler, socket,
                        new ForwarderWorker(socket, forwarder, table, System::nanoTime, workerSync)));
            }
            SyncParts sync = null;
            if (!workerSyncs.isEmpty()) {
                List<Consumer<Runnable>> queues = new ArrayList<>();
                for (Part p : parts) {
                    queues.add(p.worker()::execute);
                }
                ConnectionSync daemon = new ConnectionSync(options.sync().get(), workerSyncs, outboxes, inboxes,
                        queues, System::nanoTime);
                opened.add(daemon);
                sync = new SyncParts(List.copyOf(workerSyncs), daemon, List.copyOf(outboxes), List.copyOf(inboxes));
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
            LOG.info("forwarder open on {} (mtu {}) with {} service(s), {} route(s), {} neighbour(s) resolved{}",
                    link.name(), link.mtu(), copy.size(), routes.size(), macs.resolved(),
                    workers == 1 ? "" : ", " + workers + " workers");
            return new ForwarderEngine(options, copy, parts, macs, resolver, netlink, steering,
                    ownAddresses(netlink, link.index(), copy), sync);
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

    /** The VIPs of {@code specs}, for the {@link FanoutProgram}. */
    static int[] vips(List<ServiceSpec> specs) {
        return specs.stream().mapToInt(s -> Ipv4.toInt(s.address())).distinct().toArray();
    }

    /** The receive ring: {@link #RX_FRAMES} (rounded up to whole blocks) frames of {@link #RX_FRAME_SIZE}. */
    static RingGeometry receiveRing() {
        int perBlock = RX_BLOCK_SIZE / RX_FRAME_SIZE;
        int blocks = (RX_FRAMES + perBlock - 1) / perBlock;
        return new RingGeometry(RX_FRAME_SIZE, perBlock * blocks, RX_BLOCK_SIZE, blocks);
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
        activate(ConnectionSync.NOT_FENCED);
    }

    /** As {@link #activate()}, with the connection sync's messages in the fenced epoch ({@link ConnectionSync#becomeMaster(long)}). */
    public synchronized void activate(long fencedEpoch) throws IOException {
        requireOpen();
        install(SteeringPlan.matches(specs, ownAddresses));
        state = State.ACTIVE;
        if (sync != null) {
            sync.daemon().becomeMaster(fencedEpoch);
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
        installed = null;
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

    private void install(List<SteeringRules.Match> matches) throws IOException {
        steering.install(matches);
        installed = List.copyOf(matches);
    }

    public synchronized boolean active() {
        return state == State.ACTIVE;
    }

    /** Whether every forwarding thread is running: false only after {@link #close()}, or if one died. */
    public boolean forwarding() {
        return units.stream().allMatch(u -> u.thread().isAlive());
    }

    /** How many forwarding workers run ({@link EngineOptions#workers}). */
    public int workers() {
        return units.size();
    }

    /**
     * Sets a real server's weight on every worker's thread (0 drains: existing
     * flows continue, new ones go elsewhere); completes when all have it.
     * Completes exceptionally when the service or real server is unknown.
     */
    public CompletableFuture<Void> setWeight(Inet4Address vip, int protocol, int port, Inet4Address rip, int rport,
            int weight) {
        if (weight < 0) {
            throw new IllegalArgumentException("invalid weight: " + weight + " (expected: >= 0)");
        }
        return onEveryWorker(unit -> {
            VirtualService s = unit.services().lookup(protocol, Ipv4.toInt(vip), port);
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
        }, all -> null);
    }

    public CompletableFuture<Void> setWeight(ServiceSpec service, RealServerSpec realServer, int weight) {
        return setWeight(service.address(), service.protocol(), service.port(), realServer.address(),
                realServer.port(), weight);
    }

    /** The services with their real servers, weights and counters, read on the workers' threads and merged. */
    public CompletableFuture<List<ServiceSnapshot>> services() {
        return onEveryWorker(unit -> unit.snapshots().services(System.nanoTime()), Snapshots::merge);
    }

    /** The connection entries (ipvsadm -Lnc), read on the workers' threads, worker after worker. */
    public CompletableFuture<List<ConnectionSnapshot>> connections() {
        return onEveryWorker(unit -> unit.snapshots().connections(System.nanoTime()),
                lists -> lists.size() == 1 ? lists.getFirst() : lists.stream().flatMap(List::stream).toList());
    }

    /** Each worker's connection entries, in worker order: worker {@code i} owns those whose fanout key is {@code i}. */
    CompletableFuture<List<List<ConnectionSnapshot>>> connectionsByWorker() {
        return onEveryWorker(unit -> unit.snapshots().connections(System.nanoTime()), lists -> lists);
    }

    /**
     * The forwarder's counters: frames received, transmitted, passed, dropped by reason, malformed by
     * reason; neighbour misses; the sum over the workers ({@link #workerCounters()}).
     */
    public CompletableFuture<EngineCounters> counters() {
        return onEveryWorker(unit -> unit.counters(macs.misses()), each -> EngineCounters.merge(each, macs.misses()));
    }

    /** Each worker's own counters, in worker order (one entry with one worker). */
    public CompletableFuture<List<EngineCounters>> workerCounters() {
        return onEveryWorker(unit -> unit.counters(macs.misses()), each -> each);
    }

    private <T> CompletableFuture<T> onWorker(Supplier<T> query) {
        return onWorker(units.getFirst(), query);
    }

    private <T> CompletableFuture<T> onWorker(WorkerUnit unit, Supplier<T> query) {
        CompletableFuture<T> result = new CompletableFuture<>();
        synchronized (this) {
            if (state == State.CLOSED) {
                result.completeExceptionally(new IllegalStateException("forwarder closed"));
                return result;
            }
        }
        unit.worker().execute(() -> {
            try {
                result.complete(query.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /**
     * {@code query} on every worker's thread, then {@code merge} of the results in worker order;
     * fails with the first failing worker's exception. With one worker, exactly {@link #onWorker}.
     */
    private <T, R> CompletableFuture<R> onEveryWorker(Function<WorkerUnit, T> query, Function<List<T>, R> merge) {
        if (units.size() == 1) {
            WorkerUnit unit = units.getFirst();
            return onWorker(unit, () -> merge.apply(Collections.singletonList(query.apply(unit))));
        }
        List<CompletableFuture<T>> each = new ArrayList<>();
        for (WorkerUnit unit : units) {
            each.add(onWorker(unit, () -> query.apply(unit)));
        }
        CompletableFuture<R> result = new CompletableFuture<>();
        CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).whenComplete((done, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure instanceof CompletionException c && c.getCause() != null
                        ? c.getCause() : failure);
                return;
            }
            try {
                result.complete(merge.apply(each.stream().map(CompletableFuture::join).toList()));
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

    /**
     * The workers' sync counters (offered, overflow, applied, unknown service ...), each read on its worker, summed
     * over the workers (resync walks too: one bulk resync walks every worker's table).
     */
    public CompletableFuture<SyncCounters> syncCounters() {
        if (sync == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("connection sync not configured"));
        }
        return onEveryWorker(unit -> {
            WorkerSync w = sync.workers().get(unit.index());
            return new SyncCounters(w.offered(), w.overflow(), w.applied(), w.unknownService(),
                    w.unknownRealServer(), w.badEntry(), w.applyTableFull(), w.resyncWalks(), unit.table().size());
        }, SyncCounters::sum);
    }

    /** The services as they are now (after every completed runtime change), in the order they were added. */
    public List<ServiceSpec> specs() {
        return specs;
    }

    // ---------------------------------------------------------------- runtime changes

    /** Adds a virtual service (ipvsadm -A, with its real servers: -a); it is steered at once while active. */
    public CompletableFuture<Void> addService(ServiceSpec spec) {
        return change(spec.serviceAddress(), current -> {
            if (current != null) {
                throw new IllegalArgumentException("duplicate virtual service: " + spec);
            }
            return spec;
        });
    }

    /**
     * Brings a service to {@code spec} (ipvsadm -E, -a, -e, -d at once): scheduler, flags,
     * persistence and local addresses; real servers added, removed, their method changed;
     * a real server's weight set only when {@code spec}'s differs from the one it had.
     */
    public CompletableFuture<Void> editService(ServiceSpec spec) {
        return change(spec.serviceAddress(), current -> {
            requirePresent(spec.serviceAddress(), current);
            return spec;
        });
    }

    /** Removes a service (ipvsadm -D); its connections stay until they expire (expire_nodest_conn). */
    public CompletableFuture<Void> removeService(ServiceAddress service) {
        return change(service, current -> {
            requirePresent(service, current);
            return null;
        });
    }

    /** Adds a real server to a service (ipvsadm -a). */
    public CompletableFuture<Void> addRealServer(ServiceAddress service, RealServerSpec realServer) {
        return change(service, current -> {
            requirePresent(service, current);
            if (current.realServer(realServer.address(), realServer.port()).isPresent()) {
                throw new IllegalArgumentException("duplicate real server " + realServer + " in " + service);
            }
            return current.withRealServer(realServer);
        });
    }

    /** Changes a real server's weight and forwarding method (ipvsadm -e). */
    public CompletableFuture<Void> editRealServer(ServiceAddress service, RealServerSpec realServer) {
        return change(service, current -> {
            requireRealServer(service, current, realServer.address(), realServer.port());
            return current.withRealServer(realServer);
        });
    }

    /** Removes a real server (ipvsadm -d); its connections stay until they expire (expire_nodest_conn). */
    public CompletableFuture<Void> removeRealServer(ServiceAddress service, Inet4Address address, int port) {
        return change(service, current -> {
            requireRealServer(service, current, address, port);
            return current.withoutRealServer(address, port);
        });
    }

    private static void requirePresent(ServiceAddress service, ServiceSpec current) {
        if (current == null) {
            throw new IllegalArgumentException("no virtual service " + service);
        }
    }

    private static void requireRealServer(ServiceAddress service, ServiceSpec current, Inet4Address address,
            int port) {
        requirePresent(service, current);
        if (current.realServer(address, port).isEmpty()) {
            throw new IllegalArgumentException("no real server " + address.getHostAddress() + ":" + port + " in "
                    + service);
        }
    }

    /**
     * One runtime change on the control thread: {@code edit} turns the service's current spec
     * (null: absent) into the next one (null: remove it) or throws; steering grows first, the
     * worker applies, steering shrinks last. With several workers, the fanout program knows the
     * VIPs before and after while the change runs, and every worker applies it, one after the other.
     */
    private CompletableFuture<Void> change(ServiceAddress key, UnaryOperator<ServiceSpec> edit) {
        synchronized (this) {
            if (state == State.CLOSED) {
                return CompletableFuture.failedFuture(new IllegalStateException("forwarder closed"));
            }
        }
        return CompletableFuture.runAsync(() -> {
            List<ServiceSpec> before = specs;
            ServiceSpec old = before.stream().filter(s -> s.serviceAddress().equals(key)).findFirst().orElse(null);
            ServiceSpec next = edit.apply(old);
            List<ServiceSpec> after = new ArrayList<>(before);
            if (old == null) {
                after.add(next);
            } else if (next == null) {
                after.remove(old);
            } else {
                after.set(after.indexOf(old), next);
            }
            if (next != null) {
                next.realServers().forEach(r -> resolver.addTarget(macs.routes().nextHop(Ipv4.toInt(r.address()))));
            }
            List<SteeringRules.Match> grown = new ArrayList<>(new LinkedHashSet<>(concat(
                    SteeringPlan.matches(before, ownAddresses), SteeringPlan.matches(after, ownAddresses))));
            program(concat(before, after));
            steer(grown);
            try {
                if (units.size() == 1) {
                    onWorker(() -> {
                        units.getFirst().editor().apply(old, next);
                        return null;
                    }).get(CHANGE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } else {
                    applyOnEveryWorker(old, next);
                }
            } catch (ExecutionException e) {
                program(before);
                steer(SteeringPlan.matches(before, ownAddresses));
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (InterruptedException | TimeoutException e) {
                throw new IllegalStateException("the worker did not apply " + key + " within "
                        + CHANGE_TIMEOUT_SECONDS + " s", e);
            }
            specs = List.copyOf(after);
            program(after);
            steer(SteeringPlan.matches(after, ownAddresses));
            LOG.info("forwarder: {} {}", old == null ? "added" : next == null ? "removed" : "changed",
                    next == null ? old : next);
        }, control);
    }

    /**
     * {@link ServiceEditor#apply} on each worker in turn; when one refuses, the workers that applied
     * the change are brought back ({@code apply(next, old)}) and the refusal is thrown.
     */
    private void applyOnEveryWorker(ServiceSpec old, ServiceSpec next)
            throws ExecutionException, InterruptedException, TimeoutException {
        for (int i = 0; i < units.size(); i++) {
            WorkerUnit unit = units.get(i);
            try {
                onWorker(unit, () -> {
                    unit.editor().apply(old, next);
                    return null;
                }).get(CHANGE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                for (WorkerUnit applied : units.subList(0, i)) {
                    try {
                        onWorker(applied, () -> {
                            applied.editor().apply(next, old);
                            return null;
                        }).get(CHANGE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    } catch (ExecutionException | TimeoutException undo) {
                        LOG.error("forwarder: worker {} not brought back after worker {} refused the change: {}",
                                applied.index(), unit.index(), undo.toString());
                        e.addSuppressed(undo);
                    }
                }
                throw e;
            }
        }
    }

    /** Sets the fanout program for the VIPs of {@code services} (several workers only). */
    private synchronized void program(List<ServiceSpec> services) {
        if (fanoutSocket == null || state == State.CLOSED) {
            return;
        }
        try {
            fanoutSocket.fanoutProgram(FanoutProgram.build(vips(services)));
        } catch (IOException e) {
            throw new UncheckedIOException("fanout program on " + options.interfaceName() + " not set", e);
        }
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** Installs {@code matches} while active, unless the table holds them already. */
    private synchronized void steer(List<SteeringRules.Match> matches) {
        if (state != State.ACTIVE || matches.equals(installed)) {
            return;
        }
        try {
            install(matches);
        } catch (IOException e) {
            throw new UncheckedIOException("steering table " + steering.tableName() + " not updated", e);
        }
    }

    private void requireOpen() {
        if (state == State.CLOSED) {
            throw new IllegalStateException("forwarder closed");
        }
    }

    /** Removes the steering rules, stops the threads, closes the sockets and frees the tables. */
    @Override
    public synchronized void close() throws IOException {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        control.shutdown();
        IOException failure = null;
        try {
            steering.remove();
        } catch (IOException e) {
            failure = e;
        }
        resolver.stop();
        resolverThread.interrupt();
        units.forEach(u -> u.worker().stop());
        if (sync != null) {
            sync.daemon().stop();
        }
        try {
            for (WorkerUnit u : units) {
                u.thread().join(TimeUnit.SECONDS.toMillis(5));
            }
            resolverThread.join(TimeUnit.SECONDS.toMillis(5));
            if (syncThread != null) {
                syncThread.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        units.forEach(u -> u.worker().close());
        netlink.close();
        if (sync != null) {
            try {
                sync.daemon().close();
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            }
        }
        for (WorkerUnit u : units) {
            if (!u.thread().isAlive()) {
                u.table().close(); // the worker no longer touches its off-heap entries
            }
        }
        if (sync != null && (syncThread == null || !syncThread.isAlive())) {
            for (WorkerUnit u : units) {
                if (!u.thread().isAlive()) { // neither the worker nor the daemon touches its rings any more
                    sync.outboxes().get(u.index()).close();
                    sync.inboxes().get(u.index()).close();
                }
            }
        }
        LOG.info("forwarder on {} closed", options.interfaceName());
        if (failure != null) {
            throw failure;
        }
    }
}
