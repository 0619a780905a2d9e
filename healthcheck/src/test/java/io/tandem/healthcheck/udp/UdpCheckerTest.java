package io.tandem.healthcheck.udp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.FailureReason;
import io.tandem.healthcheck.config.CheckerKind;
import io.tandem.healthcheck.config.UdpCheckConfig;
import io.tandem.healthcheck.netty.CheckTransport;
import io.tandem.healthcheck.support.LoopbackUdpServer;
import io.tandem.healthcheck.support.Transports;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** UDP_CHECK against a UDP echo on loopback; a stopped port answers ICMP port unreachable. */
class UdpCheckerTest {
    private static CheckTransport transport;
    private static volatile String replyPrefixHex = "";

    @BeforeAll
    static void setUp() {
        transport = Transports.create();
    }

    @AfterAll
    static void tearDown() {
        Transports.close(transport);
    }

    /** Echoes each datagram, prefixed with {@link #replyPrefixHex}. */
    private static ChannelHandler[] echo() {
        return new ChannelHandler[] {new SimpleChannelInboundHandler<DatagramPacket>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                ByteBuf out = Unpooled.buffer();
                out.writeBytes(HexFormat.of().parseHex(replyPrefixHex));
                out.writeBytes(p.content());
                ctx.writeAndFlush(new DatagramPacket(out, p.sender()));
            }
        }};
    }

    @Test
    void requireReplyFailsOnWrongReplyAndUnreachableAndRecovers() throws Exception {
        try (LoopbackUdpServer server = LoopbackUdpServer.start("127.0.0.1", UdpCheckerTest::echo)) {
            var options = Transports.options(CheckerKind.UDP_CHECK, server.address(), Duration.ofMillis(700));
            UdpChecker c = new UdpChecker(UdpCheckConfig.of(options, "50494e47", true, "50494e"), transport);
            replyPrefixHex = "";
            assertThat(Transports.run(c)).isEqualTo(CheckResult.ok());

            replyPrefixHex = "ff";
            CheckResult wrong = Transports.run(c);
            assertThat(wrong.reason()).isEqualTo(FailureReason.BAD_REPLY);
            assertThat(wrong.detail()).isEqualTo("reply starts ff5049 (expected: 50494e under mask ffffff)");

            // require_reply fX50 (keepalived's X: any nibble): the mask ignores the low nibble of the first byte
            HexFormat hex = HexFormat.of();
            UdpChecker masked = new UdpChecker(new UdpCheckConfig(options, hex.parseHex("50494e47"), true,
                    hex.parseHex("f050"), hex.parseHex("f0ff"), 0, 255), transport);
            replyPrefixHex = "fe";
            assertThat(Transports.run(masked)).isEqualTo(CheckResult.ok());
            replyPrefixHex = "0e";
            assertThat(Transports.run(masked).reason()).isEqualTo(FailureReason.BAD_REPLY);
            // max_reply_length: fe + PING is 5 bytes
            UdpChecker tooLong = new UdpChecker(new UdpCheckConfig(options, hex.parseHex("50494e47"), true,
                    hex.parseHex("f050"), hex.parseHex("f0ff"), 0, 4), transport);
            replyPrefixHex = "fe";
            assertThat(Transports.run(tooLong).detail()).isEqualTo("reply of 5 bytes (expected: 0 ~ 4)");

            server.stop();
            Transports.Timed t = Transports.timed(c);
            assertThat(t.result().reason()).isEqualTo(FailureReason.UNREACHABLE);
            assertThat(t.seconds()).isLessThan(0.5);

            server.restart();
            replyPrefixHex = "";
            assertThat(Transports.run(c).success()).isTrue();
        }
    }

    @Test
    void withoutRequireReplyOnlyAnUnreachableFails() throws Exception {
        try (LoopbackUdpServer server = LoopbackUdpServer.start("127.0.0.1",
                () -> new ChannelHandler[] {new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                        // a sink: never answers
                    }
                }})) {
            var options = Transports.options(CheckerKind.UDP_CHECK, server.address(), Duration.ofMillis(400));
            UdpChecker c = new UdpChecker(UdpCheckConfig.of(options, "00", false, null), transport);
            Transports.Timed quiet = Transports.timed(c);
            assertThat(quiet.result().success()).isTrue();
            assertThat(quiet.seconds()).isGreaterThanOrEqualTo(0.35);
            server.stop();
            assertThat(Transports.run(c).reason()).isEqualTo(FailureReason.UNREACHABLE);

            UdpChecker strict = new UdpChecker(UdpCheckConfig.of(options, "00", true, null), transport);
            server.restart();
            assertThat(Transports.run(strict).reason()).isEqualTo(FailureReason.TIMEOUT);
        }
    }
}
