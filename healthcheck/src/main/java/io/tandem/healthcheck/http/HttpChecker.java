package io.tandem.healthcheck.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.Checker;
import io.tandem.healthcheck.config.HttpCheckConfig;
import io.tandem.healthcheck.config.HttpCheckConfig.HttpProtocol;
import io.tandem.healthcheck.config.UrlCheck;
import io.tandem.healthcheck.netty.CheckTransport;
import io.tandem.healthcheck.netty.ProbeAttempt;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * HTTP_GET and SSL_GET (keepalived {@code check_http.c}): one connection per
 * {@code url}, in order; all must pass. Each connection has
 * {@code connect_timeout} as its overall deadline (connect, TLS handshake,
 * request and the part of the response that is judged), so a server that
 * accepts and never answers fails on time.
 */
public final class HttpChecker implements Checker {
    /** The longest status line accepted (RFC 9112 section 4 sets no limit; we do). */
    static final int MAX_STATUS_LINE = 4096;
    private static final String USER_AGENT = "Tandem-HealthCheck";
    /** Header names in their usual capitalisation (Netty's constants are lower case), as keepalived sends them. */
    private static final String HOST = "Host";
    private static final String USER_AGENT_HEADER = "User-Agent";
    private static final String CONNECTION = "Connection";

    private final HttpCheckConfig config;
    private final CheckTransport transport;
    private final List<Pattern> regexes;

    public HttpChecker(HttpCheckConfig config, CheckTransport transport) {
        this.config = config;
        this.transport = transport;
        this.regexes = config.urls().stream().map(UrlCheck::compiledRegex).toList();
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
        Pattern regex = regexes.get(index);
        ProbeAttempt attempt = new ProbeAttempt();
        InetSocketAddress target = config.options().connectTo();
        FullHttpRequest request = request(url, target);
        var bootstrap = transport.tcp(config.options()).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ChannelPipeline p = ch.pipeline();
                if (config.tls()) {
                    p.addLast(sslHandler(ch, url, target));
                }
                p.addLast(new HttpClientCodec(MAX_STATUS_LINE, config.maxHeaderBytes(), 8192));
                p.addLast(new HttpResponseProbe(request, url, regex, config.maxBodyBytes(), attempt));
            }
        });
        Duration timeout = config.options().connectTimeout();
        attempt.connect(bootstrap, target, CheckTransport.localAddress(config.options()), timeout,
                ProbeAttempt.timeout(timeout));
        return attempt.result();
    }

    private SslHandler sslHandler(Channel ch, UrlCheck url, InetSocketAddress target) {
        SslHandler handler;
        if (config.enableSni()) {
            String name = config.sniName() != null ? config.sniName() : host(url);
            handler = transport.sslContext().newHandler(ch.alloc(), name == null ? target.getHostString() : name,
                    target.getPort(), transport.tlsTaskExecutor());
        } else {
            handler = transport.sslContext().newHandler(ch.alloc(), transport.tlsTaskExecutor());
        }
        handler.setHandshakeTimeoutMillis(config.options().connectTimeout().toMillis());
        return handler;
    }

    private String host(UrlCheck url) {
        return url.virtualhost() != null ? url.virtualhost() : config.virtualhost();
    }

    private FullHttpRequest request(UrlCheck url, InetSocketAddress target) {
        HttpVersion version = config.protocol() == HttpProtocol.HTTP_1_1 ? HttpVersion.HTTP_1_1 : HttpVersion.HTTP_1_0;
        FullHttpRequest request = new DefaultFullHttpRequest(version, HttpMethod.GET, url.path());
        String host = host(url);
        if (host == null) {
            String ip = target.getAddress().getHostAddress();
            host = (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + target.getPort();
        }
        request.headers().set(HOST, host);
        request.headers().set(USER_AGENT_HEADER, USER_AGENT);
        if (config.protocol() != HttpProtocol.HTTP_1_0) {
            request.headers().set(CONNECTION, HttpHeaderValues.CLOSE);
        }
        return request;
    }
}
