package io.tandem.core.config.model;

import java.time.Duration;

/**
 * Tandem's {@code zookeeper} block: the connect string, session timeout (default 10 s), whether
 * mastership is fenced by a ZooKeeper lock, what to do when ZooKeeper is unreachable, and the root path.
 */
public record ZooKeeper(String connect, Duration sessionTimeout, boolean fencing, Policy policy, String path) {
    /** When ZooKeeper cannot be reached: keep following VRRP (open) or give up mastership (closed). */
    public enum Policy { FAIL_OPEN, FAIL_CLOSED }
}
