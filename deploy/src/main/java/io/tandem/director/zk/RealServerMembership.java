package io.tandem.director.zk;

import io.tandem.core.config.model.KeepalivedConfig;
import io.tandem.core.config.model.RealServer;
import io.tandem.core.config.model.RealServerDiscovery;
import io.tandem.core.config.model.VirtualServer;
import io.tandem.director.run.Director;
import io.tandem.director.run.ReloadOutcome;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.utils.ZKPaths;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.x.discovery.details.JsonInstanceSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live real-server membership: for each virtual_server with {@code real_server_discovery PATH}, a
 * {@link CuratorCache} follows the instances registered under PATH (Curator's service-discovery layout:
 * one ephemeral node per instance, its data the instance's JSON, {@code address} and {@code port}). Each
 * change becomes a reload of the director's own configuration with the registered instances as real
 * servers made from the block's template ({@link Director#membershipChanged}): a new one is health-checked
 * and added to the forwarder. A vanished one is drained: it stays in the service with weight 0 and no
 * checker, so that new connections go elsewhere while its established ones go on (IPVS would drop the
 * packets of a removed destination's flows), and it is removed once the forwarder counts no established
 * connection to it. No VRRP transition, no file read.
 *
 * <p>An instance whose data cannot be read (not JSON, no address, not an IPv4 literal, a port out of range)
 * is skipped and counted; an instance registered as disabled ({@code enabled: false}) is left out. Changes
 * are applied on one thread, the newest state each time.
 */
public final class RealServerMembership implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RealServerMembership.class);

    private final Director director;
    private final ZooKeeperSession session;
    private final JsonInstanceSerializer<Object> serializer = new JsonInstanceSerializer<>(Object.class);
    private final Map<String, CuratorCache> caches = new LinkedHashMap<>();
    /** Per discovery path, the instances registered now (address:port), as last read. */
    private final Map<String, Set<InetSocketAddress>> registered = new ConcurrentHashMap<>();
    /** Per discovery path, the vanished instances still carrying connections (weight 0 until they have none). */
    private final Map<String, Set<InetSocketAddress>> draining = new ConcurrentHashMap<>();
    /** Per discovery path, its virtual server's address, for the connection counts. */
    private final Map<String, InetSocketAddress> services = new ConcurrentHashMap<>();
    private final java.util.concurrent.ScheduledExecutorService drainTimer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("zk-drain").daemon().factory());
    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("zk-membership").daemon().factory());
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile long skipped;
    private volatile long changes;

    private RealServerMembership(Director director, ZooKeeperSession session) {
        this.director = director;
        this.session = session;
    }

    /** Follows every discovery path of the director's configuration; empty when there is none. */
    public static java.util.Optional<RealServerMembership> start(Director director, ZooKeeperSession session) {
        List<RealServerDiscovery> paths = director.declared().virtualServers().stream()
                .flatMap(v -> v.discovery().stream()).toList();
        if (paths.isEmpty()) {
            return java.util.Optional.empty();
        }
        RealServerMembership m = new RealServerMembership(director, session);
        director.followMembership(m::withMembers);
        for (VirtualServer v : director.declared().virtualServers()) {
            if (v.discovery().isPresent()
                    && v.address() instanceof io.tandem.core.config.model.VirtualServiceAddress.IpPort ip) {
                m.services.put(v.discovery().get().path(), new InetSocketAddress(ip.address(), ip.port()));
            }
        }
        for (RealServerDiscovery d : paths) {
            m.follow(d.path());
        }
        m.drainTimer.scheduleWithFixedDelay(m::checkDrained, 2, 2, TimeUnit.SECONDS);
        return java.util.Optional.of(m);
    }

    private void follow(String path) {
        if (caches.containsKey(path)) {
            return;
        }
        registered.put(path, Set.of());
        CuratorCache cache = CuratorCache.build(session.client(), path);
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forAll((type, before, after) -> read(path, cache))
                .forInitialized(() -> read(path, cache)).build());
        caches.put(path, cache);
        cache.start();
        LOG.info("real servers: following {}", path);
    }

    /** Reads the instances under {@code path} from the cache; applies them when they changed. */
    private void read(String path, CuratorCache cache) {
        Set<InetSocketAddress> now = new LinkedHashSet<>();
        cache.stream().filter(d -> path.equals(ZKPaths.getPathAndNode(d.getPath()).getPath()))
                .sorted(Comparator.comparing(ChildData::getPath))
                .forEach(d -> instance(d).ifPresent(now::add));
        Set<InetSocketAddress> before = registered.put(path, Set.copyOf(now));
        if (!now.equals(before)) {
            Set<InetSocketAddress> drain = draining.computeIfAbsent(path, k -> ConcurrentHashMap.newKeySet());
            drain.removeAll(now);
            if (before != null) {
                before.stream().filter(a -> !now.contains(a)).forEach(drain::add);
            }
            LOG.info("real servers under {}: {}", path, now.stream().map(a -> a.getAddress().getHostAddress() + ":"
                    + a.getPort()).toList());
            schedule();
        }
    }

    private java.util.Optional<InetSocketAddress> instance(ChildData d) {
        byte[] data = d.getData();
        try {
            ServiceInstance<Object> i = serializer.deserialize(data == null ? new byte[0] : data);
            if (!i.isEnabled()) {
                return java.util.Optional.empty();
            }
            InetAddress address = InetAddress.ofLiteral(i.getAddress());
            int port = i.getPort() == null ? 0 : i.getPort();
            if (!(address instanceof java.net.Inet4Address) || port < 0 || port > 65535) {
                throw new IllegalArgumentException("address " + i.getAddress() + " port " + port
                        + " (expected: an IPv4 literal and a port 0 ~ 65535)");
            }
            return java.util.Optional.of(new InetSocketAddress(address, port));
        } catch (Exception e) {
            skipped++;
            LOG.warn("real servers: {} skipped: invalid instance: {}", d.getPath(), e.getMessage());
            return java.util.Optional.empty();
        }
    }

    /** Drops from {@link #draining} the members with no established connection any more; applies that. */
    private void checkDrained() {
        boolean changed = false;
        for (Map.Entry<String, Set<InetSocketAddress>> e : draining.entrySet()) {
            InetSocketAddress vs = services.get(e.getKey());
            for (InetSocketAddress a : Set.copyOf(e.getValue())) {
                if (vs == null || director.activeConnectionsTo(vs.getAddress(), vs.getPort(), a.getAddress(),
                        a.getPort()) == 0) {
                    e.getValue().remove(a);
                    LOG.info("real servers: {}:{} under {} drained: removed", a.getAddress().getHostAddress(),
                            a.getPort(), e.getKey());
                    changed = true;
                }
            }
        }
        if (changed) {
            schedule();
        }
    }

    /** Coalesces: one reload runs at a time, with the newest membership. */
    private void schedule() {
        if (pending.compareAndSet(false, true)) {
            thread.execute(() -> {
                pending.set(false);
                try {
                    ReloadOutcome outcome = director.membershipChanged("zookeeper membership");
                    changes++;
                    if (outcome.result() != ReloadOutcome.Result.OK) {
                        LOG.warn("real servers: membership change {}: {}", outcome.result(), outcome.messages());
                    }
                } catch (RuntimeException e) {
                    LOG.warn("real servers: membership change not applied: {}", e.toString());
                }
            });
        }
    }

    /** {@code config} with each discovery's registered instances added to its virtual server. */
    KeepalivedConfig withMembers(KeepalivedConfig config) {
        List<VirtualServer> servers = new ArrayList<>();
        for (VirtualServer v : config.virtualServers()) {
            if (v.discovery().isEmpty()) {
                servers.add(v);
                continue;
            }
            RealServerDiscovery d = v.discovery().get();
            List<RealServer> list = new ArrayList<>(v.realServers());
            Set<InetSocketAddress> configured = new LinkedHashSet<>();
            v.realServers().forEach(r -> configured.add(new InetSocketAddress(r.address(), r.port())));
            for (InetSocketAddress a : registered.getOrDefault(d.path(), Set.of())) {
                RealServer r = d.realServer(a.getAddress(), a.getPort());
                if (configured.add(new InetSocketAddress(r.address(), r.port()))) {
                    list.add(r);
                }
            }
            for (InetSocketAddress a : draining.getOrDefault(d.path(), Set.of())) {
                RealServer r = d.realServer(a.getAddress(), a.getPort());
                if (configured.add(new InetSocketAddress(r.address(), r.port()))) {
                    list.add(drained(r));
                }
            }
            servers.add(v.withRealServers(list));
        }
        return config.withVirtualServers(servers);
    }

    /** {@code r} drained: weight 0, no checker (nothing sets the weight back). */
    private static RealServer drained(RealServer r) {
        return new RealServer(r.location(), r.address(), r.port(), 0, r.method(), r.inhibitOnFailure(), r.notifyUp(),
                r.notifyDown(), r.alpha(), r.virtualhost(), r.smtpAlert(), List.of());
    }

    /** The {@code membership} part of /status: what is registered under each path. */
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        registered.forEach((path, set) -> m.put(path, set.stream()
                .map(a -> a.getAddress().getHostAddress() + ":" + a.getPort()).toList()));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("registered", m);
        Map<String, Object> d = new LinkedHashMap<>();
        draining.forEach((path, set) -> d.put(path, set.stream()
                .map(a -> a.getAddress().getHostAddress() + ":" + a.getPort()).toList()));
        doc.put("draining", d);
        doc.put("changes_applied", changes);
        doc.put("instances_skipped", skipped);
        return doc;
    }

    @Override
    public void close() {
        caches.values().forEach(CuratorCache::close);
        drainTimer.shutdownNow();
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
