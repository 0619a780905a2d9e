package io.tandem.healthcheck.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tandem.healthcheck.CheckObserver;
import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.FailureReason;
import io.tandem.healthcheck.HealthEvent;
import io.tandem.healthcheck.config.CheckerKind;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Results, latencies and states per real server, as the director's /metrics shows them. */
class HealthMetricsTest {
    private static final InetSocketAddress RS1 = new InetSocketAddress("10.0.0.11", 80);
    private static final InetSocketAddress RS2 = new InetSocketAddress("10.0.0.12", 80);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HealthMetrics metrics = new HealthMetrics(registry);

    private double checks(InetSocketAddress rs, String result, String reason) {
        var c = registry.find("tandem.healthcheck.checks").tag("service", "vs").tag("real_server",
                rs.getAddress().getHostAddress() + ":80").tag("checker", "HTTP_GET").tag("result", result)
                .tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void resultsAndLatenciesPerRealServerAndChecker() {
        CheckObserver.Sink one = metrics.sink("vs", RS1, CheckerKind.HTTP_GET);
        CheckObserver.Sink two = metrics.sink("vs", RS2, CheckerKind.HTTP_GET);
        one.onResult(CheckResult.ok(), TimeUnit.MILLISECONDS.toNanos(2));
        one.onResult(CheckResult.ok(), TimeUnit.MILLISECONDS.toNanos(4));
        one.onResult(CheckResult.failed(FailureReason.BAD_STATUS, "404"), TimeUnit.MILLISECONDS.toNanos(6));
        two.onResult(CheckResult.failed(FailureReason.TIMEOUT, "silent"), TimeUnit.SECONDS.toNanos(1));
        int meters = registry.getMeters().size();
        for (int i = 0; i < 100; i++) {
            one.onResult(CheckResult.ok(), 1000);
        }
        assertThat(registry.getMeters()).as("results of known kinds make no new meters").hasSize(meters);

        assertThat(checks(RS1, "success", "none")).isEqualTo(102);
        assertThat(checks(RS1, "failure", "bad_status")).isEqualTo(1);
        assertThat(checks(RS2, "failure", "timeout")).isEqualTo(1);
        assertThat(checks(RS2, "success", "none")).isZero();
        var latency = registry.find("tandem.healthcheck.latency").tag("real_server", "10.0.0.11:80").timer();
        assertThat(latency.count()).isEqualTo(103);
        assertThat(latency.totalTime(TimeUnit.MICROSECONDS)).isEqualTo(12_000 + 100);
        assertThat(latency.max(TimeUnit.MILLISECONDS)).isEqualTo(6);

        // the sink of the same checker made again (a reload) counts on the same meters
        metrics.sink("vs", RS1, CheckerKind.HTTP_GET).onResult(CheckResult.ok(), 1000);
        assertThat(checks(RS1, "success", "none")).isEqualTo(103);
    }

    @Test
    void currentStatePerRealServerAndService() {
        metrics.onEvent(new HealthEvent.RealServerUp("vs", RS1, 3));
        metrics.onEvent(new HealthEvent.RealServerDown("vs", RS2, HealthEvent.Disposition.DRAIN));
        assertThat(gauge("tandem.healthcheck.real_server.up", RS1)).isEqualTo(1);
        assertThat(gauge("tandem.healthcheck.real_server.weight", RS1)).isEqualTo(3);
        assertThat(gauge("tandem.healthcheck.real_server.up", RS2)).isZero();
        metrics.onEvent(new HealthEvent.RealServerWeightChanged("vs", RS1, 3, 7));
        assertThat(gauge("tandem.healthcheck.real_server.weight", RS1)).isEqualTo(7);
        assertThat(registry.get("tandem.healthcheck.quorum.up").tag("service", "vs").gauge().value()).isEqualTo(1);
        metrics.onEvent(new HealthEvent.QuorumLost("vs", 0, null));
        assertThat(registry.get("tandem.healthcheck.quorum.up").tag("service", "vs").gauge().value()).isZero();
        metrics.onEvent(new HealthEvent.QuorumRegained("vs", 7));
        assertThat(registry.get("tandem.healthcheck.quorum.up").tag("service", "vs").gauge().value()).isEqualTo(1);
    }

    private double gauge(String name, InetSocketAddress rs) {
        return registry.get(name).tag("service", "vs").tag("real_server", rs.getAddress().getHostAddress() + ":80")
                .gauge().value();
    }
}
