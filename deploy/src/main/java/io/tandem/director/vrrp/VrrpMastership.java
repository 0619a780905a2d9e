package io.tandem.director.vrrp;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tandem.core.config.model.KeepalivedConfig;
import io.tandem.core.netlink.IfAddress;
import io.tandem.core.netlink.Link;
import io.tandem.core.netlink.RtNetlink;
import io.tandem.core.process.ProcessRunner;
import io.tandem.director.run.MastershipSource;
import io.tandem.vrrp.VrrpCoordination;
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

    private final KeepalivedConfig config;
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
    private VrrpEngine engine;
    private VrrpNotifier notifications;
    private volatile Listener listener;
    private final java.util.concurrent.atomic.AtomicBoolean master = new java.util.concurrent.atomic.AtomicBoolean();

    public VrrpMastership(KeepalivedConfig config) {
        if (config.vrrpInstances().isEmpty()) {
            throw new IllegalArgumentException("no vrrp_instance in the configuration (expected: at least one;"
                    + " use static mastership without VRRP)");
        }
        checkTracking(config);
        this.config = config;
    }

    /**
     * Checks the instances, tracking, sync-group and notify parts of {@code config} against what the VRRP engine
     * runs, without the network (for {@code check-config} and before {@code run} starts anything).
     *
     * @throws IllegalArgumentException starting with the offending block's {@code file:line}
     */
    public static void checkTracking(KeepalivedConfig config) {
        // each instance as the engine would take it, with a stand-in primary address: the interface's is
        // only known on the director itself
        VrrpConfigMapping instances = new VrrpConfigMapping(config, (name, ipv6) -> Optional.of(ipv6
                ? InetAddress.ofLiteral("fe80::1") : InetAddress.ofLiteral("192.0.2.1")));
        config.vrrpInstances().forEach(instances::map);
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
        Set<InetAddress> vips = new HashSet<>();
        config.vrrpInstances().forEach(i -> i.virtualIpAddresses().forEach(a -> vips.add(a.address())));
        try (RtNetlink netlink = RtNetlink.open()) {
            VrrpConfigMapping mapping = new VrrpConfigMapping(config,
                    (name, ipv6) -> primary(netlink, name, ipv6, vips));
            return mapping.mapAll(config.vrrpInstances());
        }
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
        List<VrrpInstanceConfig> configs = instanceConfigs(config);
        configs.forEach(c -> states.put(c.name(), VrrpState.INIT));
        notifier.execute(listener::becameBackup);
        VrrpTrackingMapping tracking = new VrrpTrackingMapping(config);
        VrrpCoordination coordination = tracking.coordination(processes);
        VrrpNotifier notify = new VrrpNotifier(tracking.instanceNotifies(), tracking.groupNotifies(),
                tracking.fifos(), NOTIFY_TIMEOUT, processes);
        notifications = notify;
        engine = VrrpEngine.start(configs, registry, change -> {
                    stateChanged(change);
                    notify.stateChanged(change);
                }, this::beforeAddingAddresses, coordination);
        LOG.info("VRRP started: {}", configs.stream().map(VrrpInstanceConfig::toString).toList());
    }

    /**
     * On the VRRP loop, before a new master adds its VIPs: forwarding (steering) goes on first,
     * synchronously, so the kernel never sees a packet for a VIP it would answer with a reset.
     * A file without virtual servers steers nothing, so its VIPs do not wait for it: the
     * director hears MASTER afterwards, from {@link #stateChanged}.
     */
    private void beforeAddingAddresses() {
        Listener l = listener;
        if (l != null && !config.virtualServers().isEmpty() && !master.getAndSet(true)) {
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

    /** Each instance's last known state. */
    public Map<String, VrrpState> states() {
        return Map.copyOf(states);
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
