package io.tandem.healthcheck.config;

import java.util.List;
import java.util.Objects;

/**
 * HTTP_GET and SSL_GET (keepalived {@code check_http.c}).
 *
 * @param tls            true for SSL_GET
 * @param urls           the {@code url} blocks, checked in order, all must pass
 * @param protocol       {@code http_protocol}
 * @param virtualhost    {@code virtualhost} of the checker (or of its virtual server), or null:
 *                       the Host header is then the connect address
 * @param enableSni      {@code enable_sni}: send the TLS server name
 * @param sniName        {@code sni_name}, or null for the virtualhost
 * @param maxHeaderBytes the largest response head accepted (status line and headers)
 * @param maxBodyBytes   the most body bytes read for digest and regex; more fails with TOO_LARGE
 */
public record HttpCheckConfig(CheckerOptions options, boolean tls, List<UrlCheck> urls, HttpProtocol protocol,
        String virtualhost, boolean enableSni, String sniName, int maxHeaderBytes, int maxBodyBytes)
        implements CheckerConfig {

    /** {@code http_protocol}: 1.0 closes the connection, 1.0C asks so explicitly, 1.1 sends Host and close. */
    public enum HttpProtocol { HTTP_1_0, HTTP_1_0C, HTTP_1_1 }

    public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
    public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

    public HttpCheckConfig {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(protocol, "protocol");
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("invalid url list: empty (expected: at least one url block)");
        }
        if (maxHeaderBytes < 256 || maxBodyBytes < 0) {
            throw new IllegalArgumentException("invalid limits: header " + maxHeaderBytes + ", body " + maxBodyBytes
                    + " (expected: header >= 256, body >= 0)");
        }
    }

    /** An HTTP_GET (or SSL_GET when {@code tls}) with keepalived's defaults: HTTP/1.0, no SNI. */
    public static HttpCheckConfig of(CheckerOptions options, boolean tls, List<UrlCheck> urls) {
        return new HttpCheckConfig(options, tls, urls, HttpProtocol.HTTP_1_0, null, false, null,
                DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_BODY_BYTES);
    }

    public HttpCheckConfig withProtocol(HttpProtocol p) {
        return new HttpCheckConfig(options, tls, urls, p, virtualhost, enableSni, sniName, maxHeaderBytes,
                maxBodyBytes);
    }

    public HttpCheckConfig withVirtualhost(String host) {
        return new HttpCheckConfig(options, tls, urls, protocol, host, enableSni, sniName, maxHeaderBytes,
                maxBodyBytes);
    }

    public HttpCheckConfig withSni(String name) {
        return new HttpCheckConfig(options, tls, urls, protocol, virtualhost, true, name, maxHeaderBytes,
                maxBodyBytes);
    }

    public HttpCheckConfig withLimits(int headerBytes, int bodyBytes) {
        return new HttpCheckConfig(options, tls, urls, protocol, virtualhost, enableSni, sniName, headerBytes,
                bodyBytes);
    }

    @Override
    public CheckerKind kind() {
        return tls ? CheckerKind.SSL_GET : CheckerKind.HTTP_GET;
    }
}
