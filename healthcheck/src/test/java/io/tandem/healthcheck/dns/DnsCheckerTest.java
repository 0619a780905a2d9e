package io.tandem.healthcheck.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.FailureReason;
import io.tandem.healthcheck.config.CheckerKind;
import io.tandem.healthcheck.config.DnsCheckConfig;
import io.tandem.healthcheck.netty.CheckTransport;
import io.tandem.healthcheck.support.LoopbackUdpServer;
import io.tandem.healthcheck.support.Transports;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DNS_CHECK against a tiny DNS responder on loopback. */
class DnsCheckerTest {
    private static CheckTransport transport;
    private static volatile DnsResponseCode rcode = DnsResponseCode.NOERROR;
    private static volatile boolean wrongId;
    private static volatile boolean silent;
    private static final List<String> questions = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        transport = Transports.create();
    }

    @AfterAll
    static void tearDown() {
        Transports.close(transport);
    }

    private static ChannelHandler[] responder() {
        return new ChannelHandler[] {new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
            new SimpleChannelInboundHandler<DatagramDnsQuery>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery q) {
                    DnsQuestion question = q.recordAt(DnsSection.QUESTION);
                    synchronized (questions) {
                        questions.add(question.name() + " " + question.type().name() + " rd=" + q.isRecursionDesired());
                    }
                    if (silent) {
                        return;
                    }
                    DatagramDnsResponse r = new DatagramDnsResponse(q.recipient(), q.sender(),
                            wrongId ? (q.id() + 1) & 0xFFFF : q.id());
                    r.setCode(rcode);
                    r.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(question.name(), question.type()));
                    ctx.writeAndFlush(r);
                }
            }};
    }

    @Test
    void rcodeUnreachableWrongIdFailAndRecover() throws Exception {
        try (LoopbackUdpServer server = LoopbackUdpServer.start("127.0.0.1", DnsCheckerTest::responder)) {
            var options = Transports.options(CheckerKind.DNS_CHECK, server.address(), Duration.ofMillis(600));
            DnsChecker c = new DnsChecker(new DnsCheckConfig(options, "a", "rs.example"), transport);
            assertThat(Transports.run(c)).isEqualTo(CheckResult.ok());
            synchronized (questions) {
                assertThat(questions).last().isEqualTo("rs.example. A rd=true");
            }

            rcode = DnsResponseCode.SERVFAIL;
            CheckResult r = Transports.run(c);
            assertThat(r.reason()).isEqualTo(FailureReason.BAD_REPLY);
            assertThat(r.detail()).isEqualTo("rs.example. A: RCODE ServFail(2) (expected: NOERROR)");
            rcode = DnsResponseCode.NOERROR;

            wrongId = true;
            assertThat(Transports.run(c).reason()).isEqualTo(FailureReason.TIMEOUT);
            wrongId = false;

            silent = true;
            Transports.Timed t = Transports.timed(c);
            assertThat(t.result().reason()).isEqualTo(FailureReason.TIMEOUT);
            assertThat(t.seconds()).isBetween(0.55, 1.1);
            silent = false;

            server.stop();
            assertThat(Transports.run(c).reason()).isEqualTo(FailureReason.UNREACHABLE);
            server.restart();
            assertThat(Transports.run(c).success()).isTrue();

            DnsChecker soa = new DnsChecker(new DnsCheckConfig(options, null, null), transport);
            assertThat(Transports.run(soa).success()).isTrue();
            synchronized (questions) {
                assertThat(questions).last().isEqualTo(". SOA rd=true");
            }
        }
    }
}
