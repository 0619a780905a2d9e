package io.tandem.director.vrrp;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tandem.core.config.model.KeepalivedConfig;
import io.tandem.core.netlink.IfAddress;
import io.tandem.core.netlink.Link;
import io.tandem.core.netlink.RtNetlink;
import io.tandem.core.process.ProcessRunner;
import io.tandem.director.run.MastershipSource;
import io.tandem.vrrp.VrrpInstanceConfig;
import io.tandem.vrrp.VrrpState;
import io.tandem.vrrp.VrrpStateChange;
import io.tandem.vrrp.net.VrrpEngine;
import io.tandem.vrrp.notify.VrrpNotifier;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mastership from VRRP: the director forwards while any {@code vrrp_instance} of the
 * file is MASTER (the instances of a two-director pair move together, as a
 * {@code vrrp_sync_group} makes them). Forwarding goes on synchronously, before the new
 * master adds its VIPs; it goes off on a thread of its own, in order. {@link #close} is the VRRP shutdown (priority 0, VIPs
 * removed), then the director hears BACKUP. vrrp_scripts, track_files and sync groups run in the
 * engine; notify scripts and FIFOs ({@link VrrpNotifier}) hear every change after the director.
 */
public final class VrrpMastership implements MastershipSource {
    private static final Logger LOG = LoggerFactory.getLogger(VrrpMastership.class);

    private volatile KeepalivedConfig config;
    private final Map<String, VrrpState> states = new ConcurrentHashMap<>();
    private final ExecutorService notifier = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("vrrp-mastership").daemon().factory());
    /**
     * How long a notify script may run before it is killed. keepalived sets no limit (its scripts are
     * fire-and-forget); Tandem runs one instance's scripts in order, so a hung one must not hold the
     * next for ever. 10 s is keepalived's default for its startup and shutdown scripts.
     */
    static final Duration NOTIFY_TIMEOUT = Duration.ofSeconds(10);

    private final ProcessRunner processes = new ProcessRunner();
    private VrrpPart running;
    private VrrpEngine engine;
    private volatile VrrpNotifier notifications;
    private volatile Listener listener;
    private final java.util.concurrent.atomic.AtomicBoolean master = new java.util.concurrent.atomic.AtomicBoolean();

    private final io.tandem.vrrp.MastershipFence fence;
    private final java.util.function.LongSupplier fencedEpoch;

    public VrrpMastership(KeepalivedConfig config) {
        this(config, java.util.Optional.empty());
    }

    /** With mastership fenced by a ZooKeeper lease when {@code fence} is present. */
    public VrrpMastership(KeepalivedConfig config, Optional<io.tandem.director.zk.ZooKeeperFence> zooKeeperFence) {
        this.fence = zooKeeperFence.<io.tandem.vrrp.MastershipFence>map(f -> f).orElse(io.tandem.vrrp.MastershipFence.NONE);
        this.fencedEpoch = zooKeeperFence.<java.util.function.LongSupplier>map(f -> f::epoch)
                .orElse(() -> io.tandem.forwarder.sync.ConnectionSync.NOT_FENCED);
        if (config.vrrpInstances().isEmpty()) {
            throw new IllegalArgumentException("no vrrp_instance in the configuration (expected: at least one;"
                    + " use static mastership without VRRP)");
        }
        checkTracking(config);
        this.config = config;
    }

    /**
     * Checks the tracking, sync-group and notify parts of {@code config} against what the VRRP engine
     * runs, without the network (for {@code check-config} and before {@code run} starts anything).
     *
     * @throws IllegalArgumentException starting with the offending block's {@code file:line}
     */
    public static void checkTracking(KeepalivedConfig config) {
        VrrpTrackingMapping tracking = new VrrpTrackingMapping(config);
        for (io.tandem.core.config.model.VrrpInstance instance : config.vrrpInstances()) {
            tracking.trackers(instance, new HashSet<>());
        }
        tracking.coordination((argv, user, timeout) -> {
            throw new IllegalStateException("not running");
        });
        tracking.instanceNotifies();
        tracking.groupNotifies();
        tracking.fifos();
    }

    /** The engine's instance configurations, with primary addresses read from this namespace's interfaces. */
    public static List<VrrpInstanceConfig> instanceConfigs(KeepalivedConfig config) throws IOException {
        return part(config, List.of()).instances();
    }

    /**
     * The VRRP part of {@code config}, primary addresses read from this namespace's interfaces: an
     * interface's first address that is none of the file's VIPs, nor of {@code formerConfigs}' (on a
     * reload, a VIP the running configuration holds is no primary address either).
     */
    public static VrrpPart part(KeepalivedConfig config, List<KeepalivedConfig> formerConfigs) throws IOException {
        Set<InetAddress> vips = new HashSet<>();
        for (KeepalivedConfig c : concat(config, formerConfigs)) {
            c.vrrpInstances().forEach(i -> i.virtualIpAddresses().forEach(a -> vips.add(a.address())));
        }
        try (RtNetlink netlink = RtNetlink.open()) {
            return VrrpPart.of(config, (name, ipv6) -> primary(netlink, name, ipv6, vips));
        }
    }

    private static List<KeepalivedConfig> concat(KeepalivedConfig first, List<KeepalivedConfig> rest) {
        List<KeepalivedConfig> all = new java.util.ArrayList<>(rest);
        all.add(0, first);
        return all;
    }

    private static Optional<InetAddress> primary(RtNetlink netlink, String name, boolean ipv6, Set<InetAddress> vips) {
        try {
            Optional<Link> link = netlink.link(name);
            if (link.isEmpty()) {
                return Optional.empty();
            }
            return netlink.listAddresses(link.get().index()).stream().map(IfAddress::address)
                    .filter(a -> (a instanceof Inet6Address) == ipv6 && !vips.contains(a)
                            && !(a instanceof Inet6Address && !a.isLinkLocalAddress()))
                    .findFirst();
        } catch (IOException e) {
            LOG.warn("could not read the addresses of {}: {}", name, e.toString());
            return Optional.empty();
        }
    }

    @Override
    public void start(Listener newListener) throws Exception {
        start(newListener, new SimpleMeterRegistry());
    }

    @Override
    public synchronized void start(Listener newListener, MeterRegistry registry) throws Exception {
        if (listener != null) {
            throw new IllegalStateException("VRRP mastership already started");
        }
        listener = newListener;
        VrrpPart part = part(config, List.of());
        part.instances().forEach(c -> states.put(c.name(), VrrpState.INIT));
        notifier.execute(listener::becameBackup);
        notifications = notifier(part);
        engine = VrrpEngine.start(part.instances(), registry, part.garpRepeat(), part.garpDelay(),
                change -> {
                    stateChanged(change);
                    notifications.stateChanged(change);
                }, this::beforeAddingAddresses, part.coordination(processes).withFence(fence));
        running = part;
        LOG.info("VRRP started: {}", part.instances().stream().map(VrrpInstanceConfig::toString).toList());
    }

    private VrrpNotifier notifier(VrrpPart part) throws IOException {
        return new VrrpNotifier(part.instanceNotifies(), part.groupNotifies(), part.fifos(), NOTIFY_TIMEOUT,
                processes);
    }

    /** The running configuration becomes {@code next}, its VRRP part {@code nextPart} (what runs already). */
    private synchronized void adopt(KeepalivedConfig next, VrrpPart nextPart) {
        config = next;
        running = nextPart;
    }

    /** The VRRP part running now (null before start). */
    public synchronized VrrpPart running() {
        return running;
    }

    /**
     * A reload of the VRRP part, worked out from {@code next}: the instances that did not change
     * are kept ({@link VrrpChanges}). Refused when {@code next} has no vrrp_instance any more (the
     * director's mastership would change kind) or changes the gratuitous-ARP timing (the engine's,
     * set at start).
     */
    @Override
    public synchronized Reload prepareReload(KeepalivedConfig next) throws Exception {
        if (running == null) {
            throw new IllegalStateException("VRRP mastership not started");
        }
        if (next.vrrpInstances().isEmpty()) {
            throw new IllegalArgumentException("every vrrp_instance was removed: the director would forward without"
                    + " VRRP (expected: at least one vrrp_instance; restart tandem to run without VRRP)");
        }
        VrrpPart nextPart = part(next, List.of(config));
        if (nextPart.garpRepeat() != running.garpRepeat() || !nextPart.garpDelay().equals(running.garpDelay())) {
            throw new IllegalArgumentException("garp_master_repeat or garp_master_delay of the first vrrp_instance"
                    + " changed: the engine's gratuitous ARP timing is set at start (expected: the same; restart"
                    + " tandem to change it)");
        }
        VrrpChanges changes = VrrpChanges.of(running, nextPart);
        return new Reload() {
            @Override
            public boolean changesNothing() {
                return changes.none();
            }

            @Override
            public String summary() {
                return changes.summary();
            }

            @Override
            public void apply() throws Exception {
                if (changes.none()) {
                    adopt(next, nextPart);
                } else {
                    reload(next, nextPart, changes.kept());
                }
            }
        };
    }

    /**
     * A reload ({@link VrrpEngine#reconfigure}): the instances named in {@code keep} go on with
     * their state; every other running one stops (priority 0, its VIPs released) and the new
     * file's instances not kept start from INIT. The notify scripts and FIFOs are replaced when
     * they changed; the old ones finish what they queued.
     */
    public synchronized void reload(KeepalivedConfig next, VrrpPart nextPart, Set<String> keep) throws Exception {
        if (engine == null) {
            throw new IllegalStateException("VRRP mastership not started");
        }
        VrrpNotifier former = null;
        if (!nextPart.sameNotifications(running)) {
            former = notifications;
            notifications = notifier(nextPart);
        }
        try {
            engine.reconfigure(nextPart.instances(), nextPart.coordination(processes).withFence(fence), keep);
        } finally {
            Set<String> names = new HashSet<>();
            nextPart.instances().forEach(c -> names.add(c.name()));
            states.keySet().retainAll(names);
            nextPart.instances().forEach(c -> states.putIfAbsent(c.name(), VrrpState.INIT));
            adopt(next, nextPart);
            if (former != null) {
                former.close();
            }
        }
    }

    /**
     * On the VRRP loop, before a new master adds its VIPs: forwarding (steering) goes on first,
     * synchronously, so the kernel never sees a packet for a VIP it would answer with a reset.
     */
    private void beforeAddingAddresses() {
        Listener l = listener;
        if (l != null && !master.getAndSet(true)) {
            l.becameMaster();
        }
    }

    private void stateChanged(VrrpStateChange change) {
        states.put(change.instance(), change.to());
        boolean any = states.values().stream().anyMatch(s -> s == VrrpState.MASTER);
        // called on the VRRP loop, also while start() runs: never take this object's lock here
        if (master.getAndSet(any) == any) {
            return;
        }
        Listener l = listener;
        if (l != null) {
            notifier.execute(any ? l::becameMaster : l::becameBackup);
        }
    }

    @Override
    public long fencedEpoch() {
        return fencedEpoch.getAsLong();
    }

    /** Each instance's last known state. */
    public Map<String, VrrpState> states() {
        return Map.copyOf(states);
    }

    @Override
    public Map<String, String> instanceStates() {
        Map<String, String> names = new java.util.TreeMap<>();
        states.forEach((instance, state) -> names.put(instance, state.name()));
        return names;
    }

    @Override
    public synchronized void close() {
        if (engine != null) {
            engine.close();
            engine = null;
        }
        if (notifications != null) {
            notifications.close(); // after the engine: the STOP notifications run first
            notifications = null;
        }
        processes.close();
        if (listener != null) {
            Listener l = listener;
            notifier.execute(l::becameBackup);
            listener = null;
        }
        notifier.shutdown();
        try {
            notifier.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
