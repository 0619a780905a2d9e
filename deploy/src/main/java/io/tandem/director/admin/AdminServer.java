package io.tandem.director.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The director's admin HTTP endpoint: {@code /metrics} (Prometheus text
 * format from Micrometer's Prometheus registry) and {@code /status} (JSON).
 * Bound to 127.0.0.1:9165 by default, keepalived-exporter's port, so existing
 * scrape configurations keep working. Bound anywhere but loopback it requires
 * a token ({@code Authorization: Bearer TOKEN}).
 */
public final class AdminServer implements AutoCloseable {
    /** keepalived-exporter's default port. */
    public static final int DEFAULT_PORT = 9165;
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final PrometheusMeterRegistry registry;
    private final Supplier<String> status;
    private final byte[] token;

    private AdminServer(InetSocketAddress bind, PrometheusMeterRegistry registry, Supplier<String> status,
            String token) throws IOException {
        if (!bind.getAddress().isLoopbackAddress() && (token == null || token.isBlank())) {
            throw new IllegalArgumentException("admin address " + bind.getAddress().getHostAddress()
                    + " is not loopback: a token is required (admin { token ... })");
        }
        this.registry = registry;
        this.status = status;
        this.token = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.server = HttpServer.create(bind, 64);
        server.createContext("/metrics", exchange -> respond(exchange, PROMETHEUS_TEXT, registry::scrape));
        server.createContext("/status", exchange -> respond(exchange, "application/json", status));
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.sendResponseHeaders(404, -1);
            }
        });
        server.setExecutor(executor);
    }

    /**
     * Starts serving; {@code token} may be null on a loopback address.
     *
     * @throws IllegalArgumentException for a non-loopback address without a token
     */
    public static AdminServer start(InetSocketAddress bind, PrometheusMeterRegistry registry,
            Supplier<String> status, String token) throws IOException {
        AdminServer admin = new AdminServer(bind, registry, status, token);
        admin.server.start();
        return admin;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    private void respond(HttpExchange exchange, String contentType, Supplier<String> body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            if (!authorized(exchange)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private boolean authorized(HttpExchange exchange) {
        if (token == null) {
            return true;
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        byte[] offered = header.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(offered, token);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
