package io.tandem.healthcheck.schedule;

import io.tandem.healthcheck.HealthEvent;
import io.tandem.healthcheck.HealthListener;
import io.tandem.healthcheck.config.VirtualServiceConfig;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real servers of one virtual service and its quorum (keepalived
 * {@code update_quorum_state}): the service has quorum while the weight of its
 * live real servers is at least {@code quorum}; with {@code hysteresis} it is
 * lost below {@code quorum - hysteresis} and regained at
 * {@code quorum + hysteresis}. Losing it switches to the sorry server.
 * The live weight is kept as a sum that each real server's change adjusts,
 * so a change costs the same with ten real servers as with ten thousand.
 */
final class VirtualServiceMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(VirtualServiceMonitor.class);

    private VirtualServiceConfig config;
    private final HealthListener listener;
    private final Map<InetSocketAddress, RealServerMonitor> realServers = new LinkedHashMap<>();
    private boolean quorumUp = true;
    private boolean started;
    /** The sum of the real servers' {@link RealServerMonitor#liveWeight}. */
    private long live;

    VirtualServiceMonitor(VirtualServiceConfig config, HealthListener listener) {
        this.config = config;
        this.listener = listener;
    }

    String name() {
        return config.name();
    }

    VirtualServiceConfig config() {
        return config;
    }

    void reconfigure(VirtualServiceConfig newConfig) {
        config = newConfig;
    }

    Map<InetSocketAddress, RealServerMonitor> realServers() {
        return realServers;
    }

    boolean hasQuorum() {
        return quorumUp;
    }

    /** Adds a real server and tells the director its initial state. */
    void add(RealServerMonitor rs) {
        realServers.put(rs.config().address(), rs);
        live += rs.liveWeight();
        if (started) {
            listener.onEvent(rs.currentStateEvent());
        }
    }

    RealServerMonitor remove(InetSocketAddress address) {
        RealServerMonitor rs = realServers.remove(address);
        if (rs != null) {
            live -= rs.liveWeight();
            rs.stop();
        }
        return rs;
    }

    /** Emits the initial state of every real server, and QuorumLost when the service starts without quorum. */
    void start() {
        started = true;
        realServers.values().forEach(rs -> listener.onEvent(rs.currentStateEvent()));
        long live = liveWeight();
        if (live == 0 || live < config.quorum()) {
            transitionQuorum(false, live);
        }
    }

    void realServerChanged(HealthEvent event) {
        if (started) {
            listener.onEvent(event);
            updateQuorum();
        }
    }

    /** Re-evaluates the quorum (also after a reload changed it). */
    void updateQuorum() {
        long live = liveWeight();
        long threshold = config.quorum() + (quorumUp ? -config.hysteresis() : config.hysteresis());
        if (!quorumUp && live >= threshold && live > 0) {
            transitionQuorum(true, live);
        } else if (quorumUp && (live == 0 || live < threshold)) {
            transitionQuorum(false, live);
        }
    }

    /** The one place the quorum state changes. */
    private void transitionQuorum(boolean up, long live) {
        LOG.info("{}: quorum {} -> {} (live weight {}, quorum {} +/- {})", config.name(),
                quorumUp ? "UP" : "DOWN", up ? "UP" : "DOWN", live, config.quorum(), config.hysteresis());
        quorumUp = up;
        listener.onEvent(up ? new HealthEvent.QuorumRegained(config.name(), live)
                : new HealthEvent.QuorumLost(config.name(), live, config.sorryServer()));
    }

    /** {@code rs}'s live weight changed by {@code delta} (before the event telling it, if any). */
    void liveWeightChanged(RealServerMonitor rs, long delta) {
        if (realServers.get(rs.config().address()) == rs) {
            live += delta;
        }
    }

    private long liveWeight() {
        return live;
    }

    void stop() {
        realServers.values().forEach(RealServerMonitor::stop);
    }
}
