package io.tandem.core.config.model;

import io.tandem.core.config.Location;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Tandem's {@code real_server_discovery PATH { ... }} in a virtual_server: the real servers are the
 * instances registered under the znode {@code PATH} (Curator's service-discovery layout: {@code
 * PATH/ID}, each an ephemeral node holding the instance's address and port), and the block is the
 * template each of them gets: the statements of a {@code real_server} (weight, checkers, notify ...).
 * The template's checkers are resolved against {@link #ANY} and port 0, which stand for the
 * registered instance's address and port.
 */
public record RealServerDiscovery(Location location, String path, RealServer template) {
    /** The template's stand-in address. */
    public static final InetAddress ANY = InetAddress.ofLiteral("0.0.0.0");

    public RealServerDiscovery {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/") || path.length() < 2) {
            throw new IllegalArgumentException("invalid discovery path: " + path + " (expected: /PARENT/NAME)");
        }
    }

    /** The service name in Curator's layout: the last segment of the path. */
    public String serviceName() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The base path in Curator's layout: the path without its last segment ("/" at the top). */
    public String basePath() {
        int slash = path.lastIndexOf('/');
        return slash == 0 ? "/" : path.substring(0, slash);
    }

    /** The real server for a registered instance at {@code address}:{@code port} (port 0: the template's). */
    public RealServer realServer(InetAddress address, int port) {
        int p = port != 0 ? port : template.port();
        List<Checker> checkers = new ArrayList<>();
        for (Checker c : template.checkers()) {
            checkers.add(retarget(c, address, p));
        }
        return new RealServer(location, address, p, template.weight(), template.method(), template.inhibitOnFailure(),
                template.notifyUp(), template.notifyDown(), template.alpha(), template.virtualhost(),
                template.smtpAlert(), checkers);
    }

    private static Checker retarget(Checker c, InetAddress address, int port) {
        CheckerCommon o = c.common();
        CheckerCommon n = new CheckerCommon(o.connectIp().equals(ANY) ? address : o.connectIp(),
                o.connectPort() == 0 ? port : o.connectPort(), o.bindTo(), o.bindInterface(), o.bindPort(), o.fwmark(),
                o.alpha(), o.connectTimeout(), o.retry(), o.delayBeforeRetry(), o.warmup(), o.delayLoop(),
                o.logAllFailures());
        return switch (c) {
            case Checker.TcpCheck t -> new Checker.TcpCheck(n);
            case Checker.HttpCheck h -> new Checker.HttpCheck(n, h.ssl(), h.protocol(), h.fastRecovery(), h.urls(),
                    h.enableSni(), h.sniName());
            case Checker.DnsCheck d -> new Checker.DnsCheck(n, d.type(), d.name());
            case Checker.UdpCheck u -> new Checker.UdpCheck(n, u.payload(), u.requireReply(), u.replyPattern(),
                    u.minReplyLength(), u.maxReplyLength());
            case Checker.MiscCheck m -> new Checker.MiscCheck(n, m.path(), m.timeout(), m.dynamic());
            case Checker.SmtpCheck s -> new Checker.SmtpCheck(n, s.heloName());
            case Checker.PingCheck p -> new Checker.PingCheck(n);
        };
    }
}
