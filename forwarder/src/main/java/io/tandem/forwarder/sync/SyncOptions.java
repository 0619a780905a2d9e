package io.tandem.forwarder.sync;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How the pair syncs its connection tables: IPVS's sync daemon settings
 * ({@code lvs_sync_daemon IFACE id N maxlen N port N ttl N group ADDR}) plus
 * what that keyword cannot say: unicast peers, the shared key, and how
 * quickly changes are sent and refreshed.
 *
 * @param interfaceName the interface the multicast group is joined and sent on (empty: unicast only)
 * @param syncId the pair's sync id; messages with another id are dropped
 * @param group the multicast group (IPVS: 224.0.0.81)
 * @param port the UDP port (IPVS: 8848)
 * @param ttl the multicast TTL (IPVS: 1)
 * @param maxLength the largest UDP payload sent (IPVS's maxlen; default 1472, one Ethernet frame)
 * @param unicastPeers when not empty, messages go to these addresses instead of the group
 * @param unicastSource with unicast peers, the address to send from and listen on (empty: any)
 * @param key the HMAC-SHA256 key, at least 16 bytes
 * @param keyConfigured false when the key was derived from the sync id because none was configured
 *     (messages are then checked for integrity, not authenticated)
 * @param flush how long a change may wait for more to fill its message
 * @param refresh how often a busy flow's entry is sent again
 */
public record SyncOptions(Optional<String> interfaceName, int syncId, InetAddress group, int port, int ttl,
        int maxLength, List<InetAddress> unicastPeers, Optional<InetAddress> unicastSource, byte[] key, boolean keyConfigured, Duration flush,
        Duration refresh) {
    public static final InetAddress DEFAULT_GROUP = InetAddress.ofLiteral("224.0.0.81");
    public static final int DEFAULT_PORT = 8848;
    public static final int DEFAULT_MAX_LENGTH = 1472;
    public static final Duration DEFAULT_FLUSH = Duration.ofMillis(2);
    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(30);

    public SyncOptions {
        unicastPeers = List.copyOf(unicastPeers);
        key = key.clone();
        if (interfaceName.isEmpty() && unicastPeers.isEmpty()) {
            throw new IllegalArgumentException("connection sync needs an interface (multicast) or unicast peers");
        }
        if (!(group instanceof Inet4Address) || !group.isMulticastAddress()) {
            throw new IllegalArgumentException("invalid sync group " + group.getHostAddress()
                    + " (expected: an IPv4 multicast address)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid sync port: " + port + " (expected: 1 ~ 65535)");
        }
        if (SyncMessageFlyweight.entriesThatFit(maxLength) < 1 || maxLength > 65507) {
            throw new IllegalArgumentException("invalid sync maxlen: " + maxLength + " (expected: "
                    + SyncMessageFlyweight.lengthFor(1) + " ~ 65507)");
        }
        if (key.length < SyncAuthenticator.MIN_KEY_BYTES) {
            throw new IllegalArgumentException("sync key too short: " + key.length + " bytes (expected: >= "
                    + SyncAuthenticator.MIN_KEY_BYTES + ")");
        }
        if (flush.isNegative() || refresh.isNegative() || refresh.isZero()) {
            throw new IllegalArgumentException("invalid sync flush " + flush + " / refresh " + refresh);
        }
    }

    /** Multicast on {@code interfaceName} with IPVS's defaults and {@code key}. */
    public static SyncOptions multicast(String interfaceName, int syncId, byte[] key) {
        return new SyncOptions(Optional.of(interfaceName), syncId, DEFAULT_GROUP, DEFAULT_PORT, 1, DEFAULT_MAX_LENGTH,
                List.of(), Optional.empty(), key, true, DEFAULT_FLUSH, DEFAULT_REFRESH);
    }

    /** Unicast from {@code source} to {@code peers} with IPVS's port and {@code key}. */
    public static SyncOptions unicast(InetAddress source, List<InetAddress> peers, int port, int syncId, byte[] key) {
        return new SyncOptions(Optional.empty(), syncId, DEFAULT_GROUP, port, 1, DEFAULT_MAX_LENGTH, peers,
                Optional.of(source), key, true, DEFAULT_FLUSH, DEFAULT_REFRESH);
    }

    /**
     * The key a pair uses when none is configured (keepalived's
     * {@code lvs_sync_daemon} has no way to name one): derived from the sync
     * id, so both sides agree, but known to anyone who reads the configuration.
     */
    public static byte[] derivedKey(int syncId) {
        return ("tandem-sync-unauthenticated-" + syncId).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** The entries one message carries. */
    public int entriesPerMessage() {
        return SyncMessageFlyweight.entriesThatFit(maxLength);
    }
}
