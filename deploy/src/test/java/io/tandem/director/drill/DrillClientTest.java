package io.tandem.director.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.director.lab.DemoHttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The drill client against the lab's HTTP server on loopback, read back through its report endpoint. */
class DrillClientTest {
    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void reportsNewAndLongLivedConnectionsAndTheirBreak() throws Exception {
        long start = System.currentTimeMillis();
        DemoHttpServer rs = DemoHttpServer.start("rs1", ANY);
        try (DrillClient client = DrillClient.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), rs.port()),
                ANY, Duration.ofMillis(20), Duration.ofSeconds(5), 2, Duration.ofMillis(50))) {
            long deadline = System.currentTimeMillis() + 20_000; // the first exchanges load classes, on a busy machine
            while (read(client, start).answering() < 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            long established = System.currentTimeMillis();
            Thread.sleep(400);
            ClientReport steady = read(client, established);
            assertThat(steady.failed()).as("failures %s", steady.failures()).isZero();
            assertThat(steady.answered()).isPositive();
            assertThat(steady.answeredBy()).containsOnlyKeys("rs1");
            assertThat(steady.established()).isEqualTo(2);
            assertThat(steady.kept()).isEqualTo(2);
            assertThat(steady.broken()).isEmpty();

            rs.close(); // every connection ends: the long-lived ones break, new ones fail
            Thread.sleep(600);
            ClientReport after = read(client, established);
            assertThat(after.failed()).isPositive();
            assertThat(after.established()).isEqualTo(2);
            assertThat(after.broken()).hasSize(2);
            assertThat(after.kept()).isZero();
            assertThat(after.longestOutageMillis()).isPositive();
            assertThat(read(client, start).requests()).isGreaterThan(steady.requests());
        }
    }

    @Test
    void sinceParameter() {
        assertThat(DrillClient.sinceParameter(URI.create("/report?since=123"))).isEqualTo(123);
        assertThat(DrillClient.sinceParameter(URI.create("/report"))).isZero();
        assertThat(DrillClient.sinceParameter(URI.create("/report?x=1&since=7"))).isEqualTo(7);
        assertThat(DrillClient.sinceParameter(URI.create("/report?since=abc"))).isEqualTo(-1);
    }

    private static ClientReport read(DrillClient client, long since) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            InetSocketAddress a = client.reportAddress();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://"
                    + a.getAddress().getHostAddress() + ":" + a.getPort() + "/report?since=" + since)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            return ClientReport.from(io.tandem.director.run.JsonReader.read(r.body()));
        }
    }
}
