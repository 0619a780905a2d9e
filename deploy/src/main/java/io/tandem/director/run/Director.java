package io.tandem.director.run;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tandem.core.config.model.KeepalivedConfig;
import io.tandem.core.linux.LinuxException;
import io.tandem.core.process.ProcessRunner;
import io.tandem.director.admin.AdminServer;
import io.tandem.director.sync.SyncMetrics;
import io.tandem.director.sync.SyncMapping;
import io.tandem.director.zk.ZooKeeperCoordination;
import io.tandem.forwarder.sync.SyncOptions;
import java.util.Optional;
import io.tandem.forwarder.api.ConnectionSnapshot;
import io.tandem.forwarder.api.ServiceSnapshot;
import io.tandem.forwarder.engine.EngineCounters;
import io.tandem.forwarder.engine.EngineOptions;
import io.tandem.forwarder.engine.ForwarderEngine;
import io.tandem.forwarder.engine.ServiceSpec;
import io.tandem.healthcheck.HealthListener;
import io.tandem.healthcheck.config.VirtualServiceConfig;
import io.tandem.healthcheck.icmp.IcmpEchoPinger;
import io.tandem.healthcheck.metrics.HealthMetrics;
import io.tandem.healthcheck.netty.CheckTransport;
import io.tandem.healthcheck.netty.NettyCheckers;
import io.tandem.healthcheck.process.NotifyScripts;
import io.tandem.healthcheck.schedule.EventLoopScheduler;
import io.tandem.healthcheck.schedule.HealthMonitor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configuration, wired: the virtual servers become forwarder services,
 * the real servers' checkers run in the health monitor and set the
 * forwarder's weights, the admin HTTP serves /metrics and /status, and a
 * {@link MastershipSource} turns forwarding on (master: steering installed)
 * and off (backup). Without {@code vrrp_instance} the source is
 * {@link StaticMastership}: master from the start. With
 * {@link DirectorOptions.Subsystems#VRRP} only the mastership runs (no
 * forwarder, no checks); with {@link DirectorOptions.Subsystems#CHECK} the
 * checks and the forwarder run, forwarding from the start.
 *
 * <p>{@link #reload} takes a new configuration (a file read and checked by
 * SIGHUP, or any other source) and applies the difference: services added,
 * removed or changed through the forwarder's runtime API while the others
 * keep their connections; the health monitor keeps the state of unchanged
 * checkers; the mastership source keeps its unchanged VRRP instances. What
 * cannot change at runtime ({@link NotReloadable}) refuses the whole reload.
 * Each reload is counted ({@code tandem_config_reloads_total{result}}),
 * logged, and shown as {@code last_reload} in /status.
 *
 * <p>Lifecycle {@code NEW -> STARTED -> CLOSED}; {@link #close()} undoes
 * everything in reverse, also after a failed start.
 */
public final class Director implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Director.class);
    private static final int MAX_LISTED_CONNECTIONS = 10_000;
    /** How long a notify_up/down or quorum_up/down command may run before it is killed (as VRRP's notify). */
    private static final java.time.Duration NOTIFY_TIMEOUT = java.time.Duration.ofSeconds(10);

    private volatile KeepalivedConfig config;
    /** As given, before {@link #members} adds the discovered real servers. */
    private volatile KeepalivedConfig declared;
    private volatile java.util.function.UnaryOperator<KeepalivedConfig> members = c -> c;
    private final DirectorOptions options;
    private final MastershipSource mastership;
    private final Optional<ZooKeeperCoordination> zooKeeper;
    /** The services as configured (real-server weights from the file), in file order. */
    private volatile List<ServiceSpec> specs;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final ForwarderMetrics.LatestSnapshot latest = new ForwarderMetrics.LatestSnapshot();
    private final EngineCounterMetrics.LatestCounters latestCounters = new EngineCounterMetrics.LatestCounters();
    private final java.util.concurrent.atomic.AtomicLong tableEntries = new java.util.concurrent.atomic.AtomicLong();
    private ForwarderEngine engine;
    private HealthToWeights weights;
    private HealthMonitor monitor;
    private NotifyScripts notify;
    private volatile IcmpEchoPinger pinger;
    private ForwarderMetrics forwarderMetrics;
    private PrometheusMeterRegistry registry;
    private String iface;
    private AdminServer admin;
    private final Map<ReloadOutcome.Result, java.util.concurrent.atomic.AtomicLong> reloads =
            new java.util.EnumMap<>(ReloadOutcome.Result.class);
    private volatile ReloadOutcome lastReload;
    private final Object reloading = new Object();
    private volatile String state = "BACKUP";
    private boolean started;
    private boolean closed;

    public Director(KeepalivedConfig config, DirectorOptions options, MastershipSource mastership) {
        this(config, options, mastership, Optional.empty());
    }

    /** With the ZooKeeper session (and fence) of the configuration's zookeeper block, closed after mastership. */
    public Director(KeepalivedConfig config, DirectorOptions options, MastershipSource mastership,
            Optional<ZooKeeperCoordination> zooKeeper) {
        this.zooKeeper = zooKeeper;
        this.config = config;
        this.declared = config;
        this.options = options;
        this.mastership = mastership;
        this.specs = options.subsystems().forwarding() ? ServiceMapping.services(config) : List.of();
        for (ReloadOutcome.Result r : ReloadOutcome.Result.values()) {
            reloads.put(r, new java.util.concurrent.atomic.AtomicLong());
        }
    }

    private static Map<String, ServiceSpec> byKey(List<ServiceSpec> specs) {
        Map<String, ServiceSpec> byKey = new LinkedHashMap<>();
        specs.forEach(s -> byKey.put(ServiceMapping.key(s), s));
        return byKey;
    }

    /** The mastership for {@code config}: static unless it has VRRP instances (which the integrator wires). */
    public static MastershipSource staticMastershipFor(KeepalivedConfig config) {
        if (!config.vrrpInstances().isEmpty()) {
            throw new IllegalArgumentException("the configuration has " + config.vrrpInstances().size()
                    + " vrrp_instance block(s): pass a VRRP MastershipSource (expected: none for static mode)");
        }
        return new StaticMastership();
    }

    /** Opens the forwarder (on this thread's network namespace), starts checks, admin HTTP and mastership. */
    public synchronized void start() throws Exception {
        if (started) {
            throw new IllegalStateException("director already started");
        }
        started = true;
        zooKeeper.ifPresent(resources::add); // closed last: the VRRP shutdown releases the leases first
        try {
            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            JvmGcMetrics gc = new JvmGcMetrics();
            gc.bindTo(registry);
            resources.add(gc);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            // keepalived-exporter's keepalived_up: 1 whenever the director answers a scrape, as its dashboards expect
            io.micrometer.core.instrument.Gauge.builder("keepalived.up", () -> 1)
                    .description("The director is up (keepalived-exporter's keepalived_up)").register(registry);
            resources.add(registry::close);
            zooKeeper.ifPresent(z -> z.register(registry));
            for (ReloadOutcome.Result r : ReloadOutcome.Result.values()) {
                io.micrometer.core.instrument.FunctionCounter.builder("tandem_config_reloads", reloads.get(r),
                                java.util.concurrent.atomic.AtomicLong::get)
                        .description("Configuration reloads (SIGHUP) by result: ok, rejected (nothing changed),"
                                + " failed (applied in part)")
                        .tag("result", r.label()).register(registry);
            }
            if (options.subsystems().forwarding()) {
                startForwarding();
            }

            InetSocketAddress bind = options.admin() != null ? options.admin()
                    : new InetSocketAddress(config.admin().address(), config.admin().port());
            admin = AdminServer.start(bind, registry, this::statusJson, config.admin().token().orElse(null));
            resources.add(admin);
            LOG.info("admin HTTP on {}", admin.address());

            mastership.start(new MastershipSource.Listener() {
                @Override
                public void becameMaster() {
                    transition("MASTER");
                }

                @Override
                public void becameBackup() {
                    transition("BACKUP");
                }
            }, registry);
            resources.add(mastership);
            LOG.info("director started ({}): {} service(s){}", options.subsystems(), specs.size(),
                    iface == null ? "" : " on " + iface);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    private void startForwarding() throws IOException {
        iface = options.interfaceName() != null ? options.interfaceName()
                : InterfaceChoice.choose(specs, vrrpInterface(config));
        EngineOptions engineOptions = EngineOptions.of(iface, options.instance())
                .withNftPrefix(options.nftPrefix());
        if (options.workers() > 1) {
            engineOptions = engineOptions.withWorkers(options.workers());
        }
        Optional<SyncOptions> sync = SyncMapping.options(config);
        if (sync.isPresent()) {
            engineOptions = engineOptions.withSync(sync.get());
        }
        engine = ForwarderEngine.open(engineOptions, specs);
        resources.add(engine);
        forwarderMetrics = ForwarderMetrics.register(registry, specs, latest);
        EngineCounterMetrics.register(registry, latestCounters);
        engine.connectionSync().ifPresent(c -> SyncMetrics.register(registry, c));
        io.micrometer.core.instrument.Gauge.builder("tandem_connection_table_entries", tableEntries,
                java.util.concurrent.atomic.AtomicLong::get)
                .description("Entries in this director's connection table (a standby's are synced copies)")
                .register(registry);
        startHealthChecks(registry);
        ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("director-refresh").daemon().factory());
        refresher.scheduleAtFixedRate(this::refresh, 0, 1, TimeUnit.SECONDS);
        resources.add(refresher::shutdownNow);
    }

    /**
     * Every checker of the configuration on one event loop, its events to the metrics, the forwarder's
     * weights (and sorry servers) and the notify_up/down, quorum_up/down commands. The ICMP socket of
     * PING_CHECK is opened here, in the director's network namespace, when one is configured.
     */
    private void startHealthChecks(PrometheusMeterRegistry registry) throws LinuxException {
        CheckTransport transport = CheckTransport.create(1, Executors.newVirtualThreadPerTaskExecutor());
        resources.add(() -> transport.group().shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly());
        ProcessRunner processes = new ProcessRunner();
        resources.add(processes);
        List<VirtualServiceConfig> checks = HealthMapping.services(config.virtualServers(), keys(specs));
        openPingerFor(checks);
        HealthMetrics metrics = new HealthMetrics(registry);
        weights = new HealthToWeights(engine, byKey(specs));
        notify = new NotifyScripts(processes, NOTIFY_TIMEOUT);
        notify.configure(checks);
        HealthListener listener = event -> {
            metrics.onEvent(event);
            weights.onEvent(event);
            notify.onEvent(event);
        };
        monitor = new HealthMonitor(new EventLoopScheduler(transport.group().next()),
                new NettyCheckers(transport, processes, () -> Objects.requireNonNull(pinger, "no ICMP socket")),
                listener, metrics, new SplittableRandom());
        monitor.apply(checks);
        resources.add(monitor);
    }

    /** Opens the ICMP socket of PING_CHECK once a configuration has one (at start or by a reload). */
    private synchronized void openPingerFor(List<VirtualServiceConfig> checks) throws LinuxException {
        if (pinger == null && HealthMapping.pings(checks)) {
            pinger = IcmpEchoPinger.open();
            resources.add(pinger);
        }
    }

    /** The one place the forwarding state changes. */
    private synchronized void transition(String to) {
        if (closed && to.equals("MASTER")) {
            return;
        }
        String from = state;
        try {
            if (engine == null) {
                // VRRP only: the instances hold the VIPs, nothing to forward
            } else if (to.equals("MASTER")) {
                engine.activate(mastership.fencedEpoch());
            } else {
                engine.deactivate();
            }
            state = to;
            if (!from.equals(to)) {
                LOG.info("director {} -> {}", from, to);
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("director {} -> {} failed: {}", from, to, e.toString());
        }
    }

    /** The first vrrp_instance's interface: where the VIPs are, when no real server names a subnet yet. */
    private static Optional<String> vrrpInterface(KeepalivedConfig c) {
        return c.vrrpInstances().stream().findFirst().flatMap(io.tandem.core.config.model.VrrpInstance::interfaceName);
    }

    private static List<String> keys(List<ServiceSpec> specs) {
        return specs.stream().map(ServiceMapping::key).toList();
    }

    // ---------------------------------------------------------------- reload

    /**
     * Applies {@code next} (already checked as {@code check-config} checks a file) as a difference
     * from the running configuration, and records the outcome. {@code source} names where it came
     * from (the file) for the log and /status.
     */
    public ReloadOutcome reload(KeepalivedConfig next, String source) {
        // not this object's lock: the VRRP loop takes it (transition) while a reload waits for that loop
        synchronized (reloading) {
            ReloadOutcome outcome = reloadNow(members.apply(next), source);
            if (outcome.result() != ReloadOutcome.Result.REJECTED) {
                declared = next;
            }
            return outcome;
        }
    }

    /**
     * From now on every configuration this director runs is {@code addMembers} applied to the one it
     * is given (the file, or a reload): the real servers discovered in ZooKeeper join their virtual
     * servers that way, and stay across a SIGHUP.
     */
    public void followMembership(java.util.function.UnaryOperator<KeepalivedConfig> addMembers) {
        members = java.util.Objects.requireNonNull(addMembers, "addMembers");
    }

    /** The membership changed: the running file's configuration again, with the members as they are now. */
    public ReloadOutcome membershipChanged(String source) {
        return reload(declared, source);
    }

    /**
     * The established connections in the forwarder's table to real server {@code rip}:{@code rport} of the
     * service at {@code vip}:{@code port} (read from the table itself: a real server's counters start again
     * when a reload changes it); 0 without a forwarder. Closing ones (FIN_WAIT, TIME_WAIT) are not counted.
     */
    public long activeConnectionsTo(java.net.InetAddress vip, int port, java.net.InetAddress rip, int rport) {
        if (engine == null) {
            return 0;
        }
        try {
            return engine.connections().get(5, TimeUnit.SECONDS).stream()
                    .filter(c -> c.virtualAddress().equals(vip) && c.virtualPort() == port
                            && c.destinationAddress().equals(rip) && c.destinationPort() == rport
                            && c.state().equals("ESTABLISHED"))
                    .count();
        } catch (Exception e) {
            return 1; // unknown: keep draining, ask again later
        }
    }

    /** The configuration as given (the file), without discovered real servers. */
    public KeepalivedConfig declared() {
        return declared;
    }

    private ReloadOutcome reloadNow(KeepalivedConfig next, String source) {
        if (!started || closed) {
            throw new IllegalStateException("director not running");
        }
        List<String> refusals = new ArrayList<>();
        List<ServiceSpec> nextSpecs = List.of();
        List<VirtualServiceConfig> nextHealth = List.of();
        MastershipSource.Reload vrrp = MastershipSource.Reload.NONE;
        try {
            refusals.addAll(NotReloadable.reasons(config, next));
            if (options.subsystems().forwarding()) {
                nextSpecs = ServiceMapping.services(next);
                nextHealth = HealthMapping.services(next.virtualServers(), keys(nextSpecs));
                if (options.interfaceName() == null && !nextSpecs.isEmpty()
                        && !InterfaceChoice.choose(nextSpecs, vrrpInterface(next)).equals(iface)) {
                    refusals.add("the forwarding interface would change from " + iface + " to "
                            + InterfaceChoice.choose(nextSpecs, vrrpInterface(next)) + " (expected: the same; restart tandem, or pass"
                            + " --interface)");
                }
            }
            if (options.subsystems().vrrp()) {
                if (config.vrrpInstances().isEmpty() && !next.vrrpInstances().isEmpty()) {
                    refusals.add("vrrp_instance blocks were added to a configuration that had none: the director"
                            + " forwards without VRRP (expected: none; restart tandem to run with VRRP)");
                } else {
                    vrrp = mastership.prepareReload(next);
                }
            }
        } catch (Exception e) {
            refusals.add(e.getMessage() == null ? e.toString() : e.getMessage());
        }
        if (!refusals.isEmpty()) {
            return rejected(source, refusals);
        }

        ServiceChanges changes = ServiceChanges.of(specs, nextSpecs);
        List<String> failures = new ArrayList<>();
        List<ServiceSpec> applied = List.of();
        if (engine != null) {
            ServiceReload services = new ServiceReload(engine, specs, changes);
            applied = services.applied();
            failures.addAll(services.failures());
            weights.services(byKey(applied));
            forwarderMetrics.update(applied);
            try {
                openPingerFor(nextHealth);
            } catch (LinuxException e) {
                failures.add("PING_CHECK: the ICMP socket did not open: " + e.getMessage());
            }
            notify.configure(nextHealth);
            monitor.apply(services.health(HealthMapping.services(config.virtualServers(), keys(specs)), nextHealth));
        }
        try {
            vrrp.apply();
        } catch (Exception e) {
            failures.add("VRRP: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
        config = next;
        specs = applied;
        String summary = (options.subsystems().forwarding() ? changes.summary() : "services not run")
                + "; " + (options.subsystems().vrrp() ? vrrp.summary() : "vrrp not run");
        ReloadOutcome outcome = new ReloadOutcome(failures.isEmpty() ? ReloadOutcome.Result.OK
                : ReloadOutcome.Result.FAILED, java.time.Instant.now(), source, failures, summary);
        record(outcome);
        return outcome;
    }

    /** Records a reload refused before anything changed (the file's errors, or what cannot be reloaded). */
    public ReloadOutcome rejected(String source, List<String> problems) {
        ReloadOutcome outcome = ReloadOutcome.rejected(source, problems);
        record(outcome);
        return outcome;
    }

    private void record(ReloadOutcome outcome) {
        long n = reloads.get(outcome.result()).incrementAndGet();
        lastReload = outcome;
        switch (outcome.result()) {
            case OK -> LOG.info("reload of {}: ok: {}", outcome.source(), outcome.summary());
            case REJECTED -> {
                outcome.messages().forEach(m -> LOG.error("reload of {}: {}", outcome.source(), m));
                LOG.error("reload of {}: rejected ({} rejected so far); the running configuration stays",
                        outcome.source(), n);
            }
            case FAILED -> {
                outcome.messages().forEach(m -> LOG.error("reload of {}: {}", outcome.source(), m));
                LOG.error("reload of {}: failed in part: {}", outcome.source(), outcome.summary());
            }
        }
    }

    /** The last reload's outcome, if any. */
    public Optional<ReloadOutcome> lastReload() {
        return Optional.ofNullable(lastReload);
    }

    /** How many reloads ended with {@code result}. */
    public long reloads(ReloadOutcome.Result result) {
        return reloads.get(result).get();
    }

    private void refresh() {
        try {
            latest.set(engine.services().get(2, TimeUnit.SECONDS));
            EngineCounters counters = engine.counters().get(2, TimeUnit.SECONDS);
            latestCounters.set(counters);
            tableEntries.set(counters.connections());
        } catch (Exception e) {
            LOG.debug("snapshot refresh failed: {}", e.toString());
        }
    }

    /** The /status document. */
    String statusJson() {
        if (engine == null) {
            Map<String, Object> doc = StatusReport.write(state, "vrrp", List.of(), List.of(), 0, Map.of(),
                    (s, rs) -> Optional.empty());
            doc.put("vrrp_instances", mastership.instanceStates());
            addReloads(doc);
            zooKeeper.ifPresent(z -> doc.put("zookeeper", z.status()));
            return Json.write(doc);
        }
        try {
            List<ServiceSnapshot> services = engine.services().get(2, TimeUnit.SECONDS);
            List<ConnectionSnapshot> connections = engine.connections().get(2, TimeUnit.SECONDS);
            if (connections.size() > MAX_LISTED_CONNECTIONS) {
                connections = connections.subList(0, MAX_LISTED_CONNECTIONS);
            }
            EngineCounters c = engine.counters().get(2, TimeUnit.SECONDS);
            Map<String, Object> counters = new LinkedHashMap<>();
            counters.put("received", c.received());
            counters.put("transmitted", c.transmitted());
            counters.put("passed", c.passed());
            counters.put("dropped", c.dropped());
            counters.put("transmit_ring_full", c.transmitRingFull());
            counters.put("transmit_kick_failures", c.transmitKickFailures());
            counters.put("segmented", c.segmented());
            counters.put("offloaded", c.offloaded());
            counters.put("neighbour_misses", c.neighbourMisses());
            counters.put("no_destination", c.noDestination());
            counters.put("rescheduled", c.rescheduled());
            counters.put("toa_added", c.toaAdded());
            counters.put("toa_no_room", c.toaNoRoom());
            counters.put("connections", c.connections());
            Map<String, Object> drops = new LinkedHashMap<>();
            c.drops().forEach((reason, n) -> drops.put(reason.name().toLowerCase(java.util.Locale.ROOT), n));
            counters.put("drops", drops);
            Map<String, Object> malformed = new LinkedHashMap<>();
            c.malformed().forEach((result, n) -> malformed.put(result.name().toLowerCase(java.util.Locale.ROOT), n));
            counters.put("malformed", malformed);
            Map<String, Object> icmp = new LinkedHashMap<>();
            c.icmp().forEach((counter, n) -> icmp.put(counter.label(), n));
            counters.put("icmp", icmp);
            if (engine.connectionSync().isPresent()) {
                var daemon = engine.connectionSync().get();
                var w = engine.syncCounters().get(2, TimeUnit.SECONDS);
                Map<String, Object> sync = new LinkedHashMap<>();
                sync.put("role", daemon.master() ? "sending" : "receiving");
                sync.put("epoch", daemon.epoch());
                sync.put("messages_sent", daemon.messagesSent());
                sync.put("entries_sent", daemon.entriesSent());
                sync.put("messages_received", daemon.messagesReceived());
                sync.put("entries_received", daemon.entriesReceived());
                sync.put("entries_applied", w.applied());
                sync.put("outbox_overflow", w.overflow());
                sync.put("unknown_service", w.unknownService());
                sync.put("unknown_real_server", w.unknownRealServer());
                sync.put("resyncs_completed", daemon.resyncsCompleted());
                sync.put("last_resync_entries", daemon.lastResyncEntries());
                sync.put("workers", daemon.workers());
                sync.put("owner_mismatch", daemon.ownerMismatch());
                Map<String, Object> dropped = new LinkedHashMap<>();
                for (var r : io.tandem.forwarder.sync.SyncRejection.values()) {
                    dropped.put(r.label(), daemon.rejected(r));
                }
                sync.put("dropped", dropped);
                counters.put("sync", sync);
            }
            Map<String, Object> doc = StatusReport.write(state,
                    config.vrrpInstances().isEmpty() || !options.subsystems().vrrp() ? "static" : "vrrp",
                    services, connections, c.capacity(), counters, (s, rs) -> weights.health(keyOf(s), rs));
            doc.put("vrrp_instances", mastership.instanceStates());
            addReloads(doc);
            zooKeeper.ifPresent(z -> doc.put("zookeeper", z.status()));
            return Json.write(doc);
        } catch (Exception e) {
            return Json.write(Map.of("state", state, "error", e.toString()));
        }
    }

    private void addReloads(Map<String, Object> doc) {
        Map<String, Object> counts = new LinkedHashMap<>();
        reloads.forEach((r, n) -> counts.put(r.label(), n.get()));
        doc.put("reloads", counts);
        ReloadOutcome last = lastReload;
        doc.put("last_reload", last == null ? null : last.toStatus());
    }

    private static String keyOf(ServiceSnapshot s) {
        return s.address().getHostAddress() + ":" + s.port() + "/" + (s.protocol() == 6 ? "TCP" : "UDP");
    }

    public InetSocketAddress adminAddress() {
        return admin.address();
    }

    public String state() {
        return state;
    }

    /**
     * Gives mastership up now, ahead of the rest of {@link #close()}: VRRP sends priority 0 and
     * removes its VIPs, so a backup takes over after Skew_Time rather than after whatever the rest
     * of the shutdown costs. What is left for {@link #close()} is unchanged; calling it twice, or
     * before start, does nothing.
     */
    public void relinquish() {
        MastershipSource giveUp;
        synchronized (this) {
            if (closed || !resources.remove(mastership)) {
                return;
            }
            giveUp = mastership;
        }
        try {
            giveUp.close();
        } catch (Exception e) {
            LOG.warn("while giving mastership up: {}", e.toString());
        }
    }

    /**
     * Stops mastership (steering removed), checks, admin HTTP and the forwarder, in reverse order of start.
     * Not under the director's lock: stopping the mastership hands the director BACKUP on the mastership's
     * own thread ({@link #transition}), and waits for it.
     */
    @Override
    public void close() {
        List<AutoCloseable> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(resources);
            resources.clear();
        }
        for (AutoCloseable r : toClose.reversed()) {
            try {
                r.close();
            } catch (Exception e) {
                LOG.warn("while stopping: {}", e.toString());
            }
        }
        LOG.info("director stopped");
    }
}
