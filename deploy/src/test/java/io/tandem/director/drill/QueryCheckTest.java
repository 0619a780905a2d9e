package io.tandem.director.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The checker against a stand-in for Prometheus's query API that knows a few series. */
class QueryCheckTest {
    private static final String ONE = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
            + "[{\"metric\":{\"instance\":\"a\"},\"value\":[1,\"2\"]}]}}";
    private static final String NONE = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}";
    private static final String ERROR = "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}";
    private static final Map<String, String> ANSWERS = Map.of("known", ONE, "rate(known[1m])", ONE,
            "known == 5", NONE, "broken(", ERROR);

    private HttpServer server;
    private PrometheusClient client;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/api/v1/query", exchange -> {
            String query = URLDecoder.decode(exchange.getRequestURI().getRawQuery().substring("query=".length()),
                    StandardCharsets.UTF_8);
            byte[] body = ANSWERS.getOrDefault(query, NONE).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(ANSWERS.get(query) == ERROR ? 400 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        client = new PrometheusClient("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    @Test
    void aDashboardQueryMustReturnData() {
        QueryCheck check = new QueryCheck(client);
        assertThat(check.check(query("rate(known[$__rate_interval])", false)).passed()).isTrue();
        QueryCheck.Result misspelt = check.check(query("rate(unknown[$__rate_interval])", false));
        assertThat(misspelt.passed()).isFalse();
        assertThat(misspelt.detail()).isEqualTo("no data for unknown");
    }

    @Test
    void anAlertNeedNotFireButItsSelectorsNeedData() {
        QueryCheck check = new QueryCheck(client);
        QueryCheck.Result quiet = check.check(query("known == 5", true));
        assertThat(quiet.passed()).isTrue();
        assertThat(quiet.detail()).isEqualTo("0 series firing");
        assertThat(check.check(query("unknown == 5", true)).passed()).isFalse();
    }

    @Test
    void anExpressionPrometheusRefusesFails() {
        QueryCheck.Result r = new QueryCheck(client).check(query("broken(", false));
        assertThat(r.passed()).isFalse();
        assertThat(r.detail()).contains("parse error");
    }

    private static ShippedQueries.Query query(String expr, boolean alert) {
        return new ShippedQueries.Query("t.json", "panel", expr, alert);
    }
}
