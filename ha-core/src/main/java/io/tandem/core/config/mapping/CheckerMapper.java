package io.tandem.core.config.mapping;

import io.tandem.core.config.keyword.Context;
import io.tandem.core.config.model.Checker;
import io.tandem.core.config.model.CheckerCommon;
import io.tandem.core.config.model.HexPattern;
import io.tandem.core.config.model.ScriptCommand;
import io.tandem.core.config.model.UrlCheck;
import io.tandem.core.config.reader.Node;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Maps one checker block of a real server ({@code TCP_CHECK}, {@code HTTP_GET}, {@code SSL_GET},
 * {@code DNS_CHECK}, {@code UDP_CHECK}, {@code MISC_CHECK}, {@code SMTP_CHECK}, {@code PING_CHECK})
 * and resolves its settings against the real server's and keepalived's defaults.
 */
final class CheckerMapper {
    static final Duration DEFAULT_DELAY_LOOP = Duration.ofSeconds(60);
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final BlockWalker walker;
    private final Values values;
    private final boolean logAllFailuresDefault;

    CheckerMapper(BlockWalker walker, Values values, boolean logAllFailuresDefault) {
        this.walker = walker;
        this.values = values;
        this.logAllFailuresDefault = logAllFailuresDefault;
    }

    /** The state of one checker block while it is read. */
    private static final class Draft {
        final CheckerSettings settings;
        InetAddress connectIp;
        Integer connectPort;
        InetAddress bindTo;
        String bindIf;
        int bindPort;
        OptionalLong fwmark = OptionalLong.empty();
        Boolean logAllFailures;
        // HTTP/SSL
        Checker.HttpProtocol httpProtocol = Checker.HttpProtocol.HTTP_1_0;
        boolean fastRecovery;
        final List<UrlCheck> urls = new ArrayList<>();
        boolean enableSni;
        Optional<String> sniName = Optional.empty();
        // DNS
        String dnsType = "SOA";
        String dnsName = ".";
        // UDP
        Optional<HexPattern> payload = Optional.empty();
        boolean requireReply;
        Optional<HexPattern> replyPattern = Optional.empty();
        int minReply;
        int maxReply = 255;
        // MISC
        String miscPath;
        Duration miscTimeout;
        boolean miscDynamic;
        Optional<String> user = Optional.empty();
        Optional<String> group = Optional.empty();
        // SMTP
        String helo = "localhost";

        Draft(CheckerSettings settings) {
            this.settings = settings;
        }
    }

    Optional<Checker> map(Node block, CheckerSettings realServer, InetAddress rsAddress, int rsPort) {
        if (!values.shape(block, true)) {
            return Optional.empty();
        }
        Context context = Context.valueOf(block.keyword());
        Draft d = new Draft(realServer.child());
        walker.walk(block, context, n -> statement(n, d, context));
        CheckerCommon common = common(d, context, rsAddress, rsPort);
        return switch (context) {
            case TCP_CHECK -> Optional.of(new Checker.TcpCheck(common));
            case HTTP_GET, SSL_GET -> {
                if (d.urls.isEmpty()) {
                    values.error(block, block.keyword() + ": no url (expected: url { path PATH ... })");
                    yield Optional.empty();
                }
                yield Optional.of(new Checker.HttpCheck(common, context == Context.SSL_GET, d.httpProtocol,
                        d.fastRecovery, d.urls.stream().map(u -> withHost(u, d.settings.virtualhost())).toList(),
                        d.enableSni, d.sniName));
            }
            case DNS_CHECK -> Optional.of(new Checker.DnsCheck(common, d.dnsType, d.dnsName));
            case UDP_CHECK -> Optional.of(new Checker.UdpCheck(common, d.payload, d.requireReply, d.replyPattern,
                    d.minReply, d.maxReply));
            case MISC_CHECK -> {
                if (d.miscPath == null) {
                    values.error(block, "MISC_CHECK: no misc_path (expected: misc_path \"COMMAND\")");
                    yield Optional.empty();
                }
                yield Optional.of(new Checker.MiscCheck(common, ScriptCommand.of(d.miscPath, d.user, d.group),
                        Optional.ofNullable(d.miscTimeout), d.miscDynamic));
            }
            case SMTP_CHECK -> Optional.of(new Checker.SmtpCheck(common, d.helo));
            case PING_CHECK -> Optional.of(new Checker.PingCheck(common));
            default -> throw new IllegalStateException("not a checker: " + context);
        };
    }

    private CheckerCommon common(Draft d, Context context, InetAddress rsAddress, int rsPort) {
        CheckerSettings s = d.settings;
        Duration delayLoop = or(s.delayLoop(), DEFAULT_DELAY_LOOP);
        int retryDefault = switch (context) {
            case DNS_CHECK -> 3;
            case MISC_CHECK -> 0;
            default -> 1;
        };
        Duration retryDelayDefault = switch (context) {
            case HTTP_GET, SSL_GET -> Duration.ofSeconds(3);
            case DNS_CHECK -> delayLoop;
            default -> Duration.ofSeconds(1);
        };
        return new CheckerCommon(d.connectIp != null ? d.connectIp : rsAddress,
                d.connectPort != null ? d.connectPort : rsPort, Optional.ofNullable(d.bindTo),
                Optional.ofNullable(d.bindIf), d.bindPort, d.fwmark, or(s.alpha(), false),
                or(s.connectTimeout(), DEFAULT_CONNECT_TIMEOUT), or(s.retry(), retryDefault),
                or(s.delayBeforeRetry(), retryDelayDefault), or(s.warmup(), delayLoop), delayLoop,
                or(d.logAllFailures, logAllFailuresDefault), or(s.rise(), 1), or(s.fall(), 1));
    }

    private static <T> T or(T v, T fallback) {
        return v != null ? v : fallback;
    }

    private void statement(Node n, Draft d, Context context) {
        if (!values.shape(n, n.keyword().equals("url"))) {
            return;
        }
        if (!n.keyword().equals("virtualhost") && d.settings.read(n, values)) {
            return;
        }
        switch (n.keyword()) {
            case "connect_ip" -> d.connectIp = values.ip(n, 0);
            case "connect_port" -> d.connectPort = values.port(n, 0);
            case "bindto" -> d.bindTo = values.ip(n, 0);
            case "bind_if" -> d.bindIf = values.string(n, 0, "an interface name");
            case "bind_port" -> GlobalDefsMapper.set(values.port(n, 0), v -> d.bindPort = v);
            case "fwmark" -> {
                Long v = values.integer(n, 0, 1, 0xffffffffL);
                d.fwmark = v == null ? OptionalLong.empty() : OptionalLong.of(v);
            }
            case "log_all_failures" -> d.logAllFailures = values.bool(n, 0, true);
            case "virtualhost" -> d.settings.virtualhost = values.string(n, 0, "a host name");
            case "url" -> url(n, d).ifPresent(d.urls::add);
            case "http_protocol" -> GlobalDefsMapper.set(values.choice(n, 0, "1.0", "1.0C", "1.1"),
                    v -> d.httpProtocol = switch (v) {
                        case "1.0" -> Checker.HttpProtocol.HTTP_1_0;
                        case "1.0C" -> Checker.HttpProtocol.HTTP_1_0C;
                        default -> Checker.HttpProtocol.HTTP_1_1;
                    });
            case "fast_recovery" -> GlobalDefsMapper.set(values.bool(n, 0, true), v -> d.fastRecovery = v);
            case "nb_get_retry" -> {
                values.warning(n, "nb_get_retry is deprecated (expected: retry); taken as retry");
                d.settings.retry = values.intValue(n, 0, 0, 1_000_000);
            }
            case "enable_sni" -> GlobalDefsMapper.set(values.bool(n, 0, true), v -> d.enableSni = v);
            case "sni_name" -> d.sniName = Optional.ofNullable(values.string(n, 0, "a server name"));
            case "type" -> GlobalDefsMapper.set(values.choice(n, 0, "A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA"),
                    v -> d.dnsType = v);
            case "name" -> GlobalDefsMapper.set(values.string(n, 0, "a domain name"), v -> d.dnsName = v);
            case "payload" -> d.payload = hex(n, false);
            case "require_reply" -> {
                d.requireReply = true;
                d.replyPattern = n.argCount() == 0 ? Optional.empty() : hex(n, true);
            }
            case "min_reply_length" -> GlobalDefsMapper.set(values.intValue(n, 0, 0, 65535), v -> d.minReply = v);
            case "max_reply_length" -> GlobalDefsMapper.set(values.intValue(n, 0, 0, 65535), v -> d.maxReply = v);
            case "misc_path" -> d.miscPath = n.argCount() > 1 ? String.join(" ", n.args())
                    : values.string(n, 0, "a command line");
            case "misc_timeout" -> d.miscTimeout = values.timer(n, 0, 1, 86400);
            case "misc_dynamic" -> d.miscDynamic = true;
            case "user" -> {
                d.user = Optional.ofNullable(values.string(n, 0, "USERNAME [GROUPNAME]"));
                d.group = Optional.ofNullable(n.arg(1));
            }
            case "helo_name" -> GlobalDefsMapper.set(values.string(n, 0, "a host name"), v -> d.helo = v);
            default -> throw VrrpScriptMapper.unmapped(n, context.blockName());
        }
    }

    private Optional<UrlCheck> url(Node block, Draft d) {
        var u = new Object() {
            String path;
            String digest;
            List<UrlCheck.StatusRange> status = new ArrayList<>();
            String virtualhost;
            String regex;
            boolean regexNoMatch;
            List<String> regexOptions = List.of();
            OptionalInt min = OptionalInt.empty();
            OptionalInt max = OptionalInt.empty();
        };
        walker.walk(block, Context.URL, n -> {
            if (!values.shape(n, false)) {
                return;
            }
            switch (n.keyword()) {
                case "path" -> u.path = values.string(n, 0, "a URL path");
                case "digest" -> GlobalDefsMapper.set(values.string(n, 0, "32 hex digits (MD5, from genhash)"), v -> {
                    if (v.matches("[0-9a-fA-F]{32}")) {
                        u.digest = v.toLowerCase(java.util.Locale.ROOT);
                    } else {
                        values.error(n, "digest " + v + ": not an MD5 digest (expected: 32 hex digits, from genhash)");
                    }
                });
                case "status_code" -> statusCodes(n, u.status);
                case "virtualhost" -> u.virtualhost = values.string(n, 0, "a host name");
                case "regex" -> GlobalDefsMapper.set(values.string(n, 0, "a regular expression"), v -> {
                    try {
                        java.util.regex.Pattern.compile(v);
                        u.regex = v;
                    } catch (java.util.regex.PatternSyntaxException e) {
                        values.error(n, "regex " + v + ": invalid (" + e.getDescription() + ")");
                    }
                });
                case "regex_no_match" -> u.regexNoMatch = true;
                case "regex_options" -> u.regexOptions = n.args();
                case "regex_min_offset" -> u.min = GlobalDefsMapper.optionalInt(values.intValue(n, 0, 0, Integer.MAX_VALUE));
                case "regex_max_offset" -> u.max = GlobalDefsMapper.optionalInt(values.intValue(n, 0, 0, Integer.MAX_VALUE));
                default -> throw VrrpScriptMapper.unmapped(n, "url");
            }
        });
        if (u.path == null) {
            values.error(block, "url: no path (expected: path /PATH)");
            return Optional.empty();
        }
        return Optional.of(new UrlCheck(u.path, Optional.ofNullable(u.digest),
                u.status.isEmpty() ? UrlCheck.DEFAULT_STATUS : u.status, Optional.ofNullable(u.virtualhost),
                Optional.ofNullable(u.regex), u.regexNoMatch, u.regexOptions, u.min, u.max));
    }

    /**
     * The url's own {@code virtualhost}, else the checker's, real server's or virtual server's: resolved
     * once the whole checker block is read, since keepalived does not mind where in it
     * {@code virtualhost} is written.
     */
    private static UrlCheck withHost(UrlCheck u, String inherited) {
        if (u.virtualhost().isPresent() || inherited == null) {
            return u;
        }
        return new UrlCheck(u.path(), u.digest(), u.statusCodes(), Optional.of(inherited), u.regex(),
                u.regexNoMatch(), u.regexOptions(), u.regexMinOffset(), u.regexMaxOffset());
    }

    /** {@code status_code 200 | 200-299 [...]}: each a code or range within 100 ~ 999. */
    private void statusCodes(Node n, List<UrlCheck.StatusRange> out) {
        if (n.argCount() == 0) {
            values.error(n, "status_code: missing value (expected: CODE|FROM-TO ..., 100 ~ 999)");
        }
        for (String spec : n.args()) {
            String[] parts = spec.split("-", 2);
            try {
                int from = Integer.parseInt(parts[0]);
                int to = parts.length == 2 ? Integer.parseInt(parts[1]) : from;
                out.add(new UrlCheck.StatusRange(from, to));
            } catch (IllegalArgumentException e) {
                values.error(n, "status_code " + spec + ": invalid (expected: a code or range FROM-TO within 100 ~ 999)");
            }
        }
    }

    /**
     * A UDP_CHECK hex string: white-space separated groups, each read two digits at a time with a
     * trailing odd digit as a whole byte ({@code "Ab12f 3"} is AB 12 0F 03); X/x (only in
     * require_reply) matches any nibble.
     */
    private Optional<HexPattern> hex(Node n, boolean wildcards) {
        if (n.argCount() == 0) {
            values.error(n, n.keyword() + ": missing value (expected: hex digits)");
            return Optional.empty();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteArrayOutputStream mask = new ByteArrayOutputStream();
        for (String group : n.args()) {
            for (int i = 0; i < group.length(); i += 2) {
                String pair = i + 1 < group.length() ? group.substring(i, i + 2) : "0" + group.charAt(i);
                int b = 0;
                int m = 0;
                for (char c : pair.toCharArray()) {
                    int digit = Character.digit(c, 16);
                    boolean wild = wildcards && (c == 'x' || c == 'X');
                    if (digit < 0 && !wild) {
                        values.error(n, n.keyword() + " " + group + ": invalid hex digit '" + c + "' (expected: 0-9, a-f"
                                + (wildcards ? ", or x for any" : "") + ")");
                        return Optional.empty();
                    }
                    b = (b << 4) | (wild ? 0 : digit);
                    m = (m << 4) | (wild ? 0 : 0xf);
                }
                bytes.write(b);
                mask.write(m);
            }
        }
        return Optional.of(new HexPattern(bytes.toByteArray(), mask.toByteArray()));
    }
}
