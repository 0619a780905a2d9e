package io.tandem.director.drill;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** Instant queries to a Prometheus server's HTTP API. */
public final class PrometheusClient implements AutoCloseable {
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** @param base e.g. {@code http://10.78.0.9:9090} */
    public PrometheusClient(String base) {
        this.base = base.replaceAll("/+$", "");
    }

    public String base() {
        return base;
    }

    /** The series of {@code promql} now; an error answer (a bad expression) is an exception naming it. */
    public List<PromSample> query(String promql) throws IOException {
        URI uri = URI.create(base + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return PromSample.parse(promql, r.body());
        } catch (java.net.ConnectException e) {
            throw new IOException("cannot reach Prometheus at " + base + " (expected: the drill stack's prometheus)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
