package io.tandem.director.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.forwarder.api.ConnectionSnapshot;
import io.tandem.forwarder.api.RealServerSnapshot;
import io.tandem.forwarder.api.ServiceSnapshot;
import io.tandem.forwarder.api.Stats;
import io.tandem.forwarder.conn.ForwardMethod;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** /status written by the director and read back by the CLI gives the same snapshots. */
class StatusReportTest {
    private static final InetAddress VIP = InetAddress.ofLiteral("10.77.0.100");
    private static final InetAddress RS1 = InetAddress.ofLiteral("10.77.0.11");
    private static final InetAddress RS2 = InetAddress.ofLiteral("10.77.0.12");

    @Test
    void servicesAndConnectionsSurviveTheRoundTrip() {
        Stats rs1 = new Stats(5, 25, 24, 1875, 2410, 1, 2, 3, 4, 5);
        Stats rs2 = new Stats(7, 35, 30, 2000, 9000, 0, 0, 0, 0, 0);
        Stats total = new Stats(12, 60, 54, 3875, 11410, 1, 2, 3, 4, 5);
        ServiceSnapshot service = new ServiceSnapshot(6, VIP, 80, 0, "wrr", 300, InetAddress.ofLiteral("255.255.255.0"),
                false, total, List.of(
                        new RealServerSnapshot(RS1, 8080, ForwardMethod.NAT, 0, 0, 5, 0, rs1),
                        new RealServerSnapshot(RS2, 8080, ForwardMethod.FULLNAT, 3, 2, 5, 0, rs2)));
        ConnectionSnapshot conn = new ConnectionSnapshot(6, 112, "ESTABLISHED", InetAddress.ofLiteral("10.77.1.10"),
                40000, VIP, 80, RS2, 8080);

        String json = Json.write(StatusReport.write("MASTER", "static", List.of(service), List.of(conn), 4096,
                Map.of("dropped", 3L), (s, rs) -> rs.getAddress().equals(RS1)
                        ? Optional.of(new StatusReport.Health(false, 0)) : Optional.empty()));
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) JsonReader.read(json);

        assertThat(doc).containsEntry("state", "MASTER").containsEntry("table_size", 4096L);
        assertThat(StatusReport.services(doc)).containsExactly(service);
        assertThat(StatusReport.connections(doc)).containsExactly(conn);
        assertThat(json).contains("\"address\":\"10.77.0.11\",\"port\":8080,\"forward\":\"NAT\",\"weight\":0,")
                .contains("\"health\":\"down\"").contains("\"health\":\"unknown\"");
    }

    @Test
    void theReaderTakesEscapesNestingAndNumbers() {
        Object doc = JsonReader.read(" {\"a\\\"b\": [1, -2, 3.5, true, false, null, \"x\\u0041\\n\"], \"c\": {}} ");
        assertThat(doc).isEqualTo(Map.of("a\"b", java.util.Arrays.asList(1L, -2L, 3.5, true, false, null, "xA\n"),
                "c", Map.of()));
        assertThat(Json.write(Map.of("k", "q\"\\\t"))).isEqualTo("{\"k\":\"q\\\"\\\\\\t\"}");
    }

    @Test
    void badJsonIsReportedWithItsOffset() {
        assertThatThrownBy(() -> JsonReader.read("{\"a\": [1, 2}"))
                .hasMessage("invalid JSON at offset 11: '}' (expected: ',')");
        assertThatThrownBy(() -> JsonReader.read("{} x")).hasMessageContaining("(expected: end of input)");
    }
}
