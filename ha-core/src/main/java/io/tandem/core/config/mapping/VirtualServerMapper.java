package io.tandem.core.config.mapping;

import io.tandem.core.config.keyword.Context;
import io.tandem.core.config.model.ForwardingMethod;
import io.tandem.core.config.model.Protocol;
import io.tandem.core.config.model.RealServer;
import io.tandem.core.config.model.RealServerDiscovery;
import io.tandem.core.config.model.Scheduler;
import io.tandem.core.config.model.ScriptCommand;
import io.tandem.core.config.model.SorryServer;
import io.tandem.core.config.model.VirtualServer;
import io.tandem.core.config.model.VirtualServerGroup;
import io.tandem.core.config.model.VirtualServiceAddress;
import io.tandem.core.config.reader.Node;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Maps {@code virtual_server IP [PORT] | fwmark N | group NAME { ... }}. Persistence without a value
 * is 360 s, at most 31 days (ipvsadm(8) -p); the port may be omitted only with persistence.
 */
final class VirtualServerMapper {
    static final Duration DEFAULT_PERSISTENCE = Duration.ofSeconds(360);
    static final long MAX_PERSISTENCE_SECONDS = 31L * 24 * 3600;

    private final BlockWalker walker;
    private final Values values;
    private final RealServerMapper realServers;
    private final DefinedNames names;
    private final java.util.function.Function<String, Optional<VirtualServerGroup>> groups;

    VirtualServerMapper(BlockWalker walker, Values values, RealServerMapper realServers, DefinedNames names,
                        java.util.function.Function<String, Optional<VirtualServerGroup>> groups) {
        this.groups = groups;
        this.walker = walker;
        this.values = values;
        this.realServers = realServers;
        this.names = names;
    }

    /** The state of one virtual server while its block is read. */
    private static final class Draft {
        final CheckerSettings settings = new CheckerSettings();
        Protocol protocol;
        Scheduler scheduler = Scheduler.WLC;
        ForwardingMethod method = ForwardingMethod.NAT;
        Optional<Duration> persistence = Optional.empty();
        Optional<InetAddress> granularity = Optional.empty();
        long quorum = 1;
        long hysteresis;
        Optional<ScriptCommand> quorumUp = Optional.empty();
        Optional<ScriptCommand> quorumDown = Optional.empty();
        boolean omega;
        boolean haSuspend;
        InetAddress sorryAddress;
        int sorryPort;
        boolean sorryInhibit;
        ForwardingMethod sorryMethod;
        Optional<String> laddrGroup = Optional.empty();
        Node toa;
        Optional<String> ipFamily = Optional.empty();
        boolean smtpAlert;
        final List<Node> realServerBlocks = new ArrayList<>();
        Node discoveryBlock;
    }

    Optional<VirtualServer> map(Node block) {
        if (!values.shape(block, true)) {
            return Optional.empty();
        }
        VirtualServiceAddress address = address(block);
        if (address == null) {
            return Optional.empty();
        }
        Draft d = new Draft();
        walker.walk(block, Context.VIRTUAL_SERVER, n -> statement(n, d));
        if (address instanceof VirtualServiceAddress.IpPort ip && ip.port() == 0 && d.persistence.isEmpty()) {
            values.error(block, "virtual_server " + block.arg(0) + ": no port (expected: a port, unless"
                    + " persistence_timeout is set)");
        }
        boolean byMark = isFwmarkOnly(address);
        if (d.protocol != null && byMark) {
            values.warning(block, "virtual_server " + String.join(" ", block.args()) + ": protocol is ignored for a"
                    + " fwmark service (keepalived ignores it too)");
        }
        if (d.protocol == null) {
            d.protocol = Protocol.UDP;
            if (!byMark) {
                values.warning(block, "virtual_server " + String.join(" ", block.args()) + ": no protocol; keepalived"
                        + " defaults to UDP (the kernel's default), and so does Tandem (expected: protocol TCP|UDP|SCTP)");
            }
        }
        if (d.realServerBlocks.isEmpty() && d.sorryAddress == null && d.discoveryBlock == null) {
            values.warning(block, "virtual_server " + String.join(" ", block.args()) + " has no real servers"
                    + " (keepalived ignores such a virtual server)");
        }
        if (d.hysteresis >= d.quorum && d.hysteresis > 0) {
            values.warning(block, "virtual_server " + String.join(" ", block.args()) + ": hysteresis " + d.hysteresis
                    + " >= quorum " + d.quorum + "; set to 0, as keepalived does");
            d.hysteresis = 0;
        }
        int vsPort = address instanceof VirtualServiceAddress.IpPort ip ? ip.port() : 0;
        List<RealServer> list = new ArrayList<>();
        for (Node rs : d.realServerBlocks) {
            realServers.map(rs, d.settings, d.method, vsPort, d.smtpAlert).ifPresent(list::add);
        }
        Optional<RealServerDiscovery> discovery = d.discoveryBlock == null ? Optional.empty()
                : realServers.discovery(d.discoveryBlock, d.settings, d.method, vsPort, d.smtpAlert);
        Optional<SorryServer> sorry = d.sorryAddress == null ? Optional.empty() : Optional.of(new SorryServer(
                d.sorryAddress, d.sorryPort == 0 ? vsPort : d.sorryPort, d.sorryInhibit,
                d.sorryMethod != null ? d.sorryMethod : d.method));
        if (d.toa != null && (d.laddrGroup.isEmpty() || d.protocol != Protocol.TCP)) {
            values.error(d.toa, "toa carries the client's address in a TCP option of FULLNAT's handshake"
                    + " (expected: protocol TCP and a local_address_group in this virtual_server)");
        }
        Duration delayLoop = d.settings.delayLoop() != null ? d.settings.delayLoop() : CheckerMapper.DEFAULT_DELAY_LOOP;
        return Optional.of(new VirtualServer(block.location(), address, d.protocol, d.scheduler, d.method, d.persistence,
                d.granularity, d.quorum, d.hysteresis, d.quorumUp, d.quorumDown,
                Boolean.TRUE.equals(d.settings.alpha()), d.omega, d.haSuspend,
                Boolean.TRUE.equals(d.settings.inhibitOnFailure()), sorry, Optional.ofNullable(d.settings.virtualhost()),
                d.laddrGroup, d.ipFamily, delayLoop, d.smtpAlert, list, discovery, d.toa != null));
    }

    /** True for {@code fwmark N} and for a group holding fwmarks only: no protocol or port applies. */
    private boolean isFwmarkOnly(VirtualServiceAddress address) {
        return switch (address) {
            case VirtualServiceAddress.Fwmark f -> true;
            case VirtualServiceAddress.Group g -> groups.apply(g.name()).map(vsg -> !vsg.entries().isEmpty()
                    && vsg.entries().stream().allMatch(e -> e instanceof VirtualServerGroup.Fwmark)).orElse(false);
            case VirtualServiceAddress.IpPort ip -> false;
        };
    }

    private VirtualServiceAddress address(Node block) {
        String first = values.string(block, 0, "IP [PORT] | fwmark N | group NAME");
        if (first == null) {
            return null;
        }
        switch (first) {
            case "fwmark" -> {
                values.maxArgs(block, 2, "virtual_server fwmark N");
                Long mark = values.integer(new Node("fwmark", block.args().subList(1, block.argCount()),
                        block.location(), List.of(), false), 0, 1, 0xffffffffL);
                return mark == null ? null : new VirtualServiceAddress.Fwmark(mark);
            }
            case "group" -> {
                values.maxArgs(block, 2, "virtual_server group NAME");
                String name = values.string(new Node("virtual_server group", block.args().subList(1, block.argCount()),
                        block.location(), List.of(), false), 0, "a virtual_server_group name");
                if (name == null || !names.check(block, DefinedNames.Kind.VIRTUAL_SERVER_GROUP, name)) {
                    return null;
                }
                return new VirtualServiceAddress.Group(name);
            }
            default -> {
                values.maxArgs(block, 2, "virtual_server IP [PORT]");
                InetAddress ip = values.ip(block, 0);
                Integer port = block.argCount() > 1 ? values.port(block, 1) : Integer.valueOf(0);
                return ip == null || port == null ? null : new VirtualServiceAddress.IpPort(ip, port);
            }
        }
    }

    private void statement(Node n, Draft d) {
        if (!values.shape(n, n.keyword().equals("real_server") || n.keyword().equals("real_server_discovery"))) {
            return;
        }
        if (d.settings.read(n, values)) {
            return;
        }
        switch (n.keyword()) {
            case "real_server" -> d.realServerBlocks.add(n);
            case "real_server_discovery" -> {
                if (d.discoveryBlock != null) {
                    values.error(n, "second real_server_discovery (expected: one per virtual_server; the first is at "
                            + d.discoveryBlock.location() + ")");
                } else {
                    d.discoveryBlock = n;
                }
            }
            case "lb_algo", "lvs_sched" -> GlobalDefsMapper.set(values.string(n, 0, "rr|wrr|lc|wlc|..."), v ->
                    Scheduler.parse(v).ifPresentOrElse(s -> d.scheduler = s, () -> values.error(n, n.keyword() + " " + v
                            + ": unknown scheduler (expected: rr|wrr|lc|wlc|lblc|sh|mh|dh|fo|ovf|lblcr|sed|nq|twos)")));
            case "lb_kind", "lvs_method" -> GlobalDefsMapper.set(RealServerMapper.method(n, values), v -> d.method = v);
            case "persistence_timeout" -> {
                if (n.argCount() == 0) {
                    d.persistence = Optional.of(DEFAULT_PERSISTENCE);
                } else {
                    Long s = values.integer(n, 0, 1, MAX_PERSISTENCE_SECONDS);
                    d.persistence = s == null ? d.persistence : Optional.of(Duration.ofSeconds(s));
                }
            }
            case "persistence_granularity" -> d.granularity = Optional.ofNullable(values.ip(n, 0));
            case "protocol" -> GlobalDefsMapper.set(values.choice(n, 0, "TCP", "UDP", "SCTP"),
                    v -> d.protocol = Protocol.valueOf(v));
            case "quorum" -> GlobalDefsMapper.set(values.integer(n, 0, 1, Integer.MAX_VALUE), v -> d.quorum = v);
            case "hysteresis" -> GlobalDefsMapper.set(values.integer(n, 0, 0, Integer.MAX_VALUE), v -> d.hysteresis = v);
            case "quorum_up" -> d.quorumUp = values.script(n);
            case "quorum_down" -> d.quorumDown = values.script(n);
            case "omega" -> d.omega = true;
            case "ha_suspend" -> d.haSuspend = true;
            case "sorry_server" -> {
                values.maxArgs(n, 2, "sorry_server IP [PORT]");
                d.sorryAddress = values.ip(n, 0);
                if (n.argCount() > 1) {
                    GlobalDefsMapper.set(values.port(n, 1), v -> d.sorryPort = v);
                }
            }
            case "sorry_server_inhibit" -> d.sorryInhibit = true;
            case "sorry_server_lvs_method" -> d.sorryMethod = RealServerMapper.method(n, values);
            case "laddr_group_name", "local_address_group" -> GlobalDefsMapper.set(
                    values.string(n, 0, "a local_address_group name"), v -> {
                        if (names.check(n, DefinedNames.Kind.LOCAL_ADDRESS_GROUP, v)) {
                            d.laddrGroup = Optional.of(v);
                        }
                    });
            case "toa" -> {
                values.maxArgs(n, 0, "toa");
                d.toa = n;
            }
            case "ip_family" -> d.ipFamily = Optional.ofNullable(values.choice(n, 0, "inet", "inet6"));
            case "smtp_alert" -> GlobalDefsMapper.set(values.bool(n, 0, true), v -> d.smtpAlert = v);
            default -> throw VrrpScriptMapper.unmapped(n, "virtual_server");
        }
    }
}
