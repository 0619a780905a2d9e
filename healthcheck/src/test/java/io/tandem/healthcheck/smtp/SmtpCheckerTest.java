package io.tandem.healthcheck.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.FailureReason;
import io.tandem.healthcheck.config.CheckerKind;
import io.tandem.healthcheck.config.SmtpCheckConfig;
import io.tandem.healthcheck.netty.CheckTransport;
import io.tandem.healthcheck.support.LoopbackServer;
import io.tandem.healthcheck.support.Transports;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SMTP_CHECK against a tiny SMTP greeter on loopback. */
class SmtpCheckerTest {
    private static CheckTransport transport;

    @BeforeAll
    static void setUp() {
        transport = Transports.create();
    }

    @AfterAll
    static void tearDown() {
        Transports.close(transport);
    }

    /** Greets with {@code greeting}, answers HELO with a multi-line 250 and QUIT with 221. */
    private static LoopbackServer.Behaviour greeter(LoopbackServer s, String greeting) {
        return new LoopbackServer.Behaviour() {
            @Override
            public void active(ChannelHandlerContext ctx) {
                s.send(ctx, greeting + "\r\n", false);
            }

            @Override
            public void read(ChannelHandlerContext ctx, ByteBuf data) {
                String line = data.toString(StandardCharsets.US_ASCII);
                if (line.startsWith("HELO ")) {
                    s.send(ctx, "250-rs.example Hello " + line.substring(5).trim() + "\r\n250 OK\r\n", false);
                } else if (line.startsWith("QUIT")) {
                    s.send(ctx, "221 Bye\r\n", true);
                }
            }
        };
    }

    @Test
    void fullDialogueFailsOnBadGreetingAndSilenceAndRecovers() throws Exception {
        try (LoopbackServer server = LoopbackServer.start("127.0.0.1", null, LoopbackServer.silent())) {
            server.behaviour = greeter(server, "220 rs.example ESMTP");
            SmtpChecker c = new SmtpChecker(new SmtpCheckConfig(Transports.options(CheckerKind.SMTP_CHECK,
                    server.address(), Duration.ofMillis(700)), "director.example"), transport);
            assertThat(Transports.run(c)).isEqualTo(CheckResult.ok());
            assertThat(server.lastRequest).isEqualTo("HELO director.example\r\nQUIT\r\n");

            server.behaviour = greeter(server, "554 no service");
            CheckResult r = Transports.run(c);
            assertThat(r.reason()).isEqualTo(FailureReason.PROTOCOL_ERROR);
            assertThat(r.detail()).isEqualTo("reply 554 (expected: 220)");

            server.behaviour = greeter(server, "garbage");
            assertThat(Transports.run(c).reason()).isEqualTo(FailureReason.PROTOCOL_ERROR);

            server.behaviour = greeter(server, "220 " + "x".repeat(2000));
            assertThat(Transports.run(c).reason()).isEqualTo(FailureReason.TOO_LARGE);

            server.behaviour = LoopbackServer.silent();
            Transports.Timed t = Transports.timed(c);
            assertThat(t.result().reason()).isEqualTo(FailureReason.TIMEOUT);
            assertThat(t.seconds()).isBetween(0.6, 1.2);

            server.behaviour = greeter(server, "220 back");
            assertThat(Transports.run(c).success()).isTrue();
        }
    }
}
