package io.tandem.core.config.mapping;

import io.tandem.core.config.keyword.Context;
import io.tandem.core.config.model.Authentication;
import io.tandem.core.config.model.Garp;
import io.tandem.core.config.model.GlobalDefs;
import io.tandem.core.config.model.IpAddressSpec;
import io.tandem.core.config.model.NotifyScripts;
import io.tandem.core.config.model.RouteSpec;
import io.tandem.core.config.model.ScriptCommand;
import io.tandem.core.config.model.State;
import io.tandem.core.config.model.TrackedFile;
import io.tandem.core.config.model.TrackedInterface;
import io.tandem.core.config.model.TrackedScript;
import io.tandem.core.config.model.UnicastPeer;
import io.tandem.core.config.model.VrrpInstance;
import io.tandem.core.config.reader.Node;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Maps {@code vrrp_instance NAME { ... }}. Ranges are RFC 5798's (VRID 1-255 section 5.2.3,
 * priority 1-255 section 5.2.4, v3 interval 1-4095 centiseconds section 5.2.7) and keepalived's
 * (v2 advert_int whole seconds 1-255, preempt_delay 0-1000 s).
 */
final class VrrpInstanceMapper {
    private final BlockWalker walker;
    private final Values values;
    private final AddressParser addresses;
    private final Trackers trackers;

    VrrpInstanceMapper(BlockWalker walker, Values values, DefinedNames names) {
        this.walker = walker;
        this.values = values;
        this.addresses = new AddressParser(values);
        this.trackers = new Trackers(values, names);
    }

    /** The mutable state of one instance while its block is read. */
    private static final class Draft {
        State state = State.BACKUP;
        Optional<String> iface = Optional.empty();
        Integer vrid;
        int priority = 100;
        Node advertInt;
        Duration advert = Duration.ofSeconds(1);
        Integer version;
        boolean nopreempt;
        Node nopreemptAt;
        Duration preemptDelay = Duration.ZERO;
        boolean accept;
        final List<IpAddressSpec> vips = new ArrayList<>();
        final List<IpAddressSpec> excluded = new ArrayList<>();
        final List<RouteSpec> routes = new ArrayList<>();
        Optional<InetAddress> unicastSrc = Optional.empty();
        final List<UnicastPeer> peers = new ArrayList<>();
        int unicastTtl = 255;
        boolean unicastFaultNoPeer;
        final List<TrackedInterface> trackInterfaces = new ArrayList<>();
        final List<TrackedScript> trackScripts = new ArrayList<>();
        final List<TrackedFile> trackFiles = new ArrayList<>();
        final NotifyDraft notify = new NotifyDraft();
        boolean smtpAlert;
        Duration garpMasterDelay;
        Integer garpMasterRepeat;
        Duration garpMasterRefresh;
        Integer garpMasterRefreshRepeat;
        Duration garpLowerPrioDelay;
        Integer garpLowerPrioRepeat;
        Boolean lowerPrioNoAdvert;
        Boolean higherPrioSendAdvert;
        Optional<Authentication> auth = Optional.empty();
        Optional<InetAddress> mcastSrc = Optional.empty();
        Optional<InetAddress> mcastDst = Optional.empty();
        boolean v3ChecksumAsV2;
        boolean dontTrackPrimary;
        Boolean skipCheckAdvAddr;
        Boolean checkUnicastSrc;
        Integer downTimerAdverts;
        Optional<String> lvsSyncInterface = Optional.empty();
    }

    Optional<VrrpInstance> map(Node block, GlobalDefs global) {
        if (!values.shape(block, true)) {
            return Optional.empty();
        }
        String name = values.string(block, 0, "an instance name");
        if (name == null) {
            return Optional.empty();
        }
        Draft d = new Draft();
        walker.walk(block, Context.VRRP_INSTANCE, n -> statement(n, d));
        if (d.vrid == null) {
            values.error(block, "vrrp_instance " + name + ": virtual_router_id is missing (expected: 1 ~ 255)");
            return Optional.empty();
        }
        int version = version(block, name, d, global);
        Duration advert = advertInterval(name, d, version);
        if (d.nopreempt && d.state == State.MASTER) {
            values.warning(d.nopreemptAt, "vrrp_instance " + name + ": nopreempt has no effect with state MASTER"
                    + " (keepalived ignores it too; use state BACKUP)");
        }
        if (d.iface.isEmpty() && d.peers.isEmpty()) {
            values.error(block, "vrrp_instance " + name + ": no interface (expected: interface IFNAME,"
                    + " or unicast_peer with unicast_src_ip)");
        }
        if (d.iface.isEmpty() && !d.peers.isEmpty() && d.unicastSrc.isEmpty()) {
            values.error(block, "vrrp_instance " + name + ": unicast_peer without interface needs unicast_src_ip");
        }
        Garp g = global.garp();
        Garp garp = new Garp(or(d.garpMasterDelay, g.masterDelay()), or(d.garpMasterRepeat, g.masterRepeat()),
                or(d.garpMasterRefresh, g.masterRefresh()), or(d.garpMasterRefreshRepeat, g.masterRefreshRepeat()),
                or(d.garpLowerPrioDelay, or(d.garpMasterDelay, g.lowerPriorityDelay())),
                or(d.garpLowerPrioRepeat, or(d.garpMasterRepeat, g.lowerPriorityRepeat())));
        return Optional.of(new VrrpInstance(name, block.location(), d.state, d.iface, d.vrid, d.priority, advert, version,
                !d.nopreempt, d.preemptDelay, d.accept, d.vips, d.excluded, d.routes, d.unicastSrc, d.peers,
                d.unicastTtl, d.unicastFaultNoPeer, d.trackInterfaces, d.trackScripts, d.trackFiles,
                d.notify.build(), d.smtpAlert, garp, or(d.lowerPrioNoAdvert, global.lowerPriorityNoAdvert()),
                or(d.higherPrioSendAdvert, global.higherPrioritySendAdvert()), d.auth, d.mcastSrc, d.mcastDst,
                d.v3ChecksumAsV2, d.dontTrackPrimary, or(d.skipCheckAdvAddr, global.skipCheckAdvertAddress()),
                or(d.checkUnicastSrc, global.checkUnicastSource()), or(d.downTimerAdverts, global.downTimerAdverts()),
                d.lvsSyncInterface));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private int version(Node block, String name, Draft d, GlobalDefs global) {
        boolean v6 = !d.vips.isEmpty() && d.vips.getFirst().isIpv6();
        if (v6 && d.version != null && d.version == 2) {
            values.error(block, "vrrp_instance " + name + ": version 2 with IPv6 addresses (expected: version 3;"
                    + " VRRPv2 is IPv4 only, RFC 3768)");
        }
        for (IpAddressSpec vip : d.vips) {
            if (vip.isIpv6() != v6) {
                values.error(block, "vrrp_instance " + name + ": virtual_ipaddress " + vip.address().getHostAddress()
                        + " is not of the instance's address family (expected: all IPv" + (v6 ? "6" : "4")
                        + "; put other families in virtual_ipaddress_excluded)");
            }
        }
        return v6 ? 3 : (d.version != null ? d.version : global.vrrpVersion());
    }

    private Duration advertInterval(String name, Draft d, int version) {
        Duration advert = d.advert;
        if (d.advertInt == null) {
            return advert;
        }
        if (version == 2 && advert.toNanos() % 1_000_000_000L != 0) {
            long rounded = Math.max(1, Math.round(advert.toNanos() / 1e9));
            values.warning(d.advertInt, "vrrp_instance " + name + ": advert_int " + d.advertInt.arg(0)
                    + " rounded to " + rounded + " (VRRPv2 carries whole seconds, RFC 3768 section 5.3.7)");
            return Duration.ofSeconds(rounded);
        }
        if (version == 3) {
            if (advert.compareTo(Duration.ofMillis(40950)) > 0) {
                values.error(d.advertInt, "advert_int " + d.advertInt.arg(0)
                        + ": out of range (expected: 0.01 ~ 40.95 for VRRPv3, RFC 5798 section 5.2.7)");
                return Duration.ofSeconds(1);
            }
            return Duration.ofMillis(Math.max(10, advert.toMillis() / 10 * 10));
        }
        return advert;
    }

    private void statement(Node n, Draft d) {
        boolean block = switch (n.keyword()) {
            case "virtual_ipaddress", "virtual_ipaddress_excluded", "virtual_routes", "unicast_peer",
                 "track_interface", "track_script", "track_file", "authentication" -> true;
            default -> false;
        };
        if (!values.shape(n, block)) {
            return;
        }
        switch (n.keyword()) {
            case "state" -> GlobalDefsMapper.set(values.choice(n, 0, "MASTER", "BACKUP"), v -> d.state = State.valueOf(v));
            case "interface" -> d.iface = Optional.ofNullable(values.string(n, 0, "an interface name"));
            case "virtual_router_id" -> GlobalDefsMapper.set(values.intValue(n, 0, 1, 255), v -> d.vrid = v);
            case "priority" -> GlobalDefsMapper.set(values.intValue(n, 0, 1, 255), v -> d.priority = v);
            case "advert_int" -> {
                d.advertInt = n;
                GlobalDefsMapper.set(values.timer(n, 0, 0.01, 255), v -> d.advert = v);
            }
            case "version" -> GlobalDefsMapper.set(values.intValue(n, 0, 2, 3), v -> d.version = v);
            case "nopreempt" -> {
                d.nopreempt = true;
                d.nopreemptAt = n;
            }
            case "preempt" -> d.nopreempt = false;
            case "preempt_delay" -> GlobalDefsMapper.set(values.timer(n, 0, 0, 1000), v -> d.preemptDelay = v);
            case "accept" -> d.accept = true;
            case "no_accept" -> values.error(n, "no_accept is not supported yet; keepalived would drop the traffic"
                    + " to the VIPs on a master that does not own them, so ignoring it would change behaviour"
                    + " (Tandem's master accepts it, keepalived's default without vrrp_strict)");
            case "virtual_ipaddress" -> trackers.lines(n).forEach(l -> addresses.address(l).ifPresent(d.vips::add));
            case "virtual_ipaddress_excluded" -> trackers.lines(n)
                    .forEach(l -> addresses.address(l).ifPresent(d.excluded::add));
            case "virtual_routes" -> trackers.lines(n).forEach(l -> addresses.route(l).ifPresent(d.routes::add));
            case "unicast_src_ip" -> d.unicastSrc = Optional.ofNullable(values.ip(n, 0));
            case "unicast_peer" -> d.peers.addAll(trackers.unicastPeers(n));
            case "unicast_ttl" -> GlobalDefsMapper.set(values.intValue(n, 0, 1, 255), v -> d.unicastTtl = v);
            case "unicast_fault_no_peer" -> d.unicastFaultNoPeer = true;
            case "track_interface" -> d.trackInterfaces.addAll(trackers.interfaces(n));
            case "track_script" -> d.trackScripts.addAll(trackers.scripts(n));
            case "track_file" -> d.trackFiles.addAll(trackers.files(n));
            case "notify_master", "notify_backup", "notify_fault", "notify_stop", "notify",
                 "notify_master_rx_lower_pri" -> d.notify.set(n.keyword(), values.script(n));
            case "smtp_alert" -> GlobalDefsMapper.set(values.bool(n, 0, true), v -> d.smtpAlert = v);
            case "garp_master_delay" -> GlobalDefsMapper.set(values.timer(n, 0, 0, 1000), v -> d.garpMasterDelay = v);
            case "garp_master_repeat" -> GlobalDefsMapper.set(values.intValue(n, 0, 1, 255), v -> d.garpMasterRepeat = v);
            case "garp_master_refresh" -> GlobalDefsMapper.set(values.timer(n, 0, 0, 86400),
                    v -> d.garpMasterRefresh = v);
            case "garp_master_refresh_repeat" -> GlobalDefsMapper.set(values.intValue(n, 0, 1, 255),
                    v -> d.garpMasterRefreshRepeat = v);
            case "garp_lower_prio_delay" -> GlobalDefsMapper.set(values.timer(n, 0, 0, 1000),
                    v -> d.garpLowerPrioDelay = v);
            case "garp_lower_prio_repeat" -> GlobalDefsMapper.set(values.intValue(n, 0, 1, 255),
                    v -> d.garpLowerPrioRepeat = v);
            case "lower_prio_no_advert" -> d.lowerPrioNoAdvert = values.bool(n, 0, true);
            case "higher_prio_send_advert" -> d.higherPrioSendAdvert = values.bool(n, 0, true);
            case "authentication" -> d.auth = authentication(n);
            case "mcast_src_ip" -> d.mcastSrc = Optional.ofNullable(values.ip(n, 0));
            case "mcast_dst_ip" -> d.mcastDst = Optional.ofNullable(values.ip(n, 0));
            case "v3_checksum_as_v2" -> d.v3ChecksumAsV2 = true;
            case "dont_track_primary" -> d.dontTrackPrimary = true;
            case "skip_check_adv_addr" -> d.skipCheckAdvAddr = values.bool(n, 0, true);
            case "check_unicast_src" -> d.checkUnicastSrc = true;
            case "down_timer_adverts" -> GlobalDefsMapper.set(values.intValue(n, 0, 1, 100),
                    v -> d.downTimerAdverts = v);
            case "lvs_sync_daemon_interface" -> {
                d.lvsSyncInterface = Optional.ofNullable(values.string(n, 0, "an interface name"));
                values.warning(n, "lvs_sync_daemon_interface is deprecated (expected: lvs_sync_daemon IFNAME inst NAME"
                        + " in global_defs); taken as such");
            }
            default -> throw VrrpScriptMapper.unmapped(n, "vrrp_instance");
        }
    }

    private Optional<Authentication> authentication(Node block) {
        var a = new Object() {
            Authentication.AuthType type;
            String pass = "";
        };
        walker.walk(block, Context.AUTHENTICATION, n -> {
            if (!values.shape(n, false)) {
                return;
            }
            switch (n.keyword()) {
                case "auth_type" -> GlobalDefsMapper.set(values.choice(n, 0, "PASS", "AH"),
                        v -> a.type = Authentication.AuthType.valueOf(v));
                case "auth_pass" -> GlobalDefsMapper.set(values.string(n, 0, "a password of up to 8 characters"), v -> {
                    if (v.length() > 8) {
                        values.warning(n, "auth_pass: " + v.length() + " characters, only the first 8 are used"
                                + " (RFC 3768 section 5.3.10)");
                    }
                    a.pass = v.length() > 8 ? v.substring(0, 8) : v;
                });
                default -> throw VrrpScriptMapper.unmapped(n, "authentication");
            }
        });
        if (a.type == null) {
            values.error(block, "authentication: auth_type is missing (expected: PASS|AH)");
            return Optional.empty();
        }
        return Optional.of(new Authentication(a.type, a.pass));
    }

    /** Collects notify scripts for an instance or a sync group. */
    static final class NotifyDraft {
        Optional<ScriptCommand> master = Optional.empty();
        Optional<ScriptCommand> backup = Optional.empty();
        Optional<ScriptCommand> fault = Optional.empty();
        Optional<ScriptCommand> stop = Optional.empty();
        Optional<ScriptCommand> any = Optional.empty();
        Optional<ScriptCommand> rxLower = Optional.empty();

        void set(String keyword, Optional<ScriptCommand> script) {
            switch (keyword) {
                case "notify_master" -> master = script;
                case "notify_backup" -> backup = script;
                case "notify_fault" -> fault = script;
                case "notify_stop" -> stop = script;
                case "notify" -> any = script;
                case "notify_master_rx_lower_pri" -> rxLower = script;
                default -> throw new IllegalArgumentException("not a notify keyword: " + keyword);
            }
        }

        NotifyScripts build() {
            return new NotifyScripts(master, backup, fault, stop, any, rxLower);
        }
    }
}
