package io.tandem.director.zk;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.core.config.model.ZooKeeper;
import io.tandem.vrrp.MastershipFence;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.curator.framework.api.CuratorWatcher;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mastership leases in ZooKeeper: an ephemeral sequential node under {@code PATH/leases/LEASE},
 * created when a VRRP instance first wants the lease (it claims MASTER, or it is MASTER) and deleted
 * when the last one stops wanting it. The holder is the router whose node has the lowest sequence;
 * the others wait in line, watching the children. The recipe is LeaderLatch's, acquired on demand:
 * a router that VRRP keeps in BACKUP is not in line at all, so VRRP's priorities still decide
 * (a lease taken at start by whichever router came first would override them).
 *
 * <p>The epoch of a lease is its node's czxid: ZooKeeper's transaction id, which grows with every
 * node created in the ensemble, also across a deleted and re-created parent, so each takeover has a
 * higher epoch than every earlier one; it is carried into the connection sync.
 *
 * <p>When the session is not confirmed (SUSPENDED, LOST), {@code policy fail-closed} revokes every
 * lease at once (the master removes its addresses before the server can expire the session: the
 * client notices after at most 2/3 of the session timeout, the server expires it after all of it);
 * {@code policy fail-open} grants every wanted lease (plain VRRP) until the session is back, then the
 * line in ZooKeeper decides again. All lease state lives on one thread; {@link #holds} and
 * {@link #queued} read what it published.
 */
public final class ZooKeeperFence implements MastershipFence, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperFence.class);
    private static final String PREFIX = "lease-";

    private final ZooKeeperSession session;
    private final String root;
    private final ZooKeeper.Policy policy;
    private final byte[] identity;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("zk-fence").daemon().factory());
    private final Map<String, Lease> leases = new LinkedHashMap<>();
    private final Map<String, Boolean> held = new ConcurrentHashMap<>();
    private final Map<String, Long> epochs = new ConcurrentHashMap<>();
    private final Set<String> inLine = ConcurrentHashMap.newKeySet();
    private volatile LeaseListener listener = (lease, h, reason) -> { };
    private volatile MeterRegistry registry;
    private boolean connected;
    /** Until the first connection, or for one session timeout: the policy does not apply yet. */
    private boolean starting = true;
    /** The highest czxid seen for any lease node: the floor of an epoch granted without ZooKeeper. */
    private long highestEpochSeen;
    private boolean closed;

    /** One lease's state, on the fence's thread. */
    private final class Lease {
        final String name;
        final String dir;
        final Set<String> members = new HashSet<>();
        final CuratorWatcher watcher;
        String node;
        long czxid;
        boolean creating;
        String holder = "";
        long changes;

        Lease(String name) {
            this.name = name;
            this.dir = ZKPaths.makePath(root, name);
            this.watcher = event -> onThread(() -> {
                if (node != null) {
                    check(this);
                }
            });
        }
    }

    public ZooKeeperFence(ZooKeeperSession session, String identity) {
        this.session = session;
        this.root = ZKPaths.makePath(session.config().path(), "leases");
        this.policy = session.config().policy();
        this.identity = identity.getBytes(StandardCharsets.UTF_8);
        session.onStateChange(s -> onThread(() -> stateChanged(s)));
        thread.execute(() -> connected = session.connected());
        thread.schedule(this::startTimedOut, startWindowMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * How long after the start, without a first session, ZooKeeper counts as unreachable: three session
     * timeouts. Until then nothing is granted, whatever the policy: a director whose first connection is
     * merely slow must not take mastership "fail-open" beside a holder (a restarted master would, as it
     * preempts).
     */
    private long startWindowMillis() {
        return 3 * session.config().sessionTimeout().toMillis();
    }

    /** No session within the start window: ZooKeeper is unreachable, the policy applies. */
    private void startTimedOut() {
        if (!starting || closed) {
            return;
        }
        starting = false;
        connected = session.connected(); // its CONNECTED event may still be on its way to this thread
        if (!connected) {
            LOG.warn("ZooKeeper {}: no session within {} ms of the start (policy {})", session.config().connect(),
                    startWindowMillis(), ZooKeeperSession.policyName(policy));
            stateChanged(ConnectionState.SUSPENDED);
        }
    }

    @Override
    public boolean holds(String lease) {
        return held.getOrDefault(lease, false);
    }

    @Override
    public boolean queued(String lease) {
        return inLine.contains(lease);
    }

    /** The epoch of the newest lease held now ({@code -1} for none). */
    public long epoch() {
        long e = -1;
        for (Map.Entry<String, Boolean> h : held.entrySet()) {
            if (h.getValue()) {
                e = Math.max(e, epochs.getOrDefault(h.getKey(), -1L));
            }
        }
        return e;
    }

    @Override
    public void want(String lease, String member) {
        thread.execute(() -> {
            if (closed) {
                return;
            }
            Lease l = leases.computeIfAbsent(lease, this::newLease);
            boolean first = l.members.isEmpty();
            l.members.add(member);
            if (first) {
                acquire(l);
            } else if (holds(lease)) {
                listener.leaseChanged(lease, true, "held");
            }
        });
    }

    @Override
    public void unwant(String lease, String member) {
        thread.execute(() -> {
            Lease l = leases.get(lease);
            if (l == null || !l.members.remove(member) || !l.members.isEmpty()) {
                return;
            }
            publish(l, false, "released", false);
            inLine.remove(lease);
            release(l);
        });
    }

    @Override
    public void listen(LeaseListener newListener) {
        listener = newListener;
    }

    private Lease newLease(String name) {
        Lease l = new Lease(name);
        MeterRegistry r = registry;
        if (r != null) {
            registerLease(r, name);
        }
        return l;
    }

    /** Gets in line: creates this router's node (protected: a create retried after a lost reply is found again). */
    private void acquire(Lease l) {
        if (!connected) {
            if (policy == ZooKeeper.Policy.FAIL_OPEN && !starting) {
                epochs.put(l.name, highestEpochSeen + 1);
                publish(l, true, "ZooKeeper session not confirmed, policy fail-open", true);
            }
            return;
        }
        if (l.node != null) {
            check(l);
            return;
        }
        if (l.creating) {
            return;
        }
        l.creating = true;
        Stat stat = new Stat();
        try {
            session.client().create().storingStatIn(stat).creatingParentContainersIfNeeded().withProtection()
                    .withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                    .inBackground((c, event) -> onThread(() -> created(l, event, stat)))
                    .forPath(ZKPaths.makePath(l.dir, PREFIX), identity);
        } catch (Exception e) {
            l.creating = false;
            LOG.warn("lease {}: create failed: {}", l.name, e.toString());
        }
    }

    private void created(Lease l, CuratorEvent event, Stat stat) {
        l.creating = false;
        if (event.getResultCode() != KeeperException.Code.OK.intValue()) {
            LOG.warn("lease {}: create failed: {} (retried at the next reconnection)", l.name,
                    KeeperException.Code.get(event.getResultCode()));
            return;
        }
        String path = event.getName();
        if (l.members.isEmpty() || closed) {
            delete(path);
            return;
        }
        l.node = path;
        Stat s = event.getStat() != null ? event.getStat() : stat;
        l.czxid = s.getCzxid();
        highestEpochSeen = Math.max(highestEpochSeen, l.czxid);
        LOG.info("lease {}: in line as {} (epoch {})", l.name, ZKPaths.getNodeFromPath(path), l.czxid);
        check(l);
    }

    /** Reads the line (and watches it): the lowest sequence holds the lease. */
    private void check(Lease l) {
        try {
            session.client().getChildren().usingWatcher(l.watcher)
                    .inBackground((c, event) -> onThread(() -> checked(l, event)))
                    .forPath(l.dir);
        } catch (Exception e) {
            LOG.warn("lease {}: reading the line failed: {}", l.name, e.toString());
        }
    }

    private void checked(Lease l, CuratorEvent event) {
        if (l.node == null || closed) {
            return;
        }
        if (event.getResultCode() != KeeperException.Code.OK.intValue()
                && event.getResultCode() != KeeperException.Code.NONODE.intValue()) {
            LOG.warn("lease {}: reading the line failed: {}", l.name, KeeperException.Code.get(event.getResultCode()));
            return;
        }
        List<String> line = new ArrayList<>(event.getChildren() == null ? List.of() : event.getChildren());
        line.sort(Comparator.comparing(ZooKeeperFence::sequence));
        String ours = ZKPaths.getNodeFromPath(l.node);
        if (!line.contains(ours)) {
            LOG.warn("lease {}: node {} is gone (session expired?): getting in line again", l.name, ours);
            l.node = null;
            inLine.remove(l.name);
            publish(l, false, "lease node gone", true);
            if (!l.members.isEmpty()) {
                acquire(l);
            }
            return;
        }
        inLine.add(l.name);
        String first = line.getFirst();
        l.holder = first;
        if (first.equals(ours)) {
            epochs.put(l.name, l.czxid);
            publish(l, true, "first in line, epoch " + l.czxid, true);
        } else {
            publish(l, false, "held by " + first, true);
            learnEpoch(l, first);
        }
    }

    /** The holder's czxid, so that an epoch granted later without ZooKeeper (fail-open) is above it. */
    private void learnEpoch(Lease l, String holder) {
        try {
            session.client().checkExists().inBackground((c, event) -> onThread(() -> {
                if (event.getStat() != null) {
                    highestEpochSeen = Math.max(highestEpochSeen, event.getStat().getCzxid());
                }
            })).forPath(ZKPaths.makePath(l.dir, holder));
        } catch (Exception e) {
            LOG.debug("lease {}: reading the holder's epoch failed: {}", l.name, e.toString());
        }
    }

    /** Runs {@code task} on the fence's thread; dropped once the fence is closed. */
    private void onThread(Runnable task) {
        try {
            thread.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("fence closed: {} dropped", task);
        }
    }

    private static String sequence(String node) {
        return node.length() >= 10 ? node.substring(node.length() - 10) : node;
    }

    private void publish(Lease l, boolean nowHeld, String reason, boolean tell) {
        Boolean before = held.put(l.name, nowHeld);
        if (before != null && before == nowHeld) {
            return;
        }
        if (before == null && !nowHeld) {
            return;
        }
        l.changes++;
        LOG.info("lease {}: {} ({})", l.name, nowHeld ? "held" : "not held", reason);
        if (tell) {
            listener.leaseChanged(l.name, nowHeld, reason);
        }
    }

    private void release(Lease l) {
        if (l.node != null) {
            delete(l.node);
            LOG.info("lease {}: left the line ({})", l.name, ZKPaths.getNodeFromPath(l.node));
            l.node = null;
        }
    }

    private void delete(String path) {
        try {
            session.client().delete().guaranteed().inBackground().forPath(path);
        } catch (Exception e) {
            LOG.warn("deleting {} failed: {}", path, e.toString());
        }
    }

    private void stateChanged(ConnectionState state) {
        if (closed) {
            return;
        }
        switch (state) {
            case CONNECTED, RECONNECTED -> {
                connected = true;
                starting = false;
                for (Lease l : leases.values()) {
                    if (!l.members.isEmpty()) {
                        acquire(l);
                    }
                }
            }
            case SUSPENDED, LOST -> {
                connected = false;
                if (starting) {
                    return; // a first connection that failed: the start window decides
                }
                for (Lease l : leases.values()) {
                    inLine.remove(l.name);
                    // LOST is Curator's guess (the session timeout passed without the server): the node is
                    // kept, and the check at reconnection finds out whether the server expired it
                    if (l.members.isEmpty()) {
                        continue;
                    }
                    if (policy == ZooKeeper.Policy.FAIL_CLOSED) {
                        publish(l, false, "ZooKeeper session " + state.name().toLowerCase(java.util.Locale.ROOT)
                                + ", policy fail-closed", true);
                    } else if (!holds(l.name)) {
                        epochs.put(l.name, highestEpochSeen + 1);
                        publish(l, true, "ZooKeeper session " + state.name().toLowerCase(java.util.Locale.ROOT)
                                + ", policy fail-open", true);
                    }
                }
            }
            case READ_ONLY -> { }
        }
    }

    /** {@code tandem_zookeeper_lease_held{lease}}, {@code _lease_epoch}, {@code _lease_changes}. */
    public void register(MeterRegistry newRegistry) {
        registry = newRegistry;
        thread.execute(() -> leases.keySet().forEach(name -> registerLease(newRegistry, name)));
    }

    private void registerLease(MeterRegistry r, String name) {
        Gauge.builder("tandem_zookeeper_lease_held", this, f -> f.holds(name) ? 1 : 0).tag("lease", name)
                .description("1 while this director holds the mastership lease").register(r);
        Gauge.builder("tandem_zookeeper_lease_epoch", this, f -> f.epochs.getOrDefault(name, -1L)).tag("lease", name)
                .description("The epoch (czxid) of the lease this director last held").register(r);
        Gauge.builder("tandem_zookeeper_lease_queued", this, f -> f.queued(name) ? 1 : 0).tag("lease", name)
                .description("1 while this director is in line for the lease in a confirmed session").register(r);
    }

    /** The leases for /status: held, in line, epoch, our node and the holder's. */
    public Map<String, Object> status() {
        try {
            return thread.submit(() -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (Lease l : leases.values()) {
                    Map<String, Object> s = new LinkedHashMap<>();
                    s.put("held", holds(l.name));
                    s.put("queued", queued(l.name));
                    s.put("wanted_by", l.members.stream().sorted().toList());
                    s.put("epoch", epochs.getOrDefault(l.name, -1L));
                    s.put("node", l.node == null ? "" : ZKPaths.getNodeFromPath(l.node));
                    s.put("holder", l.holder);
                    s.put("changes", l.changes);
                    m.put(l.name, s);
                }
                return m;
            }).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            return Map.of("error", e.toString());
        }
    }

    /** Leaves every line (the session's close would delete the nodes too). */
    @Override
    public void close() {
        try {
            thread.submit(() -> {
                closed = true;
                leases.values().forEach(this::release);
            }).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("closing the fence: {}", e.toString());
        }
        thread.shutdown();
    }
}
