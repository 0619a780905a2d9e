package io.tandem.forwarder.engine;

import io.tandem.forwarder.conn.Timeouts;
import io.tandem.forwarder.sync.SyncOptions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings of one {@link ForwarderEngine}, gathered in one value.
 *
 * @param interfaceName the interface the forwarder receives and sends on
 * @param instance names the steering table ({@code netdev tandem_INSTANCE})
 * @param connections connection table capacity
 * @param nftPrefix a command prefix for nft (e.g. {@code ip netns exec NS}); empty in production
 * @param neighbourPeriod how often the neighbour table is re-read
 * @param sync connection sync with the other director, if configured
 * @param expireNodestConn IPVS's {@code expire_nodest_conn}: false (IPVS's and so keepalived's
 *     default) keeps a removed real server's connections until they expire, their packets
 *     dropped; true removes each at its next packet
 * @param workers forwarding threads, each with its own socket and its share of the flows and of
 *     the connection table ({@code connections / workers} entries each); 1 (the default) opens one
 *     socket and joins no fanout group. With connection sync each worker has its own side of it
 *     and the daemon routes the standby's entries to their owners; both directors must run the
 *     same number of workers (docs/fanout.md).
 */
public record EngineOptions(String interfaceName, String instance, int connections, Timeouts timeouts,
        List<String> nftPrefix, Duration neighbourPeriod, Optional<SyncOptions> sync, boolean expireNodestConn,
        int workers) {
    /** The most workers an engine runs. */
    public static final int MAX_WORKERS = 64;

    public EngineOptions {
        if (connections < 1) {
            throw new IllegalArgumentException("invalid connection table size: " + connections + " (expected: >= 1)");
        }
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException("invalid workers: " + workers + " (expected: 1 ~ " + MAX_WORKERS + ")");
        }
        if (workers > connections) {
            throw new IllegalArgumentException("invalid connection table size: " + connections + " for " + workers
                    + " workers (expected: at least one entry per worker)");
        }
        nftPrefix = List.copyOf(nftPrefix);
    }

    public static EngineOptions of(String interfaceName, String instance) {
        return new EngineOptions(interfaceName, instance, 1 << 18, Timeouts.ipvsDefaults(), List.of(),
                Duration.ofSeconds(1), Optional.empty(), false, 1);
    }

    public EngineOptions withNftPrefix(List<String> prefix) {
        return new EngineOptions(interfaceName, instance, connections, timeouts, prefix,
                neighbourPeriod, sync, expireNodestConn, workers);
    }

    public EngineOptions withConnections(int capacity) {
        return new EngineOptions(interfaceName, instance, capacity, timeouts, nftPrefix,
                neighbourPeriod, sync, expireNodestConn, workers);
    }

    public EngineOptions withTimeouts(Timeouts newTimeouts) {
        return new EngineOptions(interfaceName, instance, connections, newTimeouts, nftPrefix,
                neighbourPeriod, sync, expireNodestConn, workers);
    }

    public EngineOptions withSync(SyncOptions options) {
        return new EngineOptions(interfaceName, instance, connections, timeouts, nftPrefix, neighbourPeriod,
                Optional.of(options), expireNodestConn, workers);
    }

    public EngineOptions withExpireNodestConn(boolean expire) {
        return new EngineOptions(interfaceName, instance, connections, timeouts, nftPrefix, neighbourPeriod, sync,
                expire, workers);
    }

    /** Runs {@code count} forwarding workers (1 by default); see {@link #workers()}. */
    public EngineOptions withWorkers(int count) {
        return new EngineOptions(interfaceName, instance, connections, timeouts, nftPrefix, neighbourPeriod, sync,
                expireNodestConn, count);
    }
}
