package io.tandem.healthcheck.dns;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.Checker;
import io.tandem.healthcheck.FailureReason;
import io.tandem.healthcheck.config.DnsCheckConfig;
import io.tandem.healthcheck.netty.CheckTransport;
import io.tandem.healthcheck.netty.Failures;
import io.tandem.healthcheck.netty.ProbeAttempt;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/**
 * DNS_CHECK (keepalived {@code check_dns.c}): one query of {@code type} for
 * {@code name} over a connected UDP socket (RFC 1035 section 4.2.1). Passes on
 * the response with the query's ID, QR set, RCODE NOERROR and the question
 * echoed (section 4.1.1); an ICMP port unreachable fails it at once.
 * Responses with another ID are ignored (they are not ours).
 */
public final class DnsChecker implements Checker {
    private final DnsCheckConfig config;
    private final CheckTransport transport;
    private final DnsRecordType type;
    private final String name;

    public DnsChecker(DnsCheckConfig config, CheckTransport transport) {
        this.config = config;
        this.transport = transport;
        this.type = DnsRecordType.valueOf(config.type());
        this.name = config.name().endsWith(".") ? config.name() : config.name() + ".";
    }

    @Override
    public DnsCheckConfig config() {
        return config;
    }

    @Override
    public CompletionStage<CheckResult> check() {
        ProbeAttempt attempt = new ProbeAttempt();
        int id = ThreadLocalRandom.current().nextInt(1 << 16);
        InetSocketAddress server = config.options().connectTo();
        Channel ch = transport.udpChannel();
        ch.pipeline().addLast(new DatagramDnsQueryEncoder(), new DatagramDnsResponseDecoder(),
                new ResponseHandler(id, attempt, server));
        attempt.connect(transport, ch, server, CheckTransport.localAddress(config.options()),
                config.options().connectTimeout(), ProbeAttempt.timeout(config.options().connectTimeout()));
        return attempt.result();
    }

    private final class ResponseHandler extends SimpleChannelInboundHandler<DatagramDnsResponse> {
        private final int id;
        private final ProbeAttempt attempt;
        private final InetSocketAddress server;

        ResponseHandler(int id, ProbeAttempt attempt, InetSocketAddress server) {
            this.id = id;
            this.attempt = attempt;
            this.server = server;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            DatagramDnsQuery query = new DatagramDnsQuery(null, server, id).setRecursionDesired(true);
            query.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(name, type));
            ctx.writeAndFlush(query).addListener(f -> {
                if (!f.isSuccess()) {
                    attempt.finish(Failures.of(f.cause()));
                }
            });
            ctx.fireChannelActive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsResponse response) {
            if (response.id() != id) {
                return;
            }
            if (!response.code().equals(DnsResponseCode.NOERROR)) {
                attempt.finish(CheckResult.failed(FailureReason.BAD_REPLY,
                        name + " " + type.name() + ": RCODE " + response.code() + " (expected: NOERROR)"));
                return;
            }
            DnsQuestion question = response.count(DnsSection.QUESTION) == 1
                    ? response.recordAt(DnsSection.QUESTION) : null;
            if (question == null || !question.name().equalsIgnoreCase(name) || !question.type().equals(type)) {
                attempt.finish(CheckResult.failed(FailureReason.BAD_REPLY, "question " + question
                        + " (expected: " + name + " " + type.name() + ")"));
                return;
            }
            attempt.finish(CheckResult.ok());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            CheckResult failure = Failures.of(cause);
            attempt.finish(failure.reason() == FailureReason.CONNECT_ERROR && !(cause instanceof java.io.IOException)
                    ? CheckResult.failed(FailureReason.BAD_REPLY, "invalid DNS response: " + cause.getMessage())
                    : failure);
        }
    }
}
