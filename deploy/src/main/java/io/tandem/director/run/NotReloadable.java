package io.tandem.director.run;

import io.tandem.core.config.model.KeepalivedConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * What a reload cannot change in a running director: the admin endpoint (its socket is bound
 * once), connection sync (its sockets and key are the forwarder's from the start), the forwarder's
 * workers ({@code forwarder_workers}) and the zookeeper
 * block (the session and the fence are made at start). A new file
 * that changes them is refused as a whole, with these reasons; the running configuration stays.
 */
public final class NotReloadable {
    private NotReloadable() {
    }

    /** Why {@code next} cannot be reloaded over {@code running}; empty when it can. */
    public static List<String> reasons(KeepalivedConfig running, KeepalivedConfig next) {
        List<String> reasons = new ArrayList<>();
        if (!running.admin().equals(next.admin())) {
            reasons.add("the admin block (address, port or token) changed: the admin HTTP endpoint is bound at start"
                    + " (expected: the same admin block; restart tandem to change it)");
        }
        if (!running.syncDaemon().equals(next.syncDaemon())
                || !running.globalDefs().lvsSyncDaemon().equals(next.globalDefs().lvsSyncDaemon())) {
            reasons.add("connection sync (sync_daemon or lvs_sync_daemon) changed: its sockets and key are set at"
                    + " start (expected: the same settings; restart tandem to change them)");
        }
        if (!running.globalDefs().forwarderWorkers().equals(next.globalDefs().forwarderWorkers())) {
            reasons.add("global_defs forwarder_workers changed: the forwarder's workers, sockets and tables are made at"
                    + " start (expected: the same count; restart tandem to change it)");
        }
        if (!running.zooKeeper().equals(next.zooKeeper())) {
            reasons.add("the zookeeper block changed: the session, the fence and its policy are set at start"
                    + " (expected: the same zookeeper block; restart tandem to change it)");
        }
        return reasons;
    }
}
