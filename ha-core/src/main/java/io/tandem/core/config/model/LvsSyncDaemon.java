package io.tandem.core.config.model;

import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * keepalived's {@code lvs_sync_daemon IFACE [inst VI] [id N] [maxlen N] [port N] [ttl N] [group IP]}:
 * the connection-sync daemon follows instance {@code instance} (both roles run without it); the sync
 * id defaults to that instance's VRID, or 0 (see reference keepalived.md section 5).
 */
public record LvsSyncDaemon(String interfaceName, Optional<String> instance, OptionalInt syncId, OptionalInt maxLength,
                            int port, int ttl, Optional<InetAddress> group) {
    public static final int DEFAULT_PORT = 8848;
}
