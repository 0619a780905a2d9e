package io.tandem.healthcheck.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.FailureReason;
import io.tandem.healthcheck.config.CheckerKind;
import io.tandem.healthcheck.config.OptionOverrides;
import io.tandem.healthcheck.config.TcpCheckConfig;
import io.tandem.healthcheck.netty.CheckTransport;
import io.tandem.healthcheck.support.LoopbackServer;
import io.tandem.healthcheck.support.Transports;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TcpCheckerTest {
    private static CheckTransport transport;

    @BeforeAll
    static void setUp() {
        transport = Transports.create();
    }

    @AfterAll
    static void tearDown() {
        Transports.close(transport);
    }

    @Test
    void refusedWhenStoppedAndUpAgainWhenRestarted() throws Exception {
        try (LoopbackServer server = LoopbackServer.start("127.0.0.1", null, LoopbackServer.silent())) {
            TcpChecker c = new TcpChecker(new TcpCheckConfig(
                    Transports.options(CheckerKind.TCP_CHECK, server.address(), Duration.ofSeconds(1))), transport);
            assertThat(Transports.run(c)).isEqualTo(CheckResult.ok());
            server.stop();
            CheckResult down = Transports.run(c);
            assertThat(down.reason()).isEqualTo(FailureReason.REFUSED);
            assertThat(down.detail()).contains("refused");
            server.restart();
            assertThat(Transports.run(c).success()).isTrue();
        }
    }

    @Test
    void bindtoAndBindPortSetTheSourceAddress() throws Exception {
        try (LoopbackServer server = LoopbackServer.start("127.0.0.1", null, LoopbackServer.silent())) {
            java.util.concurrent.CompletableFuture<InetSocketAddress> peer = new java.util.concurrent.CompletableFuture<>();
            server.behaviour = new LoopbackServer.Behaviour() {
                @Override
                public void active(io.netty.channel.ChannelHandlerContext ctx) {
                    peer.complete((InetSocketAddress) ctx.channel().remoteAddress());
                }
            };
            InetAddress source = InetAddress.getByName("127.0.0.7");
            var options = OptionOverrides.builder().bindTo(source).connectTimeout(Duration.ofSeconds(1)).build()
                    .resolve(CheckerKind.TCP_CHECK, server.address());
            assertThat(Transports.run(new TcpChecker(new TcpCheckConfig(options), transport)).success()).isTrue();
            assertThat(peer.get(2, java.util.concurrent.TimeUnit.SECONDS).getAddress()).isEqualTo(source);
        }
    }
}
