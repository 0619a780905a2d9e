package io.tandem.core.config.model;

import io.tandem.core.config.Location;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * A {@code real_server IP [PORT]} with its weight (default 1), forwarding method (default: the
 * virtual server's), notify scripts and health checkers, whose settings are already resolved
 * (virtual server, then real server, then checker).
 */
public record RealServer(Location location, InetAddress address, int port, int weight, ForwardingMethod method,
                         boolean inhibitOnFailure, Optional<ScriptCommand> notifyUp, Optional<ScriptCommand> notifyDown,
                         boolean alpha, Optional<String> virtualhost, boolean smtpAlert, List<Checker> checkers) {
    public RealServer {
        checkers = List.copyOf(checkers);
    }
}
