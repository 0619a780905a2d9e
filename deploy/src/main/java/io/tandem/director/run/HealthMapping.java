package io.tandem.director.run;

import io.tandem.core.config.model.Checker;
import io.tandem.core.config.model.CheckerCommon;
import io.tandem.core.config.model.RealServer;
import io.tandem.core.config.model.ScriptCommand;
import io.tandem.core.config.model.VirtualServer;
import io.tandem.healthcheck.config.CheckerConfig;
import io.tandem.healthcheck.config.CheckerOptions;
import io.tandem.healthcheck.config.HttpCheckConfig;
import io.tandem.healthcheck.config.RealServerConfig;
import io.tandem.healthcheck.config.StatusCodes;
import io.tandem.healthcheck.config.TcpCheckConfig;
import io.tandem.healthcheck.config.UrlCheck;
import io.tandem.healthcheck.config.VirtualServiceConfig;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The real servers' checker blocks to the health checker's configuration.
 * TCP_CHECK, HTTP_GET and SSL_GET are wired; another checker is refused with
 * {@code file:line} rather than silently left out (a real server without its
 * check would look healthy forever).
 */
public final class HealthMapping {
    private HealthMapping() {
    }

    /** {@code services} is {@link ServiceMapping#services}' output for the same file, in the same order. */
    public static List<VirtualServiceConfig> services(List<VirtualServer> servers, List<String> keys) {
        List<VirtualServiceConfig> out = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            VirtualServer vs = servers.get(i);
            List<RealServerConfig> reals = new ArrayList<>();
            for (RealServer rs : vs.realServers()) {
                List<CheckerConfig> checkers = new ArrayList<>();
                for (Checker c : rs.checkers()) {
                    checkers.add(checker(rs, c));
                }
                reals.add(new RealServerConfig(new InetSocketAddress(rs.address(), rs.port()), rs.weight(),
                        rs.inhibitOnFailure() || vs.inhibitOnFailure(), command(rs.notifyUp().orElse(null)),
                        command(rs.notifyDown().orElse(null)), checkers));
            }
            out.add(new VirtualServiceConfig(keys.get(i), reals, vs.quorum(), vs.hysteresis(),
                    command(vs.quorumUp().orElse(null)), command(vs.quorumDown().orElse(null)), null));
        }
        return out;
    }

    private static String command(ScriptCommand command) {
        return command == null ? null : command.commandLine();
    }

    static CheckerConfig checker(RealServer rs, Checker c) {
        CheckerOptions options = options(c.common());
        return switch (c) {
            case Checker.TcpCheck t -> new TcpCheckConfig(options);
            case Checker.HttpCheck h -> {
                List<UrlCheck> urls = new ArrayList<>();
                for (io.tandem.core.config.model.UrlCheck u : h.urls()) {
                    urls.add(new UrlCheck(u.path(), u.digest().orElse(null), new StatusCodes(u.statusCodes().stream()
                            .map(r -> new StatusCodes.Range(r.from(), r.to())).toList()),
                            u.virtualhost().orElse(null), u.regex().orElse(null), u.regexNoMatch()));
                }
                HttpCheckConfig http = HttpCheckConfig.of(options, h.ssl(), urls).withProtocol(switch (h.protocol()) {
                    case HTTP_1_0 -> HttpCheckConfig.HttpProtocol.HTTP_1_0;
                    case HTTP_1_0C -> HttpCheckConfig.HttpProtocol.HTTP_1_0C;
                    case HTTP_1_1 -> HttpCheckConfig.HttpProtocol.HTTP_1_1;
                });
                yield h.enableSni() ? http.withSni(h.sniName().orElse(null)) : http;
            }
            default -> throw new IllegalArgumentException(rs.location().file() + ":" + rs.location().line()
                    + ": " + c.getClass().getSimpleName() + " is not wired to the health checker yet"
                    + " (expected: TCP_CHECK, HTTP_GET or SSL_GET)");
        };
    }

    private static CheckerOptions options(CheckerCommon c) {
        return new CheckerOptions(new InetSocketAddress(c.connectIp(), c.connectPort()), c.bindTo().orElse(null),
                c.bindPort(), c.connectTimeout(), c.retry(), c.delayBeforeRetry(), c.delayLoop(), c.warmup(), c.alpha(),
                c.logAllFailures(), 1, 1);
    }
}
