package io.tandem.healthcheck.udp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.Checker;
import io.tandem.healthcheck.FailureReason;
import io.tandem.healthcheck.config.UdpCheckConfig;
import io.tandem.healthcheck.netty.CheckTransport;
import io.tandem.healthcheck.netty.Failures;
import io.tandem.healthcheck.netty.ProbeAttempt;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * UDP_CHECK (keepalived {@code check_udp.c}): sends the payload on a connected
 * UDP socket, so the kernel reports an ICMP port unreachable (RFC 1122 section
 * 4.1.3.3) as a socket error, which fails the check. Without
 * {@code require_reply} the check passes when {@code connect_timeout} ends
 * without such an error (or on any reply); with it, a reply of the right
 * length starting with the required bytes must come in time.
 */
public final class UdpChecker implements Checker {
    private final UdpCheckConfig config;
    private final CheckTransport transport;
    private final byte[] payload;
    private final byte[] prefix;
    private final byte[] mask;

    public UdpChecker(UdpCheckConfig config, CheckTransport transport) {
        this.config = config;
        this.transport = transport;
        this.payload = config.payload();
        this.prefix = config.replyPrefix();
        this.mask = config.replyMask();
    }

    @Override
    public UdpCheckConfig config() {
        return config;
    }

    @Override
    public CompletionStage<CheckResult> check() {
        ProbeAttempt attempt = new ProbeAttempt();
        Channel ch = transport.udpChannel();
        ch.pipeline().addLast(new ReplyHandler(attempt));
        Duration timeout = config.options().connectTimeout();
        Supplier<CheckResult> onDeadline = config.requireReply() ? ProbeAttempt.timeout(timeout) : CheckResult::ok;
        attempt.connect(transport, ch, config.options().connectTo(), CheckTransport.localAddress(config.options()),
                timeout, onDeadline);
        return attempt.result();
    }

    /**
     * keepalived's {@code check_udp_reply}: with reply bytes configured, the
     * length must be within bounds and the first min(length, pattern) bytes
     * must match under the mask; without, any reply passes.
     */
    private CheckResult judge(ByteBuf reply) {
        if (prefix.length == 0) {
            return CheckResult.ok();
        }
        int length = reply.readableBytes();
        if (length < config.minReplyLength() || length > config.maxReplyLength()) {
            return CheckResult.failed(FailureReason.BAD_REPLY, "reply of " + length + " bytes (expected: "
                    + config.minReplyLength() + " ~ " + config.maxReplyLength() + ")");
        }
        int compared = Math.min(length, prefix.length);
        for (int i = 0; i < compared; i++) {
            if (((reply.getByte(reply.readerIndex() + i) ^ prefix[i]) & mask[i]) != 0) {
                byte[] head = new byte[compared];
                reply.getBytes(reply.readerIndex(), head);
                return CheckResult.failed(FailureReason.BAD_REPLY, "reply starts " + HexFormat.of().formatHex(head)
                        + " (expected: " + HexFormat.of().formatHex(prefix) + " under mask "
                        + HexFormat.of().formatHex(mask) + ")");
            }
        }
        return CheckResult.ok();
    }

    private final class ReplyHandler extends SimpleChannelInboundHandler<Object> {
        private final ProbeAttempt attempt;

        ReplyHandler(ProbeAttempt attempt) {
            this.attempt = attempt;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(payload)).addListener(f -> {
                if (!f.isSuccess()) {
                    attempt.finish(Failures.of(f.cause()));
                }
            });
            ctx.fireChannelActive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            ByteBuf reply = msg instanceof DatagramPacket packet ? packet.content() : (ByteBuf) msg;
            attempt.finish(config.requireReply() ? judge(reply) : CheckResult.ok());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            attempt.finish(Failures.of(cause));
        }
    }
}
