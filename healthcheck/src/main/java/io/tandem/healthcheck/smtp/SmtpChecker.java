package io.tandem.healthcheck.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.Checker;
import io.tandem.healthcheck.FailureReason;
import io.tandem.healthcheck.config.SmtpCheckConfig;
import io.tandem.healthcheck.netty.CheckTransport;
import io.tandem.healthcheck.netty.Failures;
import io.tandem.healthcheck.netty.ProbeAttempt;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * SMTP_CHECK (keepalived {@code check_smtp.c}): greeting 220, {@code HELO}
 * answered 250, {@code QUIT} answered 221 (RFC 5321 sections 3.1, 4.1.1.1,
 * 4.1.1.10), all within {@code connect_timeout}. Multi-line replies
 * ({@code "250-"}) are followed to their last line (section 4.2.1); a reply
 * line is at most 512 octets (section 4.5.3.1.5).
 */
public final class SmtpChecker implements Checker {
    static final int MAX_REPLY_LINE = 512;
    private static final int MAX_LINES_PER_REPLY = 100;

    private final SmtpCheckConfig config;
    private final CheckTransport transport;

    public SmtpChecker(SmtpCheckConfig config, CheckTransport transport) {
        this.config = config;
        this.transport = transport;
    }

    @Override
    public SmtpCheckConfig config() {
        return config;
    }

    @Override
    public CompletionStage<CheckResult> check() {
        ProbeAttempt attempt = new ProbeAttempt();
        Channel ch = transport.tcpChannel(config.options(), false);
        ch.pipeline().addLast(new LineBasedFrameDecoder(MAX_REPLY_LINE), new Dialogue(attempt));
        Duration timeout = config.options().connectTimeout();
        attempt.connect(transport, ch, config.options().connectTo(), CheckTransport.localAddress(config.options()),
                timeout, ProbeAttempt.timeout(timeout));
        return attempt.result();
    }

    /** The client side of the exchange; {@code step} is the reply code awaited. */
    private final class Dialogue extends SimpleChannelInboundHandler<ByteBuf> {
        private final ProbeAttempt attempt;
        private int expected = 220;
        private int lines;

        Dialogue(ProbeAttempt attempt) {
            this.attempt = attempt;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            if (attempt.isDone()) {
                return;
            }
            String line = frame.toString(StandardCharsets.US_ASCII);
            if (line.length() < 3 || !Character.isDigit(line.charAt(0)) || !Character.isDigit(line.charAt(1))
                    || !Character.isDigit(line.charAt(2)) || (line.length() > 3 && " -".indexOf(line.charAt(3)) < 0)) {
                attempt.finish(CheckResult.failed(FailureReason.PROTOCOL_ERROR,
                        "invalid reply line \"" + abbreviate(line) + "\" (expected: a 3-digit code)"));
                return;
            }
            int code = Integer.parseInt(line, 0, 3, 10);
            if (code != expected) {
                attempt.finish(CheckResult.failed(FailureReason.PROTOCOL_ERROR,
                        "reply " + code + " (expected: " + expected + ")"));
                return;
            }
            if (line.length() > 3 && line.charAt(3) == '-') {
                if (++lines > MAX_LINES_PER_REPLY) {
                    attempt.finish(CheckResult.failed(FailureReason.TOO_LARGE,
                            "reply of more than " + MAX_LINES_PER_REPLY + " lines"));
                }
                return;
            }
            lines = 0;
            switch (expected) {
                case 220 -> send(ctx, "HELO " + config.heloName(), 250);
                case 250 -> send(ctx, "QUIT", 221);
                default -> attempt.finish(CheckResult.ok());
            }
        }

        private void send(ChannelHandlerContext ctx, String command, int next) {
            expected = next;
            ctx.writeAndFlush(Unpooled.copiedBuffer(command + "\r\n", StandardCharsets.US_ASCII)).addListener(f -> {
                if (!f.isSuccess()) {
                    attempt.finish(Failures.of(f.cause()));
                }
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!attempt.isDone()) {
                attempt.finish(CheckResult.failed(FailureReason.PROTOCOL_ERROR,
                        "connection closed while awaiting " + expected));
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            attempt.finish(Failures.of(cause));
        }

        private static String abbreviate(String s) {
            return s.length() > 40 ? s.substring(0, 40) + "..." : s;
        }
    }
}
