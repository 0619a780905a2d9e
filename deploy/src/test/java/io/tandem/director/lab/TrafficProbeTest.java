package io.tandem.director.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TrafficProbeTest {

    @Test
    void countsAnswersPerServerOverLoopback() throws Exception {
        try (DemoHttpServer rs = DemoHttpServer.start("rs1", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            TrafficProbe probe = new TrafficProbe(new InetSocketAddress(InetAddress.getLoopbackAddress(), rs.port()),
                    Duration.ofMillis(500), System::nanoTime);
            TrafficProbe.Report report = probe.run(Duration.ofMillis(300), Duration.ofMillis(10));
            assertThat(report.failed()).isZero();
            assertThat(report.answered()).isEqualTo(report.requests()).isGreaterThan(5);
            assertThat(report.answeredBy()).containsOnlyKeys("rs1");
            assertThat(rs.served()).isEqualTo(report.answered());
            assertThat(report.longestOutage()).isZero();
            assertThat(report.toJson()).contains("\"answered_by\":{\"rs1\":" + report.answered() + "}");
        }
    }

    /** A server that stops and comes back on the same port: the probe measures the gap it saw. */
    @Test
    void measuresTheOutageBetweenTwoAnswers() throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        DemoHttpServer first = DemoHttpServer.start("rs1", any);
        int port = first.port();
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        TrafficProbe probe = new TrafficProbe(target, Duration.ofMillis(200), System::nanoTime);
        Thread restarter = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(200);
                first.close();
                Thread.sleep(400);
                DemoHttpServer.start("rs2", target).served();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        TrafficProbe.Report report = probe.run(Duration.ofMillis(1200), Duration.ofMillis(10));
        restarter.join();
        assertThat(report.failed()).isPositive();
        assertThat(report.answeredBy()).containsKeys("rs1", "rs2");
        assertThat(report.longestOutage()).isBetween(Duration.ofMillis(350), Duration.ofMillis(900));
    }

    @Test
    void nothingListeningMeansEveryRequestFails() throws Exception {
        InetSocketAddress closed;
        try (DemoHttpServer rs = DemoHttpServer.start("x", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            closed = new InetSocketAddress(InetAddress.getLoopbackAddress(), rs.port());
        }
        TrafficProbe.Report report = new TrafficProbe(closed, Duration.ofMillis(100), System::nanoTime)
                .run(Duration.ofMillis(100), Duration.ofMillis(20));
        assertThat(report.answered()).isZero();
        assertThat(report.failed()).isEqualTo(report.requests()).isPositive();
        assertThat(report.longestOutage()).isGreaterThanOrEqualTo(Duration.ofMillis(80));
    }
}
