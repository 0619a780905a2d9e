package io.tandem.director.zk;

import io.micrometer.core.instrument.MeterRegistry;
import io.tandem.core.config.model.KeepalivedConfig;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the {@code zookeeper} block starts: the session, and the mastership fence when {@code fencing on}
 * and the configuration has VRRP instances to fence. Closed after the VRRP engine, so that the engine's
 * shutdown releases the leases first.
 */
public final class ZooKeeperCoordination implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperCoordination.class);

    private final ZooKeeperSession session;
    private final Optional<ZooKeeperFence> fence;
    private volatile Optional<RealServerMembership> membership = Optional.empty();

    private ZooKeeperCoordination(ZooKeeperSession session, Optional<ZooKeeperFence> fence) {
        this.session = session;
        this.fence = fence;
    }

    /** Starts what {@code config}'s zookeeper block asks for; empty without one. */
    public static Optional<ZooKeeperCoordination> start(KeepalivedConfig config) {
        if (config.zooKeeper().isEmpty()) {
            return Optional.empty();
        }
        var z = config.zooKeeper().get();
        ZooKeeperSession session = ZooKeeperSession.start(z);
        Optional<ZooKeeperFence> fence = Optional.empty();
        if (z.fencing() && !config.vrrpInstances().isEmpty()) {
            fence = Optional.of(new ZooKeeperFence(session, identity()));
        } else if (z.fencing()) {
            LOG.warn("zookeeper: fencing on, but no vrrp_instance to fence");
        }
        return Optional.of(new ZooKeeperCoordination(session, fence));
    }

    /** What a lease node says about its holder: host name and pid. */
    static String identity() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown";
        }
        return host + " pid " + ProcessHandle.current().pid();
    }

    public ZooKeeperSession session() {
        return session;
    }

    public Optional<ZooKeeperFence> fence() {
        return fence;
    }

    /** Starts following the real servers registered for {@code director}'s real_server_discovery blocks. */
    public synchronized void followMembership(io.tandem.director.run.Director director) {
        if (membership.isEmpty()) {
            membership = RealServerMembership.start(director, session);
        }
    }

    public void register(MeterRegistry registry) {
        session.register(registry);
        fence.ifPresent(f -> f.register(registry));
    }

    /** The {@code zookeeper} section of /status. */
    public Map<String, Object> status() {
        Map<String, Object> m = session.status();
        fence.ifPresent(f -> m.put("leases", f.status()));
        membership.ifPresent(r -> m.put("membership", r.status()));
        return m;
    }

    @Override
    public void close() {
        membership.ifPresent(RealServerMembership::close);
        fence.ifPresent(ZooKeeperFence::close);
        session.close();
    }
}
