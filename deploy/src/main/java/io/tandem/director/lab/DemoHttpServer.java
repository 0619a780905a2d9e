package io.tandem.director.lab;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The lab's built-in real server: answers every HTTP request with its own
 * name (body and {@code X-Real-Server} header), so the lab demo needs nothing
 * but the JDK. {@code /stream} answers with an endless numbered stream for
 * long-lived connections.
 */
public final class DemoHttpServer implements AutoCloseable {
    public static final String SERVER_HEADER = "X-Real-Server";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final String name;
    private final AtomicLong served = new AtomicLong();

    private DemoHttpServer(String name, InetSocketAddress bind) throws IOException {
        this.name = name;
        this.server = HttpServer.create(bind, 1024);
        server.createContext("/", this::answer);
        server.setExecutor(executor);
    }

    /** Starts serving on {@code bind}; port 0 picks a free port. */
    public static DemoHttpServer start(String name, InetSocketAddress bind) throws IOException {
        DemoHttpServer s = new DemoHttpServer(name, bind);
        s.server.start();
        return s;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public long served() {
        return served.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            served.incrementAndGet();
            byte[] body = (name + "\n").getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set(SERVER_HEADER, name);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
