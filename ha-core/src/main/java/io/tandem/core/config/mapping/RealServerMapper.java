package io.tandem.core.config.mapping;

import io.tandem.core.config.keyword.Context;
import io.tandem.core.config.model.Checker;
import io.tandem.core.config.model.ForwardingMethod;
import io.tandem.core.config.model.RealServer;
import io.tandem.core.config.model.RealServerDiscovery;
import io.tandem.core.config.model.ScriptCommand;
import io.tandem.core.config.reader.Node;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Maps {@code real_server IP [PORT] { ... }} of a virtual server, with its checkers. */
final class RealServerMapper {
    private final BlockWalker walker;
    private final Values values;
    private final CheckerMapper checkers;

    RealServerMapper(BlockWalker walker, Values values, CheckerMapper checkers) {
        this.walker = walker;
        this.values = values;
        this.checkers = checkers;
    }

    Optional<RealServer> map(Node block, CheckerSettings virtualServer, ForwardingMethod vsMethod, int vsPort,
                             boolean vsSmtpAlert) {
        InetAddress address = values.ip(block, 0);
        if (address == null) {
            return Optional.empty();
        }
        int port = vsPort;
        if (block.argCount() > 1) {
            Integer p = values.port(block, 1);
            port = p == null ? port : p;
        }
        values.maxArgs(block, 2, "real_server IP [PORT]");
        return Optional.of(body(block, address, port, virtualServer, vsMethod, vsSmtpAlert));
    }

    /**
     * {@code real_server_discovery PATH { ... }}: the template of the discovered real servers, its
     * checkers resolved against {@link RealServerDiscovery#ANY} and port 0.
     */
    Optional<RealServerDiscovery> discovery(Node block, CheckerSettings virtualServer, ForwardingMethod vsMethod,
                                            int vsPort, boolean vsSmtpAlert) {
        String path = values.string(block, 0, "a znode path");
        values.maxArgs(block, 1, "real_server_discovery PATH");
        if (path == null) {
            return Optional.empty();
        }
        if (!path.matches("(/[^/\\s]+)+")) {
            values.error(block, "real_server_discovery " + path + ": invalid path (expected: an absolute znode path"
                    + " such as /tandem/services/web, its last segment the service name)");
            return Optional.empty();
        }
        // checkers against ANY:0 (stand-ins for each instance's address and port); the template's port the VS's
        RealServer t = body(block, RealServerDiscovery.ANY, 0, virtualServer, vsMethod, vsSmtpAlert);
        RealServer template = new RealServer(t.location(), t.address(), vsPort, t.weight(), t.method(),
                t.inhibitOnFailure(), t.notifyUp(), t.notifyDown(), t.alpha(), t.virtualhost(), t.smtpAlert(),
                t.checkers());
        return Optional.of(new RealServerDiscovery(block.location(), path, template));
    }

    private RealServer body(Node block, InetAddress address, int port, CheckerSettings virtualServer,
                            ForwardingMethod vsMethod, boolean vsSmtpAlert) {
        CheckerSettings settings = virtualServer.child();
        var r = new Object() {
            int weight = 1;
            ForwardingMethod method = vsMethod;
            Optional<ScriptCommand> up = Optional.empty();
            Optional<ScriptCommand> down = Optional.empty();
            boolean smtpAlert = vsSmtpAlert;
        };
        List<Node> checkerBlocks = new ArrayList<>();
        walker.walk(block, Context.REAL_SERVER, n -> {
            boolean isChecker = n.keyword().endsWith("_CHECK") || n.keyword().endsWith("_GET");
            if (!values.shape(n, isChecker)) {
                return;
            }
            if (isChecker) {
                checkerBlocks.add(n);
            } else if (!settings.read(n, values)) {
                switch (n.keyword()) {
                    case "weight" -> GlobalDefsMapper.set(values.intValue(n, 0, 0, Integer.MAX_VALUE), v -> r.weight = v);
                    case "lvs_method", "lb_kind" -> GlobalDefsMapper.set(method(n, values), v -> r.method = v);
                    case "notify_up" -> r.up = values.script(n);
                    case "notify_down" -> r.down = values.script(n);
                    case "smtp_alert" -> GlobalDefsMapper.set(values.bool(n, 0, true), v -> r.smtpAlert = v);
                    default -> throw VrrpScriptMapper.unmapped(n, "real_server");
                }
            }
        });
        final int rsPort = port;
        List<Checker> list = new ArrayList<>();
        for (Node c : checkerBlocks) {
            checkers.map(c, settings, address, rsPort).ifPresent(list::add);
        }
        return new RealServer(block.location(), address, port, r.weight, r.method,
                Boolean.TRUE.equals(settings.inhibitOnFailure()), r.up, r.down, Boolean.TRUE.equals(settings.alpha()),
                Optional.ofNullable(settings.virtualhost()), r.smtpAlert, list);
    }

    /**
     * {@code lb_kind|lvs_method NAT|DR|TUN [type ipip]|FULLNAT|FNAT}; other tunnel types (gue, gre)
     * and checksum options are not supported yet.
     */
    static ForwardingMethod method(Node n, Values values) {
        String v = values.string(n, 0, "NAT|DR|TUN|FULLNAT|FNAT");
        if (v == null) {
            return null;
        }
        Optional<ForwardingMethod> m = ForwardingMethod.parse(v);
        if (m.isEmpty()) {
            values.error(n, n.keyword() + " " + v + ": invalid value (expected: NAT|DR|TUN|FULLNAT|FNAT)");
            return null;
        }
        if (n.argCount() > 1) {
            boolean ipip = m.get() == ForwardingMethod.TUN && n.argCount() == 3 && "type".equals(n.arg(1))
                    && "ipip".equals(n.arg(2));
            if (!ipip) {
                values.error(n, n.keyword() + " " + String.join(" ", n.args()) + ": tunnel options are not supported"
                        + " yet; keepalived would set the tunnel type/checksum, so ignoring them would change"
                        + " behaviour (supported: TUN or TUN type ipip)");
            }
        }
        return m.get();
    }
}
