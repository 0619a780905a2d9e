package io.tandem.director.zk;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.core.config.model.ZooKeeper;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This director's ZooKeeper session, through Curator: one client for the fence and the membership,
 * started without waiting for the ensemble (a director starts, and plain VRRP runs, while ZooKeeper is
 * down). Follows Curator's connection states: CONNECTED, SUSPENDED (the connection is gone, the session
 * may live on), LOST (the session timeout passed without the server: its ephemeral nodes are gone),
 * RECONNECTED. The session timeout is the lease: a holder that dies without closing its session keeps
 * its leases that long.
 */
public final class ZooKeeperSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperSession.class);
    /** Background operations retry on connection loss 5 times, 0.1 s to 1 s apart; then the next reconnect redoes them. */
    private static final int RETRIES = 5;

    private final ZooKeeper config;
    private final CuratorFramework client;
    private final List<Consumer<ConnectionState>> listeners = new CopyOnWriteArrayList<>();
    private final Map<ConnectionState, Counter> transitions = new EnumMap<>(ConnectionState.class);
    private volatile ConnectionState state;
    private volatile long stateSinceMillis = System.currentTimeMillis();

    private ZooKeeperSession(ZooKeeper config, CuratorFramework client) {
        this.config = config;
        this.client = client;
    }

    /** Starts the client for {@code config} (returns at once; the connection is made in the background). */
    public static ZooKeeperSession start(ZooKeeper config) {
        int sessionMs = (int) config.sessionTimeout().toMillis();
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(config.connect())
                .sessionTimeoutMs(sessionMs)
                .connectionTimeoutMs(Math.min(sessionMs, 5_000))
                .retryPolicy(new ExponentialBackoffRetry(100, RETRIES, 1_000))
                .build();
        ZooKeeperSession session = new ZooKeeperSession(config, client);
        client.getConnectionStateListenable().addListener((c, newState) -> session.changed(newState));
        client.start();
        LOG.info("ZooKeeper {}: connecting (session timeout {} ms, fencing {}, policy {})", config.connect(),
                sessionMs, config.fencing() ? "on" : "off", policyName(config.policy()));
        return session;
    }

    private void changed(ConnectionState newState) {
        ConnectionState from = state;
        state = newState;
        stateSinceMillis = System.currentTimeMillis();
        Counter c = transitions.get(newState);
        if (c != null) {
            c.increment();
        }
        if (newState.isConnected()) {
            LOG.info("ZooKeeper {}: {} -> {} (session 0x{})", config.connect(), from, newState, sessionIdHex());
        } else {
            LOG.warn("ZooKeeper {}: {} -> {} (policy {})", config.connect(), from, newState, policyName(config.policy()));
        }
        for (Consumer<ConnectionState> l : listeners) {
            try {
                l.accept(newState);
            } catch (RuntimeException e) {
                LOG.warn("ZooKeeper state listener failed on {}", newState, e);
            }
        }
    }

    /** {@code listener} hears every later connection state change, on Curator's event thread; it must not block. */
    public void onStateChange(Consumer<ConnectionState> listener) {
        listeners.add(listener);
    }

    public CuratorFramework client() {
        return client;
    }

    public ZooKeeper config() {
        return config;
    }

    /** Whether the session is confirmed right now (CONNECTED or RECONNECTED). */
    public boolean connected() {
        ConnectionState s = state;
        return s != null && s.isConnected();
    }

    /** The connection state in lower case ("connecting" before the first). */
    public String stateName() {
        ConnectionState s = state;
        return s == null ? "connecting" : s.name().toLowerCase(Locale.ROOT);
    }

    private String sessionIdHex() {
        try {
            return Long.toHexString(client.getZookeeperClient().getZooKeeper().getSessionId());
        } catch (Exception e) {
            return "?";
        }
    }

    static String policyName(ZooKeeper.Policy policy) {
        return policy == ZooKeeper.Policy.FAIL_CLOSED ? "fail-closed" : "fail-open";
    }

    /** {@code tandem_zookeeper_*}: the connection state, policy and fencing, and the state changes. */
    public void register(MeterRegistry registry) {
        Gauge.builder("tandem_zookeeper_connected", this, s -> s.connected() ? 1 : 0)
                .description("1 while the ZooKeeper session is confirmed (connected or reconnected)").register(registry);
        for (ConnectionState s : ConnectionState.values()) {
            String name = s.name().toLowerCase(Locale.ROOT);
            Gauge.builder("tandem_zookeeper_state", this, z -> z.state == s ? 1 : 0).tag("state", name)
                    .description("1 for the current Curator connection state").register(registry);
            transitions.put(s, Counter.builder("tandem_zookeeper_state_changes").tag("state", name)
                    .description("Changes to this connection state").register(registry));
        }
        Gauge.builder("tandem_zookeeper_session_timeout_seconds", this, z -> z.config.sessionTimeout().toMillis() / 1000.0)
                .description("The configured session timeout: the lease of a holder that dies").register(registry);
        Gauge.builder("tandem_zookeeper_policy_fail_closed", this,
                z -> z.config.policy() == ZooKeeper.Policy.FAIL_CLOSED ? 1 : 0)
                .description("1 under policy fail-closed (give up mastership when the session is not confirmed),"
                        + " 0 under fail-open").register(registry);
        Gauge.builder("tandem_zookeeper_fencing", this, z -> z.config.fencing() ? 1 : 0)
                .description("1 when mastership is fenced by a ZooKeeper lease").register(registry);
    }

    /** The {@code zookeeper} section of /status (the fence adds its leases). */
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("connect", config.connect());
        m.put("path", config.path());
        m.put("state", stateName());
        m.put("state_since_ms", stateSinceMillis);
        m.put("session_timeout_ms", config.sessionTimeout().toMillis());
        m.put("fencing", config.fencing());
        m.put("policy", policyName(config.policy()));
        if (connected()) {
            m.put("session_id", "0x" + sessionIdHex());
        }
        return m;
    }

    /** Closes the session: the server deletes its ephemeral nodes (leases, registrations) at once. */
    @Override
    public void close() {
        client.close();
        LOG.info("ZooKeeper {}: session closed", config.connect());
    }
}
