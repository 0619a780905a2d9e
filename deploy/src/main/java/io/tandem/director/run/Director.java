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
import io.tandem.core.process.ProcessRunner;
import io.tandem.director.admin.AdminServer;
import io.tandem.director.sync.SyncMetrics;
import io.tandem.director.sync.SyncMapping;
import io.tandem.forwarder.sync.SyncOptions;
import java.util.Optional;
import io.tandem.forwarder.api.ConnectionSnapshot;
import io.tandem.forwarder.api.ServiceSnapshot;
import io.tandem.forwarder.engine.EngineCounters;
import io.tandem.forwarder.engine.EngineOptions;
import io.tandem.forwarder.engine.ForwarderEngine;
import io.tandem.forwarder.engine.ServiceSpec;
import io.tandem.healthcheck.HealthListener;
import io.tandem.healthcheck.metrics.HealthMetrics;
import io.tandem.healthcheck.netty.CheckTransport;
import io.tandem.healthcheck.netty.NettyCheckers;
import io.tandem.healthcheck.schedule.EventLoopScheduler;
import io.tandem.healthcheck.schedule.HealthMonitor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * {@link StaticMastership}: master from the start.
 *
 * <p>Lifecycle {@code NEW -> STARTED -> CLOSED}; {@link #close()} undoes
 * everything in reverse, also after a failed start.
 */
public final class Director implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Director.class);
    private static final int MAX_LISTED_CONNECTIONS = 10_000;

    private final KeepalivedConfig config;
    private final DirectorOptions options;
    private final MastershipSource mastership;
    private final List<ServiceSpec> specs;
    private final Map<String, ServiceSpec> byKey = new LinkedHashMap<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final ForwarderMetrics.LatestSnapshot latest = new ForwarderMetrics.LatestSnapshot();
    private final java.util.concurrent.atomic.AtomicLong tableEntries = new java.util.concurrent.atomic.AtomicLong();
    private ForwarderEngine engine;
    private HealthToWeights weights;
    private AdminServer admin;
    private volatile String state = "BACKUP";
    private boolean started;
    private boolean closed;

    public Director(KeepalivedConfig config, DirectorOptions options, MastershipSource mastership) {
        this.config = config;
        this.options = options;
        this.mastership = mastership;
        this.specs = ServiceMapping.services(config);
        for (ServiceSpec s : specs) {
            byKey.put(ServiceMapping.key(s), s);
        }
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
        try {
            String iface = options.interfaceName() != null ? options.interfaceName() : InterfaceChoice.choose(specs);
            EngineOptions engineOptions = EngineOptions.of(iface, options.instance())
                    .withNftPrefix(options.nftPrefix());
            Optional<SyncOptions> sync = SyncMapping.options(config);
            if (sync.isPresent()) {
                engineOptions = engineOptions.withSync(sync.get());
            }
            engine = ForwarderEngine.open(engineOptions, specs);
            resources.add(engine);

            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            JvmGcMetrics gc = new JvmGcMetrics();
            gc.bindTo(registry);
            resources.add(gc);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            ForwarderMetrics.register(registry, specs, latest);
            engine.connectionSync().ifPresent(c -> SyncMetrics.register(registry, c));
            io.micrometer.core.instrument.Gauge.builder("tandem_connection_table_entries", tableEntries,
                    java.util.concurrent.atomic.AtomicLong::get)
                    .description("Entries in this director's connection table (a standby's are synced copies)")
                    .register(registry);
            resources.add(registry::close);

            startHealthChecks(registry);
            ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("director-refresh").daemon().factory());
            refresher.scheduleAtFixedRate(this::refresh, 0, 1, TimeUnit.SECONDS);
            resources.add(refresher::shutdownNow);

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
            LOG.info("director started: {} service(s) on {}", specs.size(), iface);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    private void startHealthChecks(PrometheusMeterRegistry registry) {
        CheckTransport transport = CheckTransport.create(1, Executors.newVirtualThreadPerTaskExecutor());
        resources.add(() -> transport.group().shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly());
        ProcessRunner processes = new ProcessRunner();
        resources.add(processes);
        HealthMetrics metrics = new HealthMetrics(registry);
        weights = new HealthToWeights(engine, byKey);
        HealthListener listener = event -> {
            metrics.onEvent(event);
            weights.onEvent(event);
        };
        HealthMonitor monitor = new HealthMonitor(new EventLoopScheduler(transport.group().next()),
                new NettyCheckers(transport, processes, () -> {
                    throw new IllegalStateException("PING_CHECK is not wired to the director yet");
                }), listener, metrics, new SplittableRandom());
        monitor.apply(HealthMapping.services(config.virtualServers(), new ArrayList<>(byKey.keySet())));
        resources.add(monitor);
    }

    /** The one place the forwarding state changes. */
    private synchronized void transition(String to) {
        if (closed && to.equals("MASTER")) {
            return;
        }
        String from = state;
        try {
            if (to.equals("MASTER")) {
                engine.activate();
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

    private void refresh() {
        try {
            latest.set(engine.services().get(2, TimeUnit.SECONDS));
            tableEntries.set(engine.counters().get(2, TimeUnit.SECONDS).connections());
        } catch (Exception e) {
            LOG.debug("snapshot refresh failed: {}", e.toString());
        }
    }

    /** The /status document. */
    String statusJson() {
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
            counters.put("neighbour_misses", c.neighbourMisses());
            counters.put("no_destination", c.noDestination());
            counters.put("connections", c.connections());
            Map<String, Object> drops = new LinkedHashMap<>();
            c.drops().forEach((reason, n) -> drops.put(reason.name().toLowerCase(java.util.Locale.ROOT), n));
            counters.put("drops", drops);
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
                Map<String, Object> dropped = new LinkedHashMap<>();
                for (var r : io.tandem.forwarder.sync.SyncRejection.values()) {
                    dropped.put(r.label(), daemon.rejected(r));
                }
                sync.put("dropped", dropped);
                counters.put("sync", sync);
            }
            return Json.write(StatusReport.write(state, config.vrrpInstances().isEmpty() ? "static" : "vrrp",
                    services, connections, c.capacity(), counters,
                    (s, rs) -> weights.health(keyOf(s), rs)));
        } catch (Exception e) {
            return Json.write(Map.of("state", state, "error", e.toString()));
        }
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
     * Stops mastership (steering removed), checks, admin HTTP and the forwarder, in reverse order of start.
     * Not under the director's lock: stopping the mastership hands the director BACKUP on the mastership's
     * own thread ({@link #transition}), and waits for it.
     */
    @Override
    public void close() {
        List<AutoCloseable> started;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            started = new ArrayList<>(resources);
            resources.clear();
        }
        for (AutoCloseable r : started.reversed()) {
            try {
                r.close();
            } catch (Exception e) {
                LOG.warn("while stopping: {}", e.toString());
            }
        }
        LOG.info("director stopped");
    }
}
