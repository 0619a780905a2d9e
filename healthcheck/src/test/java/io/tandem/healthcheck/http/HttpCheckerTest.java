package io.tandem.healthcheck.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.FailureReason;
import io.tandem.healthcheck.config.CheckerKind;
import io.tandem.healthcheck.config.HttpCheckConfig;
import io.tandem.healthcheck.config.HttpCheckConfig.HttpProtocol;
import io.tandem.healthcheck.config.StatusCodes;
import io.tandem.healthcheck.config.UrlCheck;
import io.tandem.healthcheck.netty.CheckTransport;
import io.tandem.healthcheck.support.LoopbackServer;
import io.tandem.healthcheck.support.Transports;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HTTP_GET and SSL_GET against real servers on 127.0.0.1: every failure, and recovery. */
class HttpCheckerTest {
    private static final Duration TIMEOUT = Duration.ofMillis(700);
    private static CheckTransport transport;
    private static SelfSignedCertificate cert;
    /** TLS gets more time: the first handshakes of a cold JVM on a busy machine are slow. */
    private static final Duration TLS_TIMEOUT = Duration.ofSeconds(3);
    private LoopbackServer server;

    @BeforeAll
    static void setUp() throws Exception {
        transport = Transports.create();
        cert = SelfSignedCertificate.builder().fqdn("rs.example").build();
    }

    @AfterAll
    static void tearDown() {
        Transports.close(transport);
        cert.delete();
    }

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static String md5(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private HttpChecker checker(boolean tls, UrlCheck... urls) {
        return new HttpChecker(config(tls, urls), transport);
    }

    private HttpCheckConfig config(boolean tls, UrlCheck... urls) {
        return HttpCheckConfig.of(Transports.options(tls ? CheckerKind.SSL_GET : CheckerKind.HTTP_GET,
                server.address(), tls ? TLS_TIMEOUT : TIMEOUT), tls, List.of(urls));
    }

    private LoopbackServer plain() throws Exception {
        server = LoopbackServer.start("127.0.0.1", null, LoopbackServer.silent());
        return server;
    }

    @Test
    void statusCodeFailsAndRecovers() throws Exception {
        plain().behaviour = server.http(200, "hello");
        HttpChecker c = checker(false, UrlCheck.path("/health"));
        assertThat(Transports.run(c)).isEqualTo(CheckResult.ok());
        assertThat(server.lastRequest).startsWith("GET /health HTTP/1.0\r\n")
                .contains("Host: 127.0.0.1:" + server.port() + "\r\n");

        server.behaviour = server.http(503, "busy");
        CheckResult failed = Transports.run(c);
        assertThat(failed.reason()).isEqualTo(FailureReason.BAD_STATUS);
        assertThat(failed.detail()).isEqualTo("/health: status 503 (expected: [Range[from=200, to=299]])");

        HttpChecker lists = checker(false, UrlCheck.path("/").withStatusCodes(StatusCodes.parse("300-399 503")));
        assertThat(Transports.run(lists).success()).isTrue();

        server.behaviour = server.http(200, "hello");
        assertThat(Transports.run(c).success()).isTrue();
    }

    @Test
    void digestFailsAndRecovers() throws Exception {
        plain().behaviour = server.http(200, "version 1");
        HttpChecker c = checker(false, UrlCheck.path("/").withDigest(md5("version 1")));
        assertThat(Transports.run(c).success()).isTrue();
        server.behaviour = server.http(200, "version 2");
        CheckResult r = Transports.run(c);
        assertThat(r.reason()).isEqualTo(FailureReason.BAD_DIGEST);
        assertThat(r.detail()).contains(md5("version 2")).contains("expected: " + md5("version 1"));
        server.behaviour = server.http(200, "version 1");
        assertThat(Transports.run(c).success()).isTrue();
    }

    @Test
    void regexAndRegexNoMatch() throws Exception {
        plain().behaviour = server.http(200, "status: OK\nload: 3");
        HttpChecker match = checker(false, UrlCheck.path("/").withRegex("status: (OK|GOOD)", false));
        HttpChecker noMatch = checker(false, UrlCheck.path("/").withRegex("ERROR", true));
        assertThat(Transports.run(match)).isEqualTo(CheckResult.ok());
        assertThat(Transports.run(noMatch).success()).isTrue();

        server.behaviour = server.http(200, "status: ERROR");
        assertThat(Transports.run(match).reason()).isEqualTo(FailureReason.REGEX_MISMATCH);
        assertThat(Transports.run(noMatch).reason()).isEqualTo(FailureReason.REGEX_MISMATCH);

        server.behaviour = server.http(200, "status: GOOD");
        assertThat(Transports.run(match).success()).isTrue();
    }

    @Test
    void regexOptionsAreKeepalivedsPcre2Options() throws Exception {
        plain().behaviour = server.http(200, "Status: ok\nload: 3");
        // PCRE2's defaults: case matters, a dot stops at a line end
        HttpChecker plainRegex = checker(false, UrlCheck.path("/").withRegex("status: ok", false));
        HttpChecker acrossLines = checker(false, UrlCheck.path("/").withRegex("ok.load", false));
        assertThat(Transports.run(plainRegex).reason()).isEqualTo(FailureReason.REGEX_MISMATCH);
        assertThat(Transports.run(acrossLines).reason()).isEqualTo(FailureReason.REGEX_MISMATCH);
        // regex_options caseless dotall
        int flags = UrlCheck.regexFlags(List.of("caseless", "dotall"));
        assertThat(Transports.run(checker(false, UrlCheck.path("/").withRegexFlags(flags)
                .withRegex("status: ok", false))).success()).isTrue();
        assertThat(Transports.run(checker(false, UrlCheck.path("/").withRegexFlags(flags)
                .withRegex("ok.load", false))).success()).isTrue();
        assertThatThrownBy(() -> UrlCheck.regexFlags(List.of("caseless", "no_auto_capture")))
                .hasMessage("unsupported regex_options no_auto_capture (expected: one of [caseless, dotall, extended,"
                        + " multiline])");
    }

    @Test
    void everyUrlMustPass() throws Exception {
        plain().behaviour = server.http(200, "x");
        HttpChecker c = checker(false, UrlCheck.path("/a"), UrlCheck.path("/b").withDigest(md5("y")));
        CheckResult r = Transports.run(c);
        assertThat(r.reason()).isEqualTo(FailureReason.BAD_DIGEST);
        assertThat(r.detail()).startsWith("/b:");
    }

    @Test
    void virtualhostAndHttp11() throws Exception {
        plain().behaviour = server.http(200, "x");
        HttpChecker c = new HttpChecker(config(false, UrlCheck.path("/v")).withVirtualhost("www.example.org")
                .withProtocol(HttpProtocol.HTTP_1_1), transport);
        assertThat(Transports.run(c).success()).isTrue();
        assertThat(server.lastRequest).startsWith("GET /v HTTP/1.1\r\n").contains("Host: www.example.org\r\n")
                .contains("Connection: close\r\n");
        HttpChecker perUrl = checker(false, UrlCheck.path("/w").withVirtualhost("api.example.org"));
        assertThat(Transports.run(perUrl).success()).isTrue();
        assertThat(server.lastRequest).startsWith("GET /w HTTP/1.0\r\n").contains("Host: api.example.org\r\n");
    }

    @Test
    void aSilentServerFailsOnConnectTimeoutNotLater() throws Exception {
        plain();
        Transports.Timed t = Transports.timed(checker(false, UrlCheck.path("/")));
        assertThat(t.result().reason()).isEqualTo(FailureReason.TIMEOUT);
        assertThat(t.seconds()).isBetween(0.6, 1.2);
    }

    @Test
    void refusedConnectionFailsAtOnceAndARestartRecovers() throws Exception {
        plain().behaviour = server.http(200, "x");
        HttpChecker c = checker(false, UrlCheck.path("/"));
        server.stop();
        Transports.Timed t = Transports.timed(c);
        assertThat(t.result().reason()).isEqualTo(FailureReason.REFUSED);
        assertThat(t.seconds()).isLessThan(0.5);
        server.restart();
        assertThat(Transports.run(c).success()).isTrue();
    }

    @Test
    void garbageFailsCleanly() throws Exception {
        plain().behaviour = server.garbage();
        CheckResult r = Transports.run(checker(false, UrlCheck.path("/")));
        assertThat(r.reason()).isEqualTo(FailureReason.PROTOCOL_ERROR);
    }

    @Test
    void oversizedHeadersFailWithTooLarge() throws Exception {
        plain().behaviour = server.hugeHeaders();
        CheckResult r = Transports.run(checker(false, UrlCheck.path("/")));
        assertThat(r.reason()).isEqualTo(FailureReason.TOO_LARGE);
    }

    @Test
    void anEndlessBodyIsCutAtTheLimit() throws Exception {
        plain().behaviour = server.endlessBody();
        HttpChecker c = new HttpChecker(config(false, UrlCheck.path("/").withDigest(md5("x")))
                .withLimits(4096, 256 * 1024), transport);
        Transports.Timed t = Transports.timed(c);
        assertThat(t.result().reason()).isEqualTo(FailureReason.TOO_LARGE);
        assertThat(t.seconds()).isLessThan(0.6);
        // the checker closed the connection at the limit: the server got to push little more than
        // the limit plus what the socket buffers hold, never an unbounded amount
        assertThat(server.bytesSent.get()).isLessThan(32L * 1024 * 1024);

        // a status-only check does not read the body at all
        HttpChecker statusOnly = checker(false, UrlCheck.path("/"));
        assertThat(Transports.run(statusOnly).success()).isTrue();
    }

    @Test
    void theTlsHandshakeWorkRunsOffTheEventLoop() throws Exception {
        SslContext serverTls = SslContextBuilder.forServer(cert.key(), cert.cert()).build();
        server = LoopbackServer.start("127.0.0.1", serverTls, LoopbackServer.silent());
        server.behaviour = server.http(200, "secure");
        // the handshake's delegated tasks (key exchange, certificate handling) go to the executor
        java.util.Set<String> taskThreads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor(
                r -> new Thread(r, "tls-tasks"));
        CheckTransport own = CheckTransport.create(1, task -> pool.execute(() -> {
            taskThreads.add(Thread.currentThread().getName());
            task.run();
        }));
        try {
            HttpChecker c = new HttpChecker(config(true, UrlCheck.path("/").withDigest(md5("secure"))), own);
            assertThat(Transports.run(c)).isEqualTo(CheckResult.ok());
            assertThat(taskThreads).containsExactly("tls-tasks");
        } finally {
            Transports.close(own);
            pool.shutdownNow();
        }
    }

    @Test
    void sslGetWithSniFailsOnTlsErrorsAndRecovers() throws Exception {
        SslContext serverTls = SslContextBuilder.forServer(cert.key(), cert.cert()).build();
        server = LoopbackServer.start("127.0.0.1", serverTls, LoopbackServer.silent());
        server.behaviour = server.http(200, "secure");
        HttpChecker c = new HttpChecker(config(true, UrlCheck.path("/").withDigest(md5("secure")))
                .withVirtualhost("rs.example").withSni(null), transport);
        assertThat(Transports.run(c)).isEqualTo(CheckResult.ok());
        assertThat(server.lastSni).isEqualTo("rs.example");
        assertThat(server.lastRequest).contains("Host: rs.example\r\n");

        HttpChecker noSni = checker(true, UrlCheck.path("/"));
        server.lastSni = "unset";
        assertThat(Transports.run(noSni).success()).isTrue();
        assertThat(server.lastSni).isNull();

        // SSL_GET against a server that answers the ClientHello with plain text: a TLS error, not a hang
        LoopbackServer plainServer = LoopbackServer.start("127.0.0.1", null, LoopbackServer.silent());
        try {
            plainServer.behaviour = plainServer.garbage();
            HttpChecker wrong = new HttpChecker(HttpCheckConfig.of(Transports.options(CheckerKind.SSL_GET,
                    plainServer.address(), TLS_TIMEOUT), true, List.of(UrlCheck.path("/"))), transport);
            CheckResult r = Transports.run(wrong);
            assertThat(r.reason()).isEqualTo(FailureReason.TLS_ERROR);
        } finally {
            plainServer.close();
        }

        // a TLS server that completes the handshake but never answers: connect_timeout
        server.behaviour = LoopbackServer.silent();
        Transports.Timed t = Transports.timed(c);
        assertThat(t.result().reason()).isEqualTo(FailureReason.TIMEOUT);
        assertThat(t.seconds()).isBetween(2.9, 3.6);
        server.behaviour = server.http(200, "secure");
        assertThat(Transports.run(c).success()).isTrue();
    }
}
