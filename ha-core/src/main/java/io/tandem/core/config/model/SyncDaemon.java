package io.tandem.core.config.model;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Tandem's {@code sync_daemon} block: connection-table sync like IPVS's (syncid, port 8848, group
 * 224.0.0.81, TTL 1), plus what {@code lvs_sync_daemon} cannot say: unicast peers and a key file
 * for authenticated messages.
 */
public record SyncDaemon(Optional<String> interfaceName, Optional<String> instance, int syncId, int port,
                         InetAddress group, int ttl, int maxLength, Optional<InetAddress> unicastSourceIp,
                         List<InetAddress> unicastPeers, Optional<Path> keyFile) {
    public static final InetAddress DEFAULT_GROUP = InetAddress.ofLiteral("224.0.0.81");

    public SyncDaemon {
        unicastPeers = List.copyOf(unicastPeers);
    }
}
