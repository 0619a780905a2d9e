package io.tandem.healthcheck.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.tandem.core.lab.LabPeers;
import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.FailureReason;
import io.tandem.healthcheck.config.CheckerKind;
import io.tandem.healthcheck.config.HttpCheckConfig;
import io.tandem.healthcheck.config.HttpCheckConfig.HttpProtocol;
import io.tandem.healthcheck.config.StatusCodes;
import io.tandem.healthcheck.config.UrlCheck;
import io.tandem.healthcheck.netty.CheckTransport;
import io.tandem.healthcheck.support.Transports;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP_GET and SSL_GET against a real nginx on 127.0.0.1, started with its own configuration. */
class NginxPeerTest {

    @TempDir
    Path dir;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private Process startNginx(int http, int https, SelfSignedCertificate cert) throws Exception {
        List<String> argv = LabPeers.nginx(dir, "127.0.0.1", http, https, cert.certificate().toPath(),
                cert.privateKey().toPath(), """
                server_name rs.example;
                location = /sni { return 200 "sni=$ssl_server_name host=$host\\n"; }""");
        Files.writeString(dir.resolve("html/health"), "nginx is healthy\n");
        return new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(dir.resolve("nginx.log").toFile())
                .start();
    }

    private static String md5(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void httpAndHttpsChecksAgainstNginx() throws Exception {
        assumeTrue(Files.isExecutable(LabPeers.NGINX), "nginx is not installed");
        assumeTrue("root".equals(System.getProperty("user.name")), "nginx is started as root here");
        CheckTransport transport = Transports.create();
        SelfSignedCertificate cert = SelfSignedCertificate.builder().fqdn("rs.example").build();
        int http = freePort();
        int https = freePort();
        Process nginx = startNginx(http, https, cert);
        try {
            InetSocketAddress plain = new InetSocketAddress("127.0.0.1", http);
            InetSocketAddress tls = new InetSocketAddress("127.0.0.1", https);
            Duration timeout = Duration.ofSeconds(3);
            HttpChecker health = new HttpChecker(HttpCheckConfig.of(Transports.options(CheckerKind.HTTP_GET, plain,
                    timeout), false, List.of(UrlCheck.path("/health").withDigest(md5("nginx is healthy\n"))))
                    .withProtocol(HttpProtocol.HTTP_1_1), transport);
            CheckResult first = CheckResult.failed(FailureReason.TIMEOUT, "nginx not up");
            for (int i = 0; i < 50 && !first.success(); i++) {
                first = Transports.run(health);
                if (!first.success()) {
                    nginx.waitFor(100, TimeUnit.MILLISECONDS);
                }
            }
            assertThat(first).as(Files.readString(dir.resolve("nginx.log"))).isEqualTo(CheckResult.ok());

            HttpChecker missing = new HttpChecker(HttpCheckConfig.of(Transports.options(CheckerKind.HTTP_GET, plain,
                    timeout), false, List.of(UrlCheck.path("/nope"))), transport);
            assertThat(Transports.run(missing).reason()).isEqualTo(FailureReason.BAD_STATUS);
            HttpChecker expect404 = new HttpChecker(HttpCheckConfig.of(Transports.options(CheckerKind.HTTP_GET,
                    plain, timeout), false, List.of(UrlCheck.path("/nope").withStatusCodes(StatusCodes.parse("404")))),
                    transport);
            assertThat(Transports.run(expect404).success()).isTrue();

            HttpChecker sni = new HttpChecker(HttpCheckConfig.of(Transports.options(CheckerKind.SSL_GET, tls,
                    timeout), true, List.of(UrlCheck.path("/sni").withDigest(md5("sni=rs.example host=rs.example\n"))))
                    .withVirtualhost("rs.example").withSni(null), transport);
            assertThat(Transports.run(sni)).isEqualTo(CheckResult.ok());
            HttpChecker noSni = new HttpChecker(HttpCheckConfig.of(Transports.options(CheckerKind.SSL_GET, tls,
                    timeout), true, List.of(UrlCheck.path("/sni").withRegex("^sni= host=127\\.0\\.0\\.1\\n$", false))),
                    transport);
            assertThat(Transports.run(noSni)).isEqualTo(CheckResult.ok());

            nginx.destroy();
            nginx.waitFor(5, TimeUnit.SECONDS);
            assertThat(Transports.run(health).reason()).isEqualTo(FailureReason.REFUSED);
            assertThat(Transports.run(sni).reason()).isEqualTo(FailureReason.REFUSED);
        } finally {
            nginx.destroyForcibly();
            nginx.waitFor(5, TimeUnit.SECONDS);
            cert.delete();
            Transports.close(transport);
        }
    }
}
