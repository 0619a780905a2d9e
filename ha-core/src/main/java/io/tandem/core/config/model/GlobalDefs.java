package io.tandem.core.config.model;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code global_defs} block. Defaults are keepalived's: VRRP version 2, multicast groups
 * 224.0.0.18 and ff02::12 (RFC 5798 section 5.1.1.2 / 5.1.2.2), GARP timing of {@link Garp#DEFAULTS},
 * 3 adverts for the master-down timer.
 *
 * <p>{@code forwarderWorkers} is Tandem's {@code forwarder_workers N}: the forwarder's worker threads, each owning
 * its share of the flows (docs/fanout.md); empty when not set (one worker, unless {@code tandem run --workers N},
 * which wins over the file).
 */
public record GlobalDefs(Optional<String> routerId, int vrrpVersion, Optional<LvsSyncDaemon> lvsSyncDaemon,
                         LvsTimeouts lvsTimeouts, boolean lvsFlush, boolean lvsFlushOnStop,
                         Optional<String> scriptUser, Optional<String> scriptGroup, boolean enableScriptSecurity,
                         Notification notification, boolean checkerLogAllFailures,
                         Optional<NotifyFifo> notifyFifo, Optional<NotifyFifo> vrrpNotifyFifo,
                         Optional<NotifyFifo> lvsNotifyFifo, InetAddress vrrpMulticastGroup4,
                         InetAddress vrrpMulticastGroup6, Optional<String> defaultInterface, Garp garp,
                         Duration garpInterval, Duration gnaInterval, boolean lowerPriorityNoAdvert,
                         boolean higherPrioritySendAdvert, boolean checkUnicastSource, boolean skipCheckAdvertAddress,
                         Duration vrrpStartupDelay, int downTimerAdverts, OptionalInt forwarderWorkers) {
    /** The most forwarder workers ({@code EngineOptions.MAX_WORKERS}). */
    public static final int MAX_FORWARDER_WORKERS = 64;

    public static final InetAddress MCAST_GROUP4 = InetAddress.ofLiteral("224.0.0.18");
    public static final InetAddress MCAST_GROUP6 = InetAddress.ofLiteral("ff02::12");
}
