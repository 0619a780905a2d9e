package io.tandem.healthcheck.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.ssl.SslHandler;
import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.Checker;
import io.tandem.healthcheck.config.HttpCheckConfig;
import io.tandem.healthcheck.config.HttpCheckConfig.HttpProtocol;
import io.tandem.healthcheck.config.UrlCheck;
import io.tandem.healthcheck.netty.CheckTransport;
import io.tandem.healthcheck.netty.ProbeAttempt;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * HTTP_GET and SSL_GET (keepalived {@code check_http.c}): one connection per
 * {@code url}, in order; all must pass. Each connection has
 * {@code connect_timeout} as its overall deadline (connect, TLS handshake,
 * request and the part of the response that is judged), so a server that
 * accepts and never answers fails on time.
 *
 * <p>What does not change between attempts is made once per checker: the
 * request of each url, already encoded (RFC 9112 section 3: request line,
 * Host, User-Agent, Connection: close unless plain HTTP/1.0), the compiled
 * regexes and the response decoder's limits. An attempt costs one channel,
 * its decoder and its {@link HttpResponseProbe}.
 */
public final class HttpChecker implements Checker {
    /** The longest status line accepted (RFC 9112 section 4 sets no limit; we do). */
    static final int MAX_STATUS_LINE = 4096;
    /** The largest piece of body handed on at a time. */
    static final int MAX_CHUNK = 8192;
    private static final String USER_AGENT = "Tandem-HealthCheck";

    private final HttpCheckConfig config;
    private final CheckTransport transport;
    private final List<Pattern> regexes;
    private final List<ByteBuf> requests;
    private final HttpDecoderConfig decoderConfig;
    private final InetSocketAddress local;
    private final Supplier<CheckResult> onDeadline;

    public HttpChecker(HttpCheckConfig config, CheckTransport transport) {
        this.config = config;
        this.transport = transport;
        this.regexes = config.urls().stream().map(UrlCheck::compiledRegex).toList();
        this.requests = config.urls().stream().map(u -> request(config, u)).toList();
        this.decoderConfig = decoderConfig(config.maxHeaderBytes());
        this.local = CheckTransport.localAddress(config.options());
        this.onDeadline = ProbeAttempt.timeout(config.options().connectTimeout());
    }

    @Override
    public HttpCheckConfig config() {
        return config;
    }

    @Override
    public Duration attemptDeadline() {
        return config.options().connectTimeout().multipliedBy(config.urls().size());
    }

    @Override
    public CompletionStage<CheckResult> check() {
        if (config.urls().size() == 1) {
            return checkUrl(0);
        }
        CompletableFuture<CheckResult> all = new CompletableFuture<>();
        checkFrom(0, all);
        return all;
    }

    private void checkFrom(int index, CompletableFuture<CheckResult> all) {
        checkUrl(index).whenComplete((r, error) -> {
            if (error != null) {
                all.completeExceptionally(error);
            } else if (!r.success() || index + 1 == config.urls().size()) {
                all.complete(r);
            } else {
                checkFrom(index + 1, all);
            }
        });
    }

    private CompletableFuture<CheckResult> checkUrl(int index) {
        UrlCheck url = config.urls().get(index);
        ProbeAttempt attempt = new ProbeAttempt();
        InetSocketAddress target = config.options().connectTo();
        Channel ch = transport.tcpChannel(config.options(), false);
        ChannelPipeline p = ch.pipeline();
        if (config.tls()) {
            p.addLast(sslHandler(ch, url, target));
        }
        p.addLast(new HttpResponseDecoder(decoderConfig),
                new HttpResponseProbe(requests.get(index), url, regexes.get(index), config.maxBodyBytes(), attempt));
        attempt.connect(transport, ch, target, local, config.options().connectTimeout(), onDeadline);
        return attempt.result();
    }

    /** The response decoder's limits: status line, head, and the pieces the body is handed on in. */
    static HttpDecoderConfig decoderConfig(int maxHeaderBytes) {
        return new HttpDecoderConfig().setMaxInitialLineLength(MAX_STATUS_LINE).setMaxHeaderSize(maxHeaderBytes)
                .setMaxChunkSize(MAX_CHUNK);
    }

    private SslHandler sslHandler(Channel ch, UrlCheck url, InetSocketAddress target) {
        SslHandler handler;
        if (config.enableSni()) {
            String name = config.sniName() != null ? config.sniName() : host(config, url);
            handler = transport.sslContext().newHandler(ch.alloc(), name == null ? target.getHostString() : name,
                    target.getPort(), transport.tlsTaskExecutor());
        } else {
            handler = transport.sslContext().newHandler(ch.alloc(), transport.tlsTaskExecutor());
        }
        handler.setHandshakeTimeoutMillis(config.options().connectTimeout().toMillis());
        return handler;
    }

    private static String host(HttpCheckConfig config, UrlCheck url) {
        return url.virtualhost() != null ? url.virtualhost() : config.virtualhost();
    }

    /**
     * The GET of {@code url}, encoded once: a read-only buffer every attempt writes a duplicate of. Host
     * is the virtualhost, else the connect address.
     */
    static ByteBuf request(HttpCheckConfig config, UrlCheck url) {
        String host = host(config, url);
        if (host == null) {
            InetSocketAddress target = config.options().connectTo();
            String ip = target.getAddress().getHostAddress();
            host = (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + target.getPort();
        }
        String version = config.protocol() == HttpProtocol.HTTP_1_1 ? "HTTP/1.1" : "HTTP/1.0";
        String text = "GET " + url.path() + " " + version + "\r\nHost: " + host + "\r\nUser-Agent: " + USER_AGENT
                + "\r\n" + (config.protocol() != HttpProtocol.HTTP_1_0 ? "Connection: close\r\n" : "") + "\r\n";
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes));
    }
}
