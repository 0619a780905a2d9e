package io.tandem.director.sync;

import io.tandem.core.config.model.KeepalivedConfig;
import io.tandem.core.config.model.LvsSyncDaemon;
import io.tandem.core.config.model.SyncDaemon;
import io.tandem.core.config.model.VrrpInstance;
import io.tandem.forwarder.sync.SyncAuthenticator;
import io.tandem.forwarder.sync.SyncOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * keepalived.conf's connection-sync settings as the forwarder's
 * {@link SyncOptions}: keepalived's own
 * {@code lvs_sync_daemon IFACE [inst VI] [id N] [maxlen N] [port N] [ttl N] [group ADDR]}
 * (the sync id defaults to the followed instance's VRID, as keepalived does,
 * else 0), or Tandem's {@code sync_daemon} block, which can also name unicast
 * peers and the key file. Without a key file the key is derived from the
 * sync id: both directors agree on it without configuration, and the
 * director says at start that its messages are not authenticated.
 */
public final class SyncMapping {
    private SyncMapping() {
    }

    public static Optional<SyncOptions> options(KeepalivedConfig config) {
        Optional<SyncDaemon> block = config.syncDaemon();
        if (block.isPresent()) {
            return Optional.of(fromBlock(block.get(), config));
        }
        return config.globalDefs().lvsSyncDaemon().map(l -> fromKeyword(l, config));
    }

    private static SyncOptions fromKeyword(LvsSyncDaemon l, KeepalivedConfig config) {
        int syncId = l.syncId().orElseGet(() -> vrid(config, l.instance()));
        return new SyncOptions(Optional.of(l.interfaceName()), syncId, l.group().orElse(SyncOptions.DEFAULT_GROUP),
                l.port(), l.ttl(), l.maxLength().orElse(SyncOptions.DEFAULT_MAX_LENGTH), List.of(), Optional.empty(),
                SyncOptions.derivedKey(syncId), false, SyncOptions.DEFAULT_FLUSH, SyncOptions.DEFAULT_REFRESH);
    }

    private static SyncOptions fromBlock(SyncDaemon s, KeepalivedConfig config) {
        int syncId = s.syncId() != 0 ? s.syncId() : vrid(config, s.instance());
        byte[] key;
        boolean configured = s.keyFile().isPresent();
        if (configured) {
            try {
                key = SyncAuthenticator.readKeyFile(s.keyFile().get());
            } catch (IOException e) {
                throw new UncheckedIOException("sync_daemon key_file " + s.keyFile().get() + ": " + e.getMessage(), e);
            }
        } else {
            key = SyncOptions.derivedKey(syncId);
        }
        InetAddress group = s.group();
        return new SyncOptions(s.interfaceName(), syncId, group, s.port(), s.ttl(), s.maxLength(), s.unicastPeers(),
                s.unicastSourceIp(), key, configured, SyncOptions.DEFAULT_FLUSH, SyncOptions.DEFAULT_REFRESH);
    }

    private static int vrid(KeepalivedConfig config, Optional<String> instance) {
        return instance.flatMap(name -> config.vrrpInstances().stream().filter(v -> v.name().equals(name))
                .findFirst()).map(VrrpInstance::virtualRouterId).orElse(0);
    }
}
