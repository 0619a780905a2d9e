package io.tandem.director.run;

import io.tandem.core.config.model.Checker;
import io.tandem.core.config.model.CheckerCommon;
import io.tandem.core.config.model.HexPattern;
import io.tandem.core.config.model.RealServer;
import io.tandem.core.config.model.VirtualServer;
import io.tandem.healthcheck.config.CheckerConfig;
import io.tandem.healthcheck.config.CheckerKind;
import io.tandem.healthcheck.config.CheckerOptions;
import io.tandem.healthcheck.config.DnsCheckConfig;
import io.tandem.healthcheck.config.HttpCheckConfig;
import io.tandem.healthcheck.config.MiscCheckConfig;
import io.tandem.healthcheck.config.PingCheckConfig;
import io.tandem.healthcheck.config.RealServerConfig;
import io.tandem.healthcheck.config.SmtpCheckConfig;
import io.tandem.healthcheck.config.StatusCodes;
import io.tandem.healthcheck.config.TcpCheckConfig;
import io.tandem.healthcheck.config.UdpCheckConfig;
import io.tandem.healthcheck.config.UrlCheck;
import io.tandem.healthcheck.config.VirtualServiceConfig;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The real servers' checker blocks to the health checker's configuration:
 * every checker keepalived.conf(5) names for a real server (TCP_CHECK,
 * HTTP_GET, SSL_GET, DNS_CHECK, UDP_CHECK, MISC_CHECK, SMTP_CHECK,
 * PING_CHECK), with the options the configuration model already resolved
 * (virtual server, then real server, then checker), plus the services'
 * quorum, notify commands and sorry server. What the checkers cannot do yet
 * ({@code bind_if}, {@code fwmark}, {@code regex_min/max_offset}, PCRE2
 * options without a Java equivalent, PING_CHECK over IPv6) is refused with
 * {@code file:line} rather than silently left out: a real server checked
 * differently from its configuration would look healthy when it is not.
 */
public final class HealthMapping {
    private HealthMapping() {
    }

    /** {@code keys} are {@link ServiceMapping#key}s of the same virtual servers, in the same order. */
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
                        rs.inhibitOnFailure(), rs.notifyUp().orElse(null), rs.notifyDown().orElse(null), checkers));
            }
            InetSocketAddress sorry = vs.sorryServer().map(s -> new InetSocketAddress(s.address(), s.port()))
                    .orElse(null);
            out.add(new VirtualServiceConfig(keys.get(i), reals, vs.quorum(), vs.hysteresis(),
                    vs.quorumUp().orElse(null), vs.quorumDown().orElse(null), sorry));
        }
        return out;
    }

    /** Maps the checkers of {@code servers} only to find what cannot run ({@code tandem check-config}). */
    public static void check(List<VirtualServer> servers) {
        services(servers, servers.stream().map(vs -> vs.location().toString()).toList());
    }

    /** True when a PING_CHECK is configured, so the director opens the ICMP socket. */
    public static boolean pings(List<VirtualServiceConfig> services) {
        return services.stream().flatMap(s -> s.realServers().stream()).flatMap(r -> r.checkers().stream())
                .anyMatch(c -> c.kind() == CheckerKind.PING_CHECK);
    }

    static CheckerConfig checker(RealServer rs, Checker c) {
        String where = rs.location() + ": real_server "
                + rs.address().getHostAddress() + " " + rs.port() + ": ";
        CheckerOptions options = options(c.common(), where);
        try {
            return switch (c) {
                case Checker.TcpCheck t -> new TcpCheckConfig(options);
                case Checker.HttpCheck h -> http(h, options, where);
                case Checker.DnsCheck d -> new DnsCheckConfig(options, d.type(), d.name());
                case Checker.UdpCheck u -> new UdpCheckConfig(options,
                        u.payload().map(HexPattern::bytes).orElse(null), u.requireReply(),
                        u.replyPattern().map(HexPattern::bytes).orElse(null),
                        u.replyPattern().map(HexPattern::mask).orElse(null), u.minReplyLength(), u.maxReplyLength());
                case Checker.MiscCheck m -> new MiscCheckConfig(options, m.path().argv(), m.timeout().orElse(null),
                        m.dynamic(), m.path().user().orElse(null));
                case Checker.SmtpCheck s -> new SmtpCheckConfig(options, s.heloName());
                case Checker.PingCheck p -> {
                    if (!(options.connectTo().getAddress() instanceof Inet4Address)) {
                        throw new IllegalArgumentException("PING_CHECK to " + options.connectTo().getHostString()
                                + " is not supported yet (expected: an IPv4 address)");
                    }
                    yield new PingCheckConfig(options);
                }
            };
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(where) ? e : new IllegalArgumentException(where + e.getMessage(), e);
        }
    }

    private static HttpCheckConfig http(Checker.HttpCheck h, CheckerOptions options, String where) {
        List<UrlCheck> urls = new ArrayList<>();
        for (io.tandem.core.config.model.UrlCheck u : h.urls()) {
            if (u.regexMinOffset().isPresent() || u.regexMaxOffset().isPresent()) {
                throw new IllegalArgumentException(where + "url " + u.path()
                        + ": regex_min_offset / regex_max_offset are not supported by the health checker yet"
                        + " (expected: a regex over the whole body)");
            }
            urls.add(new UrlCheck(u.path(), u.digest().orElse(null), new StatusCodes(u.statusCodes().stream()
                    .map(r -> new StatusCodes.Range(r.from(), r.to())).toList()), u.virtualhost().orElse(null),
                    u.regex().orElse(null), u.regexNoMatch(), UrlCheck.regexFlags(u.regexOptions())));
        }
        HttpCheckConfig http = HttpCheckConfig.of(options, h.ssl(), urls).withProtocol(switch (h.protocol()) {
            case HTTP_1_0 -> HttpCheckConfig.HttpProtocol.HTTP_1_0;
            case HTTP_1_0C -> HttpCheckConfig.HttpProtocol.HTTP_1_0C;
            case HTTP_1_1 -> HttpCheckConfig.HttpProtocol.HTTP_1_1;
        });
        return h.enableSni() ? http.withSni(h.sniName().orElse(null)) : http;
    }

    private static CheckerOptions options(CheckerCommon c, String where) {
        if (c.bindInterface().isPresent()) {
            throw new IllegalArgumentException(where + "bind_if " + c.bindInterface().get()
                    + " is not supported by the health checker yet (expected: bindto ADDRESS)");
        }
        if (c.fwmark().isPresent()) {
            throw new IllegalArgumentException(where + "fwmark " + c.fwmark().getAsLong()
                    + " on a checker is not supported by the health checker yet (expected: no fwmark)");
        }
        return new CheckerOptions(new InetSocketAddress(c.connectIp(), c.connectPort()), c.bindTo().orElse(null),
                c.bindPort(), c.connectTimeout(), c.retry(), c.delayBeforeRetry(), c.delayLoop(), c.warmup(), c.alpha(),
                c.logAllFailures(), c.rise(), c.fall());
    }
}
