package io.tandem.healthcheck.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.tandem.healthcheck.CheckObserver;
import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.FailureReason;
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
 * Observes results ({@link CheckObserver}) and events ({@link HealthListener}). A checker's
 * {@link #sink} holds its timer and its counters (made on first use, per reason), so recording
 * a result costs no registry lookup.
 */
public final class HealthMetrics implements CheckObserver, HealthListener {
    private static final FailureReason[] REASONS = FailureReason.values();

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> gauges = new ConcurrentHashMap<>();

    public HealthMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onResult(String service, InetSocketAddress realServer, CheckerKind kind, CheckResult result,
            long latencyNanos) {
        sink(service, realServer, kind).onResult(result, latencyNanos);
    }

    @Override
    public Sink sink(String service, InetSocketAddress realServer, CheckerKind kind) {
        return new CheckerMeters(Tags.of("service", service, "real_server", address(realServer), "checker",
                kind.name()));
    }

    /** One checker's meters; Micrometer returns the same meter for the same name and tags. */
    private final class CheckerMeters implements Sink {
        private final Tags tags;
        private final Timer latency;
        private final Counter[] byReason = new Counter[REASONS.length];

        CheckerMeters(Tags tags) {
            this.tags = tags;
            this.latency = Timer.builder("tandem.healthcheck.latency").description("Health check attempt duration")
                    .tags(tags).register(registry);
        }

        @Override
        public void onResult(CheckResult result, long latencyNanos) {
            FailureReason reason = result.reason();
            Counter c = byReason[reason.ordinal()];
            if (c == null) {
                c = Counter.builder("tandem.healthcheck.checks").description("Health check attempts by outcome")
                        .tags(tags).tag("result", result.success() ? "success" : "failure")
                        .tag("reason", reason.label()).register(registry);
                byReason[reason.ordinal()] = c;
            }
            c.increment();
            latency.record(latencyNanos, TimeUnit.NANOSECONDS);
        }
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
