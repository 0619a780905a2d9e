package io.tandem.healthcheck.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tandem.core.process.ProcessRunner;
import io.tandem.healthcheck.HealthEvent;
import io.tandem.healthcheck.HealthEvent.RealServerDown;
import io.tandem.healthcheck.HealthEvent.RealServerUp;
import io.tandem.healthcheck.HealthListener;
import io.tandem.healthcheck.config.CheckerKind;
import io.tandem.healthcheck.config.CheckerOptions;
import io.tandem.healthcheck.config.HttpCheckConfig;
import io.tandem.healthcheck.config.MiscCheckConfig;
import io.tandem.healthcheck.config.OptionOverrides;
import io.tandem.healthcheck.config.RealServerConfig;
import io.tandem.healthcheck.config.TcpCheckConfig;
import io.tandem.healthcheck.config.UrlCheck;
import io.tandem.healthcheck.config.VirtualServiceConfig;
import io.tandem.healthcheck.metrics.HealthMetrics;
import io.tandem.healthcheck.netty.CheckTransport;
import io.tandem.healthcheck.netty.NettyCheckers;
import io.tandem.healthcheck.support.LoopbackServer;
import io.tandem.healthcheck.support.Transports;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The whole chain in real time on a Netty event loop: HTTP_GET, TCP_CHECK and
 * MISC_CHECK on one real server, the server stopped (down within
 * delay_loop x (retry + 1) + connect_timeout) and restarted (up again), and
 * the metrics it leaves.
 */
class HealthMonitorLoopbackTest {
    private static final Duration DELAY_LOOP = Duration.ofMillis(400);
    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(300);
    private static final int RETRY = 1;

    @Test
    void stoppedServerGoesDownWithinTheBoundAndComesBack() throws Exception {
        CheckTransport transport = Transports.create();
        ProcessRunner processes = new ProcessRunner();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        HealthMetrics metrics = new HealthMetrics(registry);
        BlockingQueue<Timed> events = new LinkedBlockingQueue<>();
        HealthListener listener = e -> {
            metrics.onEvent(e);
            events.add(new Timed(e, System.nanoTime()));
        };
        try (LoopbackServer server = LoopbackServer.start("127.0.0.1", null, LoopbackServer.silent())) {
            server.behaviour = server.http(200, "ok");
            OptionOverrides o = OptionOverrides.builder().delayLoop(DELAY_LOOP).connectTimeout(CONNECT_TIMEOUT)
                    .retry(RETRY).delayBeforeRetry(Duration.ofMillis(100)).warmup(Duration.ZERO).build();
            CheckerOptions http = o.resolve(CheckerKind.HTTP_GET, server.address());
            CheckerOptions tcp = o.resolve(CheckerKind.TCP_CHECK, server.address());
            CheckerOptions misc = o.resolve(CheckerKind.MISC_CHECK, server.address());
            RealServerConfig rs = new RealServerConfig(server.address(), 3, true, null, null, List.of(
                    HttpCheckConfig.of(http, false, List.of(UrlCheck.path("/"))), new TcpCheckConfig(tcp),
                    new MiscCheckConfig(misc, List.of("/bin/true"), Duration.ofSeconds(2), false, null)));
            var loop = transport.group().next();
            HealthMonitor monitor = new HealthMonitor(new EventLoopScheduler(loop),
                    new NettyCheckers(transport, processes, () -> {
                        throw new IllegalStateException("no PING_CHECK here");
                    }), listener, metrics, new SplittableRandom(3));
            monitor.apply(List.of(VirtualServiceConfig.of("web", List.of(rs))));

            assertThat(next(events).event()).isEqualTo(new RealServerUp("web", server.address(), 3));
            // let a few rounds pass, then stop the server
            Thread.sleep(DELAY_LOOP.toMillis() * 2);
            long stopped = System.nanoTime();
            server.stop();
            Timed down = next(events);
            assertThat(down.event()).isEqualTo(new RealServerDown("web", server.address(),
                    HealthEvent.Disposition.DRAIN));
            double detection = (down.nanos() - stopped) / 1e9;
            double bound = (DELAY_LOOP.toMillis() * (RETRY + 1) + CONNECT_TIMEOUT.toMillis()) / 1000.0;
            System.out.printf("detection %.3f s (bound %.3f s)%n", detection, bound);
            // the bound plus scheduling slack for a loaded 2-core machine
            assertThat(detection).isLessThanOrEqualTo(bound + 0.25);
            assertThat(next(events).event()).isInstanceOf(HealthEvent.QuorumLost.class);

            long restarted = System.nanoTime();
            server.restart();
            assertThat(next(events).event()).isEqualTo(new RealServerUp("web", server.address(), 3));
            assertThat(next(events).event()).isInstanceOf(HealthEvent.QuorumRegained.class);
            double recovery = (System.nanoTime() - restarted) / 1e9;
            assertThat(recovery).isLessThanOrEqualTo(DELAY_LOOP.toMillis() / 1000.0 + 0.25);

            String rsTag = "127.0.0.1:" + server.port();
            // the checker that took the server down failed retry + 1 = 2 times (an attempt caught by the stop
            // may fail otherwise than refused, e.g. closed before a response)
            assertThat(registry.get("tandem.healthcheck.checks").tag("real_server", rsTag).tag("result", "failure")
                    .counters().stream().mapToDouble(c -> c.count()).sum()).isGreaterThanOrEqualTo(2);
            assertThat(registry.get("tandem.healthcheck.checks").tag("real_server", rsTag).tag("reason", "refused")
                    .counters().stream().mapToDouble(c -> c.count()).sum()).isGreaterThanOrEqualTo(1);
            assertThat(registry.get("tandem.healthcheck.checks").tag("checker", "MISC_CHECK")
                    .tag("result", "success").counter().count()).isGreaterThanOrEqualTo(2);
            assertThat(registry.get("tandem.healthcheck.latency").tag("checker", "TCP_CHECK").timer().count())
                    .isGreaterThanOrEqualTo(3);
            assertThat(registry.get("tandem.healthcheck.real_server.up").tag("real_server", rsTag).gauge().value())
                    .isEqualTo(1.0);
            assertThat(registry.get("tandem.healthcheck.quorum.up").tag("service", "web").gauge().value())
                    .isEqualTo(1.0);
            monitor.close();
        } finally {
            processes.close();
            Transports.close(transport);
        }
    }

    private record Timed(HealthEvent event, long nanos) {
    }

    private static Timed next(BlockingQueue<Timed> events) throws InterruptedException {
        Timed t = events.poll(10, TimeUnit.SECONDS);
        assertThat(t).as("an event within 10 s").isNotNull();
        return t;
    }
}
