package io.tandem.director.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class AdminServerTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(AdminServer admin, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + admin.address().getPort() + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesMetricsInPrometheusTextFormatAndStatusAsJson() throws Exception {
        Counter.builder("keepalived.advertisements.received").tags("iname", "VI_1", "intf", "eth0", "vrid", "51")
                .register(registry).increment(3);
        Gauge.builder("keepalived.vrrp.state", () -> 2).tags("iname", "VI_1", "intf", "eth0", "vrid", "51")
                .register(registry);
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (AdminServer admin = AdminServer.start(loopback, registry, () -> "{\"state\":\"MASTER\"}", null)) {
            HttpResponse<String> metrics = get(admin, "/metrics", null);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValue(AdminServer.PROMETHEUS_TEXT);
            assertThat(metrics.body())
                    .contains("keepalived_advertisements_received_total{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\"} 3.0")
                    .contains("keepalived_vrrp_state{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\"} 2.0");
            HttpResponse<String> status = get(admin, "/status", null);
            assertThat(status.body()).isEqualTo("{\"state\":\"MASTER\"}");
            assertThat(get(admin, "/nothing", null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aTokenIsRequiredWhenConfigured() throws Exception {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (AdminServer admin = AdminServer.start(loopback, registry, () -> "{}", "s3cret")) {
            assertThat(get(admin, "/status", null).statusCode()).isEqualTo(401);
            assertThat(get(admin, "/status", "wrong").statusCode()).isEqualTo(401);
            assertThat(get(admin, "/status", "s3cret").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aNonLoopbackAddressWithoutATokenIsRefused() {
        InetSocketAddress any = new InetSocketAddress("0.0.0.0", 0);
        assertThatThrownBy(() -> AdminServer.start(any, registry, () -> "{}", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("admin address 0.0.0.0 is not loopback: a token is required (admin { token ... })");
    }
}
