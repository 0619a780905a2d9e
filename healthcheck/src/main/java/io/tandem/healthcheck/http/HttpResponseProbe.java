package io.tandem.healthcheck.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.FailureReason;
import io.tandem.healthcheck.config.UrlCheck;
import io.tandem.healthcheck.netty.Failures;
import io.tandem.healthcheck.netty.ProbeAttempt;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Sends one GET (already encoded: {@link HttpChecker#request}) and judges the
 * response of one {@code url} block: the status
 * code against {@code status_code} (RFC 9110 section 15), then, only when a
 * {@code digest} or {@code regex} needs it, the body: MD5 streamed over at most
 * {@code maxBodyBytes} (more fails with TOO_LARGE), and the same bytes kept for
 * the regex. Content is released as it arrives; nothing grows past the limits.
 */
final class HttpResponseProbe extends ChannelInboundHandlerAdapter implements ChannelFutureListener {
    private final ByteBuf request;
    private final UrlCheck url;
    private final Pattern regex;
    private final int maxBodyBytes;
    private final ProbeAttempt attempt;

    private MessageDigest md5;
    private ByteArrayOutputStream body;
    private long bodyBytes;
    private boolean headReceived;

    HttpResponseProbe(ByteBuf request, UrlCheck url, Pattern regex, int maxBodyBytes, ProbeAttempt attempt) {
        this.request = request;
        this.url = url;
        this.regex = regex;
        this.maxBodyBytes = maxBodyBytes;
        this.attempt = attempt;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(request.duplicate()).addListener(this);
        ctx.fireChannelActive();
    }

    /** The request was written, or could not be. */
    @Override
    public void operationComplete(ChannelFuture f) {
        if (!f.isSuccess()) {
            attempt.finish(Failures.of(f.cause()));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!attempt.isDone()) {
                read(msg);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void read(Object msg) {
        if (msg instanceof HttpResponse response) {
            if (failedDecoding(response.decoderResult())) {
                return;
            }
            headReceived = true;
            int code = response.status().code();
            if (!url.statusCodes().contains(code)) {
                attempt.finish(CheckResult.failed(FailureReason.BAD_STATUS,
                        url.path() + ": status " + code + " (expected: " + url.statusCodes().ranges() + ")"));
                return;
            }
            if (!url.needsBody()) {
                attempt.finish(CheckResult.ok());
                return;
            }
            md5 = newMd5();
            body = regex != null ? new ByteArrayOutputStream() : null;
        }
        if (msg instanceof HttpContent content) {
            if (failedDecoding(content.decoderResult()) || md5 == null) {
                return;
            }
            ByteBuf data = content.content();
            bodyBytes += data.readableBytes();
            if (bodyBytes > maxBodyBytes) {
                attempt.finish(CheckResult.failed(FailureReason.TOO_LARGE,
                        url.path() + ": body over " + maxBodyBytes + " bytes (expected: at most that for digest/regex)"));
                return;
            }
            md5.update(data.nioBuffer());
            if (body != null) {
                byte[] bytes = new byte[data.readableBytes()];
                data.getBytes(data.readerIndex(), bytes);
                body.writeBytes(bytes);
            }
            if (msg instanceof LastHttpContent) {
                attempt.finish(judgeBody());
            }
        }
    }

    private CheckResult judgeBody() {
        if (url.digest() != null) {
            String digest = HexFormat.of().formatHex(md5.digest());
            if (!digest.equals(url.digest())) {
                return CheckResult.failed(FailureReason.BAD_DIGEST,
                        url.path() + ": MD5 " + digest + " (expected: " + url.digest() + ")");
            }
        }
        if (regex != null) {
            boolean found = regex.matcher(body.toString(StandardCharsets.ISO_8859_1)).find();
            if (found == url.regexNoMatch()) {
                return CheckResult.failed(FailureReason.REGEX_MISMATCH, url.path() + ": body "
                        + (found ? "matches" : "does not match") + " /" + regex.pattern() + "/ (expected: "
                        + (url.regexNoMatch() ? "no match" : "a match") + ")");
            }
        }
        return CheckResult.ok();
    }

    private boolean failedDecoding(DecoderResult result) {
        if (result.isFailure()) {
            CheckResult failure = Failures.of(result.cause());
            attempt.finish(failure.reason() == FailureReason.CONNECT_ERROR
                    ? CheckResult.failed(FailureReason.PROTOCOL_ERROR, url.path() + ": invalid response: "
                            + result.cause().getMessage())
                    : failure);
            return true;
        }
        return false;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!attempt.isDone()) {
            attempt.finish(CheckResult.failed(FailureReason.PROTOCOL_ERROR, url.path() + ": connection closed "
                    + (headReceived ? "before the end of the body" : "before a response")));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        attempt.finish(Failures.of(cause));
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }
}
