package io.tandem.core.config.model;

import io.tandem.core.config.Location;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A {@code vrrp_instance} (RFC 5798 section 5.2 for the advert fields, keepalived.conf(5) for the
 * rest). {@code advertInterval} is as configured (v2 rounds to whole seconds on the wire).
 * {@code preempt} is false when {@code nopreempt} is set; {@code lvsSyncDaemonInterface} is the
 * deprecated per-instance form of {@code lvs_sync_daemon}.
 */
public record VrrpInstance(String name, Location location, State initialState, Optional<String> interfaceName,
                           int virtualRouterId, int priority, Duration advertInterval, int version,
                           boolean preempt, Duration preemptDelay, boolean accept,
                           List<IpAddressSpec> virtualIpAddresses, List<IpAddressSpec> excludedIpAddresses,
                           List<RouteSpec> virtualRoutes, Optional<InetAddress> unicastSourceIp,
                           List<UnicastPeer> unicastPeers, int unicastTtl, boolean unicastFaultNoPeer,
                           List<TrackedInterface> trackInterfaces, List<TrackedScript> trackScripts,
                           List<TrackedFile> trackFiles, NotifyScripts notifyScripts, boolean smtpAlert, Garp garp,
                           boolean lowerPriorityNoAdvert, boolean higherPrioritySendAdvert,
                           Optional<Authentication> authentication, Optional<InetAddress> multicastSourceIp,
                           Optional<InetAddress> multicastDestinationIp, boolean v3ChecksumAsV2,
                           boolean dontTrackPrimary, boolean skipCheckAdvertAddress, boolean checkUnicastSource,
                           int downTimerAdverts, Optional<String> lvsSyncDaemonInterface) {
    public VrrpInstance {
        virtualIpAddresses = List.copyOf(virtualIpAddresses);
        excludedIpAddresses = List.copyOf(excludedIpAddresses);
        virtualRoutes = List.copyOf(virtualRoutes);
        unicastPeers = List.copyOf(unicastPeers);
        trackInterfaces = List.copyOf(trackInterfaces);
        trackScripts = List.copyOf(trackScripts);
        trackFiles = List.copyOf(trackFiles);
    }

    /** True when VIPs are IPv6 (keepalived takes the family from the first VIP). */
    public boolean isIpv6() {
        return !virtualIpAddresses.isEmpty() && virtualIpAddresses.getFirst().isIpv6();
    }
}
