package io.tandem.director.drill;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tandem.director.lab.TrafficProbe;
import io.tandem.director.run.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;

/**
 * The drill stack's client: keeps traffic flowing to a virtual service and
 * says what it saw. A new TCP connection every {@code interval} (one request
 * each, as {@link TrafficProbe} asks), and {@code kept} long-lived keep-alive
 * connections with a request every {@code keptInterval}. {@code GET
 * /report?since=MILLIS} answers with the window since that time (epoch
 * milliseconds, the drills' clock: the containers share the host's).
 */
public final class DrillClient implements AutoCloseable {
    private final TrafficProbe probe;
    private final Duration interval;
    private final LongSupplier clock;
    private final RequestLedger ledger = new RequestLedger(1 << 20);
    private final List<KeptConnection> kept = new ArrayList<>();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpServer server;
    private volatile boolean stopped;

    /** A new connection's connect and read timeouts: a failover shows as failures, not as one slow answer. */
    public static final Duration TIMEOUT = Duration.ofMillis(500);

    private DrillClient(InetSocketAddress target, InetSocketAddress listen, Duration interval, Duration timeout,
            int keptCount, Duration keptInterval, LongSupplier clock) throws IOException {
        this.probe = new TrafficProbe(target, timeout, System::nanoTime);
        this.interval = interval;
        this.clock = clock;
        for (int i = 0; i < keptCount; i++) {
            kept.add(new KeptConnection(i, target, keptInterval, Duration.ofSeconds(15), clock));
        }
        this.server = HttpServer.create(listen, 16);
        server.createContext("/report", this::answer);
        server.setExecutor(threads);
    }

    /** Starts the traffic and the report endpoint. */
    public static DrillClient start(InetSocketAddress target, InetSocketAddress listen, Duration interval,
            Duration timeout, int keptCount, Duration keptInterval) throws IOException {
        DrillClient c = new DrillClient(target, listen, interval, timeout, keptCount, keptInterval,
                System::currentTimeMillis);
        c.kept.forEach(c.threads::execute);
        c.threads.execute(c::newConnections);
        c.server.start();
        return c;
    }

    public InetSocketAddress reportAddress() {
        return server.getAddress();
    }

    private void newConnections() {
        long next = System.nanoTime();
        while (!stopped) {
            TrafficProbe.Answer answer = probe.attempt();
            ledger.record(clock.getAsLong(), answer.server(), answer.failure());
            next += interval.toNanos();
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                try {
                    Thread.sleep(Duration.ofNanos(sleep));
                } catch (InterruptedException e) {
                    return;
                }
            } else {
                next = System.nanoTime(); // fell behind (a long timeout): do not burst to catch up
            }
        }
    }

    /** The report of the window since {@code since} (epoch ms) as the drills read it. */
    public Map<String, Object> report(long since) {
        long now = clock.getAsLong();
        RequestLedger.Window w = ledger.since(since, now);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("since", since);
        doc.put("now", now);
        doc.put("requests", w.requests());
        doc.put("answered", w.answered());
        doc.put("failed", w.failed());
        doc.put("longest_outage_ms", w.longestOutageMillis());
        doc.put("answered_by", new LinkedHashMap<>(w.answeredBy()));
        doc.put("failures", new LinkedHashMap<>(w.failures()));
        doc.put("last_answer_at", w.lastAnswerAt());
        doc.put("last_failure_at", w.lastFailureAt());
        List<KeptConnection.Incarnation> all = new ArrayList<>();
        kept.forEach(k -> all.addAll(k.incarnations()));
        doc.put("kept", KeptReport.of(all, since, now).toMap());
        return doc;
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            long since = sinceParameter(exchange.getRequestURI());
            if (since < 0) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            byte[] body = Json.write(report(since)).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** {@code since=MILLIS} from the query, 0 without it, -1 when it is not a number. */
    static long sinceParameter(URI uri) {
        String query = uri.getRawQuery();
        if (query == null) {
            return 0;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("since=")) {
                try {
                    return Long.parseLong(pair.substring("since=".length()));
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return 0;
    }

    @Override
    public void close() {
        stopped = true;
        kept.forEach(KeptConnection::stop);
        server.stop(0);
        threads.shutdownNow();
    }
}
