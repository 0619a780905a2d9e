package io.tandem.healthcheck.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.tandem.healthcheck.CheckObserver;
import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.HealthEvent;
import io.tandem.healthcheck.HealthListener;
import io.tandem.healthcheck.config.CheckerKind;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Health-check metrics through Micrometer (Prometheus names in brackets):
 * <ul>
 * <li>{@code tandem.healthcheck.checks} [{@code tandem_healthcheck_checks_total}]: attempts, tagged
 *     service, real_server, checker, result (success/failure) and reason;</li>
 * <li>{@code tandem.healthcheck.latency} [{@code tandem_healthcheck_latency_seconds}]: attempt time,
 *     tagged service, real_server, checker;</li>
 * <li>{@code tandem.healthcheck.real_server.up} (1/0) and {@code tandem.healthcheck.real_server.weight};</li>
 * <li>{@code tandem.healthcheck.quorum.up} (1/0) per service.</li>
 * </ul>
 * Observes results ({@link CheckObserver}) and events ({@link HealthListener}).
 */
public final class HealthMetrics implements CheckObserver, HealthListener {
    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> gauges = new ConcurrentHashMap<>();

    public HealthMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onResult(String service, InetSocketAddress realServer, CheckerKind kind, CheckResult result,
            long latencyNanos) {
        Tags tags = Tags.of("service", service, "real_server", address(realServer), "checker", kind.name());
        Counter.builder("tandem.healthcheck.checks").description("Health check attempts by outcome")
                .tags(tags).tag("result", result.success() ? "success" : "failure")
                .tag("reason", result.reason().label()).register(registry).increment();
        Timer.builder("tandem.healthcheck.latency").description("Health check attempt duration")
                .tags(tags).register(registry).record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void onEvent(HealthEvent event) {
        quorum(event.service());
        switch (event) {
            case HealthEvent.RealServerUp e -> {
                realServer("up", e.service(), e.realServer()).set(1);
                realServer("weight", e.service(), e.realServer()).set(e.weight());
            }
            case HealthEvent.RealServerDown e -> realServer("up", e.service(), e.realServer()).set(0);
            case HealthEvent.RealServerWeightChanged e ->
                    realServer("weight", e.service(), e.realServer()).set(e.newWeight());
            case HealthEvent.QuorumLost e -> quorum(e.service()).set(0);
            case HealthEvent.QuorumRegained e -> quorum(e.service()).set(1);
        }
    }

    private AtomicInteger realServer(String what, String service, InetSocketAddress rs) {
        String rsName = address(rs);
        return gauges.computeIfAbsent(what + "|" + service + "|" + rsName, k -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder("tandem.healthcheck.real_server." + what, value, AtomicInteger::get)
                    .tags("service", service, "real_server", rsName).register(registry);
            return value;
        });
    }

    private AtomicInteger quorum(String service) {
        return gauges.computeIfAbsent("quorum|" + service, k -> {
            AtomicInteger value = new AtomicInteger(1);
            Gauge.builder("tandem.healthcheck.quorum.up", value, AtomicInteger::get).tags("service", service)
                    .register(registry);
            return value;
        });
    }

    private static String address(InetSocketAddress a) {
        String ip = a.getAddress().getHostAddress();
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + a.getPort();
    }
}
