package io.tandem.director.vrrp;

import io.tandem.core.config.model.Authentication;
import io.tandem.core.config.model.Garp;
import io.tandem.core.config.model.GlobalDefs;
import io.tandem.core.config.model.IpAddressSpec;
import io.tandem.core.config.model.KeepalivedConfig;
import io.tandem.core.config.model.RouteSpec;
import io.tandem.core.config.model.State;
import io.tandem.core.config.model.UnicastPeer;
import io.tandem.core.config.model.VrrpInstance;
import io.tandem.core.netlink.AddressScope;
import io.tandem.vrrp.GarpTiming;
import io.tandem.vrrp.VirtualAddress;
import io.tandem.vrrp.VirtualRoute;
import io.tandem.vrrp.VrrpInstanceConfig;
import io.tandem.vrrp.VrrpTracker;
import io.tandem.vrrp.packet.VrrpChecksumMode;
import io.tandem.vrrp.packet.VrrpVersion;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns a parsed {@code vrrp_instance} into the engine's {@link VrrpInstanceConfig}, the
 * way keepalived reads it (keepalived.conf(5) "VRRP instance(s)"): the interface falls
 * back to {@code global_defs default_interface}; the primary address (RFC 9568 §5.1.1.1
 * source address) is {@code unicast_src_ip}, else {@code mcast_src_ip}, else the
 * interface's first address of the VIPs' family; IPv6 instances are always VRRPv3; a v2
 * advert interval is rounded to whole seconds, as keepalived's {@code vrrp.c} does;
 * {@code v3_checksum_as_v2} selects RFC 9568's message-only IPv4 checksum; the instance's own
 * interface is tracked (FAULT while its link is down) unless {@code dont_track_primary}, and
 * {@code track_interface} lines add interface trackers with their weights; with the whole file,
 * {@code track_script} and {@code track_file} lines, and those of the instance's
 * {@code vrrp_sync_group}, add script and file trackers ({@link VrrpTrackingMapping}).
 */
public final class VrrpConfigMapping {
    /** The interface's primary address of a family, from rtnetlink in the director. */
    @FunctionalInterface
    public interface InterfaceAddresses {
        /** The first address of {@code interfaceName} in the family of IPv6 ({@code ipv6}) or IPv4, if any. */
        Optional<InetAddress> primary(String interfaceName, boolean ipv6);
    }

    private final GlobalDefs globals;
    private final InterfaceAddresses addresses;
    private final VrrpTrackingMapping tracking;

    /** For a file without vrrp_script, track_file or vrrp_sync_group blocks. */
    public VrrpConfigMapping(GlobalDefs globals, InterfaceAddresses addresses) {
        this.globals = Objects.requireNonNull(globals, "globals");
        this.addresses = Objects.requireNonNull(addresses, "addresses");
        this.tracking = null;
    }

    /** For the whole file: instances track its vrrp_scripts and track_files, and their sync group's. */
    public VrrpConfigMapping(KeepalivedConfig config, InterfaceAddresses addresses) {
        this.globals = config.globalDefs();
        this.addresses = Objects.requireNonNull(addresses, "addresses");
        this.tracking = new VrrpTrackingMapping(config);
    }

    /**
     * @throws IllegalArgumentException with the instance's name and what was wrong, when the
     *         instance cannot run here (no interface, no address, a value the engine refuses)
     */
    public VrrpInstanceConfig map(VrrpInstance instance) {
        String where = instance.location() + ": vrrp_instance " + instance.name();
        String interfaceName = instance.interfaceName().or(globals::defaultInterface)
                .orElseThrow(() -> new IllegalArgumentException(where
                        + ": no interface (expected: interface IFNAME, or default_interface in global_defs)"));
        boolean ipv6 = instance.isIpv6();
        InetAddress primary = instance.unicastSourceIp().or(instance::multicastSourceIp)
                .or(() -> addresses.primary(interfaceName, ipv6))
                .orElseThrow(() -> new IllegalArgumentException(where + ": interface " + interfaceName
                        + " has no " + (ipv6 ? "IPv6" : "IPv4") + " address (expected: one, or unicast_src_ip)"));
        VrrpVersion version = ipv6 || primary instanceof Inet6Address || instance.version() == 3
                ? VrrpVersion.V3 : VrrpVersion.V2;
        Duration interval = version == VrrpVersion.V2 ? wholeSeconds(instance.advertInterval())
                : instance.advertInterval();
        refuseUnsupported(instance, where);
        VrrpInstanceConfig.Builder b;
        try {
            b = VrrpInstanceConfig.builder(instance.name(), interfaceName, instance.virtualRouterId())
                    .priority(instance.priority())
                    .version(version)
                    .advertInterval(interval)
                    .primaryAddress(primary)
                    .addresses(instance.virtualIpAddresses().stream().map(VrrpConfigMapping::address).toList())
                    .excludedAddresses(instance.excludedIpAddresses().stream().map(VrrpConfigMapping::address)
                            .toList())
                    .virtualRoutes(instance.virtualRoutes().stream().map(VrrpConfigMapping::route).toList())
                    .garp(garp(instance.garp()))
                    .startupDelay(globals.vrrpStartupDelay())
                    .unicastPeers(instance.unicastPeers().stream().map(UnicastPeer::address).toList())
                    // keepalived: nopreempt only holds when the initial state is not MASTER
                    .preempt(instance.preempt() || instance.initialState() == State.MASTER)
                    .preemptDelay(instance.preemptDelay())
                    .acceptMode(instance.accept())
                    .checksumMode(instance.v3ChecksumAsV2() ? VrrpChecksumMode.MESSAGE_ONLY
                            : VrrpChecksumMode.IPV4_PSEUDO_HEADER)
                    .multicastGroup(instance.multicastDestinationIp().orElse(ipv6 || primary instanceof Inet6Address
                            ? globals.vrrpMulticastGroup6() : globals.vrrpMulticastGroup4()))
                    .lowerPriorityNoAdvert(instance.lowerPriorityNoAdvert())
                    .checkUnicastSource(instance.checkUnicastSource())
                    .higherPrioritySendAdvert(instance.higherPrioritySendAdvert())
                    .downTimerAdverts(instance.downTimerAdverts())
                    .checkAdvertAddresses(!instance.skipCheckAdvertAddress());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        // keepalived tracks the instance's own interface (FAULT while it is down) unless dont_track_primary
        java.util.Set<String> tracked = new java.util.HashSet<>();
        if (!instance.dontTrackPrimary()) {
            b.track(io.tandem.vrrp.net.VrrpEngine.interfaceTracker(interfaceName), 0);
            tracked.add(interfaceName);
        }
        if (tracking == null) {
            if (!instance.trackScripts().isEmpty() || !instance.trackFiles().isEmpty()) {
                throw new IllegalStateException(where + ": track_script and track_file need the whole file"
                        + " (expected: VrrpConfigMapping(KeepalivedConfig, ...))");
            }
            for (io.tandem.core.config.model.TrackedInterface t : instance.trackInterfaces()) {
                if (tracked.add(t.name())) {
                    b.track(new VrrpTracker(io.tandem.vrrp.net.VrrpEngine.interfaceTracker(t.name()), t.weight(),
                            t.reverse(), VrrpTracker.Kind.STATUS));
                }
            }
        } else {
            tracking.trackers(instance, tracked).forEach(b::track);
        }
        instance.authentication().filter(a -> a.type() == Authentication.AuthType.PASS)
                .ifPresent(a -> b.simplePassword(a.password().length() > 8 ? a.password().substring(0, 8)
                        : a.password()));
        try {
            return b.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    /** All instances, in file order. */
    public List<VrrpInstanceConfig> mapAll(List<VrrpInstance> instances) {
        return instances.stream().map(this::map).toList();
    }

    /** What the engine would run differently from keepalived: refused rather than ignored. */
    private static void refuseUnsupported(VrrpInstance instance, String where) {
        if (instance.unicastTtl() != 255) {
            throw new IllegalArgumentException(where + ": unicast_ttl " + instance.unicastTtl()
                    + " is not supported yet (expected: 255, the TTL VRRP requires; keepalived would send"
                    + " unicast adverts with TTL " + instance.unicastTtl() + ")");
        }
        if (instance.unicastFaultNoPeer()) {
            throw new IllegalArgumentException(where + ": unicast_fault_no_peer is not supported yet; keepalived"
                    + " would go to FAULT while the instance has no unicast peer");
        }
    }

    /** A {@code virtual_ipaddress} line: prefix, {@code dev}, {@code label} and {@code scope} as written. */
    static VirtualAddress address(IpAddressSpec spec) {
        if (spec.broadcast().isPresent()) {
            throw new IllegalArgumentException("virtual address " + spec.address().getHostAddress() + ": brd "
                    + spec.broadcast().get().getHostAddress() + " is not supported yet (expected: no brd;"
                    + " keepalived would set the broadcast address)");
        }
        return new VirtualAddress(spec.address(), spec.prefixLength(), spec.device().orElse(null),
                spec.label().orElse(null), AddressScope.of(spec.scope().value()));
    }

    /** A {@code virtual_routes} line. */
    static VirtualRoute route(RouteSpec spec) {
        if (spec.orVia().isPresent()) {
            throw new IllegalArgumentException("virtual route " + spec.destination().getHostAddress() + ": or "
                    + spec.orVia().get().getHostAddress() + " is not supported yet (expected: one via;"
                    + " keepalived would add a second next hop)");
        }
        InetAddress destination = spec.destination();
        boolean ipv6 = spec.via().or(spec::source).map(a -> a instanceof Inet6Address).orElse(false);
        if (spec.prefixLength() == 0 && destination.isAnyLocalAddress() && ipv6) {
            destination = InetAddress.ofLiteral("::"); // "default" with an IPv6 next hop
        }
        return new VirtualRoute(VirtualRoute.Type.valueOf(spec.type().name()), destination, spec.prefixLength(),
                spec.via().orElse(null), spec.source().orElse(null), spec.device().orElse(null),
                spec.table().isPresent() ? spec.table().getAsInt() : VirtualRoute.MAIN_TABLE,
                spec.metric().isPresent() ? spec.metric().getAsInt() : -1,
                spec.scope().map(scope -> AddressScope.of(scope.value())).orElse(null));
    }

    static GarpTiming garp(Garp garp) {
        return new GarpTiming(garp.masterDelay(), garp.masterRepeat(), garp.masterRefresh(),
                garp.masterRefreshRepeat(), garp.lowerPriorityDelay(), garp.lowerPriorityRepeat());
    }

    /** keepalived rounds a v2 advert_int to the nearest whole second, at least 1. */
    static Duration wholeSeconds(Duration interval) {
        long seconds = Math.max(1, Math.round(interval.toMillis() / 1000.0));
        return Duration.ofSeconds(seconds);
    }
}
