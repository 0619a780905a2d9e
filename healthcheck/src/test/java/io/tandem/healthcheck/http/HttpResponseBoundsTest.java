package io.tandem.healthcheck.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.FailureReason;
import io.tandem.healthcheck.config.CheckerKind;
import io.tandem.healthcheck.config.HttpCheckConfig;
import io.tandem.healthcheck.config.OptionOverrides;
import io.tandem.healthcheck.config.UrlCheck;
import io.tandem.healthcheck.netty.ProbeAttempt;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Bad responses never grow memory without bound: the real pipeline of
 * HTTP_GET ({@link HttpResponseDecoder} with the checker's limits and
 * {@link HttpResponseProbe}) on an {@link EmbeddedChannel} is fed an endless
 * response 4 KiB at a time, and the attempt must end (so the real checker
 * closes the connection) before more than the limit that applies has been
 * read: {@link HttpChecker#MAX_STATUS_LINE} for garbage, {@code maxHeaderBytes}
 * for a head that never ends, {@code maxBodyBytes} for a body that never ends
 * when a digest or regex reads it. Every buffer fed is released once the
 * channel is closed.
 */
class HttpResponseBoundsTest {
    private static final int CHUNK = 4096;
    private static final int MAX_HEADER = 8 * 1024;
    private static final int MAX_BODY = 64 * 1024;
    /** What the test feeds at most: far past every limit, so "not done yet" cannot pass. */
    private static final long FEED_LIMIT = 64L * 1024 * 1024;

    private record Fed(CheckResult result, long bytes, List<ByteBuf> buffers) {
    }

    private static Fed feed(UrlCheck url, String head, IntFunction<String> endless) {
        ProbeAttempt attempt = new ProbeAttempt();
        Pattern regex = url.compiledRegex();
        HttpCheckConfig config = HttpCheckConfig.of(OptionOverrides.NONE.resolve(CheckerKind.HTTP_GET,
                new InetSocketAddress("127.0.0.1", 80)), false, List.of(url)).withLimits(MAX_HEADER, MAX_BODY);
        EmbeddedChannel ch = new EmbeddedChannel(new HttpResponseDecoder(HttpChecker.decoderConfig(MAX_HEADER)),
                new HttpResponseProbe(HttpChecker.request(config, url), url, regex, MAX_BODY, attempt));
        ByteBuf request = ch.readOutbound();
        assertThat(request.toString(StandardCharsets.US_ASCII)).startsWith("GET " + url.path() + " HTTP/1.0\r\n");
        request.release();
        List<ByteBuf> buffers = new ArrayList<>();
        long bytes = 0;
        String first = head;
        for (int i = 0; !attempt.isDone() && bytes < FEED_LIMIT; i++) {
            String s = first != null ? first : endless.apply(i);
            first = null;
            ByteBuf b = Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
            buffers.add(b);
            bytes += b.readableBytes();
            ch.writeInbound(b);
            ch.inboundMessages().clear();
        }
        ch.finishAndReleaseAll();
        return new Fed(attempt.result().getNow(null), bytes, buffers);
    }

    private static String repeat(char c) {
        return String.valueOf(c).repeat(CHUNK);
    }

    private static void assertReleased(Fed fed) {
        assertThat(fed.buffers()).allSatisfy(b -> assertThat(b.refCnt()).isZero());
    }

    @Test
    void garbageWithoutLineEndIsCutAtTheStatusLineLimit() {
        Fed fed = feed(UrlCheck.path("/"), null, i -> repeat('x'));
        assertThat(fed.result()).isNotNull();
        assertThat(fed.result().reason()).isEqualTo(FailureReason.TOO_LARGE);
        assertThat(fed.bytes()).isLessThanOrEqualTo(HttpChecker.MAX_STATUS_LINE + CHUNK);
        assertReleased(fed);
    }

    @Test
    void binaryGarbageFailsAsAProtocolError() {
        Fed fed = feed(UrlCheck.path("/"), "\u0001\u0002 NOT HTTP \u00ff\r\n\r\n", i -> repeat('\u00fe'));
        assertThat(fed.result()).isNotNull();
        assertThat(fed.result().reason()).isIn(FailureReason.PROTOCOL_ERROR, FailureReason.TOO_LARGE);
        assertThat(fed.bytes()).isLessThanOrEqualTo(HttpChecker.MAX_STATUS_LINE + CHUNK);
        assertReleased(fed);
    }

    @Test
    void aHeadThatNeverEndsIsCutAtTheHeaderLimit() {
        Fed fed = feed(UrlCheck.path("/"), "HTTP/1.1 200 OK\r\n", i -> "X-Pad-" + i + ": " + "a".repeat(CHUNK - 20)
                + "\r\n");
        assertThat(fed.result().reason()).isEqualTo(FailureReason.TOO_LARGE);
        assertThat(fed.bytes()).isLessThanOrEqualTo(MAX_HEADER + 2L * CHUNK);
        assertReleased(fed);
    }

    @Test
    void anEndlessBodyIsCutAtTheBodyLimitForDigestAndRegex() {
        for (UrlCheck url : List.of(UrlCheck.path("/").withDigest("0123456789abcdef0123456789abcdef"),
                UrlCheck.path("/").withRegex("never", false))) {
            Fed fed = feed(url, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n", i -> repeat('b'));
            assertThat(fed.result().reason()).as(url.toString()).isEqualTo(FailureReason.TOO_LARGE);
            assertThat(fed.bytes()).as(url.toString()).isLessThanOrEqualTo(MAX_BODY + 2L * CHUNK);
            assertReleased(fed);
        }
        // a chunked body that never ends: the same limit
        Fed chunked = feed(UrlCheck.path("/").withRegex("never", false),
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                i -> Integer.toHexString(CHUNK - 16) + "\r\n" + "c".repeat(CHUNK - 16) + "\r\n");
        assertThat(chunked.result().reason()).isEqualTo(FailureReason.TOO_LARGE);
        assertThat(chunked.bytes()).isLessThanOrEqualTo(MAX_BODY + 2L * CHUNK);
        assertReleased(chunked);
    }

    @Test
    void aStatusOnlyCheckEndsOnTheHeadAndReadsNoBody() {
        Fed fed = feed(UrlCheck.path("/"), "HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\n\r\n", i -> repeat('b'));
        assertThat(fed.result()).isEqualTo(CheckResult.ok());
        assertThat(fed.buffers()).hasSize(1);
        assertReleased(fed);
    }

    @Test
    void theDefaultLimitsAreTheOnesDocumented() {
        // the bounds above scale with these; a change here is a change of the memory bound per check
        assertThat(HttpChecker.MAX_STATUS_LINE).isEqualTo(4096);
        assertThat(HttpCheckConfig.DEFAULT_MAX_HEADER_BYTES).isEqualTo(16 * 1024);
        assertThat(HttpCheckConfig.DEFAULT_MAX_BODY_BYTES).isEqualTo(1024 * 1024);
    }
}
