package io.tandem.healthcheck.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.FailureReason;
import io.tandem.healthcheck.HealthEvent;
import io.tandem.healthcheck.HealthEvent.Disposition;
import io.tandem.healthcheck.HealthEvent.QuorumLost;
import io.tandem.healthcheck.HealthEvent.QuorumRegained;
import io.tandem.healthcheck.HealthEvent.RealServerDown;
import io.tandem.healthcheck.HealthEvent.RealServerUp;
import io.tandem.healthcheck.HealthEvent.RealServerWeightChanged;
import io.tandem.healthcheck.config.CheckerConfig;
import io.tandem.healthcheck.config.CheckerKind;
import io.tandem.healthcheck.config.OptionOverrides;
import io.tandem.healthcheck.config.RealServerConfig;
import io.tandem.healthcheck.config.TcpCheckConfig;
import io.tandem.healthcheck.config.VirtualServiceConfig;
import io.tandem.healthcheck.support.FakeChecker;
import io.tandem.healthcheck.support.VirtualScheduler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The schedule, rise/fall, quorum and reload logic on a virtual clock. */
class HealthMonitorTest {
    private final VirtualScheduler clock = new VirtualScheduler();
    private final List<HealthEvent> events = new ArrayList<>();
    private final List<String> results = new ArrayList<>();
    /** The latest fake checker made for each connect address. */
    private final Map<InetSocketAddress, FakeChecker> checkers = new LinkedHashMap<>();
    private final HealthMonitor monitor = new HealthMonitor(clock, this::fake, events::add,
            (service, rs, kind, result, latency) -> results.add(rs.getPort() + " " + result.reason()),
            new SplittableRandom(7));

    private FakeChecker fake(CheckerConfig config) {
        FakeChecker old = checkers.get(config.options().connectTo());
        FakeChecker c = new FakeChecker(config, clock);
        if (old != null) {
            c.serverUp = old.serverUp;
        }
        checkers.put(config.options().connectTo(), c);
        return c;
    }

    private static InetSocketAddress rs(int n) {
        return new InetSocketAddress("127.0.0." + n, 80);
    }

    private static OptionOverrides.Builder opts() {
        return OptionOverrides.builder().delayLoop(Duration.ofSeconds(10)).warmup(Duration.ZERO)
                .connectTimeout(Duration.ofSeconds(3)).retry(1).delayBeforeRetry(Duration.ofSeconds(2));
    }

    private static CheckerConfig tcp(InetSocketAddress rs, OptionOverrides o) {
        return new TcpCheckConfig(o.resolve(CheckerKind.TCP_CHECK, rs));
    }

    private static RealServerConfig server(int n, OptionOverrides o) {
        return RealServerConfig.of(rs(n), 1, List.of(tcp(rs(n), o)));
    }

    private FakeChecker checker(int n) {
        return checkers.get(rs(n));
    }

    /** The real-server events only (quorum events filtered out). */
    private List<HealthEvent> rsEvents() {
        return events.stream().filter(e -> !(e instanceof QuorumLost || e instanceof QuorumRegained)).toList();
    }

    private void advance(double seconds) {
        clock.advance(Duration.ofMillis((long) (seconds * 1000)));
    }

    @Test
    void startsUpAndRetriesBeforeGoingDown() {
        monitor.apply(List.of(VirtualServiceConfig.of("vs", List.of(server(1, opts().build())))));
        assertThat(events).containsExactly(new RealServerUp("vs", rs(1), 1));
        advance(0);
        assertThat(checker(1).attempts()).containsExactly(0.0);

        checker(1).serverUp = false;
        advance(10);
        assertThat(checker(1).attempts()).containsExactly(0.0, 10.0);
        assertThat(events).hasSize(1);
        advance(2);
        // retry 1: the second failure, delay_before_retry after the first, takes it down
        assertThat(checker(1).attempts()).containsExactly(0.0, 10.0, 12.0);
        assertThat(events).containsExactly(new RealServerUp("vs", rs(1), 1),
                new RealServerDown("vs", rs(1), Disposition.REMOVE), new QuorumLost("vs", 0, null));
        assertThat(results).containsExactly("80 NONE", "80 REFUSED", "80 REFUSED");

        checker(1).serverUp = true;
        advance(10);
        assertThat(checker(1).attempts()).last().isEqualTo(22.0);
        assertThat(events.subList(3, events.size())).containsExactly(new RealServerUp("vs", rs(1), 1),
                new QuorumRegained("vs", 1));
    }

    @Test
    void detectionStaysWithinDelayLoopTimesRetryPlusOnePlusConnectTimeout() {
        // delay_loop 10, retry 2, delay_before_retry 2, connect_timeout 3 -> bound 10 x 3 + 3 = 33 s
        OptionOverrides o = opts().retry(2).build();
        double bound = 10 * (2 + 1) + 3;
        for (boolean silent : new boolean[] {false, true}) {
            for (double stopAt = 0.5; stopAt < 10; stopAt += 1.5) {
                VirtualScheduler c = new VirtualScheduler();
                List<HealthEvent> ev = new ArrayList<>();
                List<FakeChecker> made = new ArrayList<>();
                HealthMonitor m = new HealthMonitor(c, cfg -> {
                    FakeChecker f = new FakeChecker(cfg, c);
                    made.add(f);
                    return f;
                }, ev::add, (s, r, k, res, l) -> { }, new SplittableRandom(1));
                m.apply(List.of(VirtualServiceConfig.of("vs", List.of(server(1, o)))));
                c.advance(Duration.ofMillis((long) (stopAt * 1000)));
                made.getFirst().serverUp = false;
                made.getFirst().silentWhenDown = silent;
                double stopped = c.seconds();
                while (ev.stream().noneMatch(RealServerDown.class::isInstance) && c.seconds() < 100) {
                    c.advance(Duration.ofMillis(100));
                }
                assertThat(ev).hasAtLeastOneElementOfType(RealServerDown.class);
                assertThat(c.seconds() - stopped).as("silent=%s stop at %s", silent, stopAt)
                        .isLessThanOrEqualTo(bound);
            }
        }
    }

    @Test
    void riseAndFallCountWholeChecks() {
        OptionOverrides o = opts().retry(0).rise(3).fall(2).build();
        monitor.apply(List.of(VirtualServiceConfig.of("vs", List.of(server(1, o)))));
        advance(0);
        checker(1).serverUp = false;
        advance(10);
        assertThat(events).hasSize(1);
        advance(10);
        // fall 2: the second failed check (t = 20 s) takes it down
        assertThat(rsEvents()).last().isEqualTo(new RealServerDown("vs", rs(1), Disposition.REMOVE));
        checker(1).serverUp = true;
        advance(20);
        assertThat(rsEvents()).hasSize(2);
        advance(10);
        // rise 3: passes at 30, 40 and 50 s bring it up
        assertThat(rsEvents()).hasSize(3).last().isEqualTo(new RealServerUp("vs", rs(1), 1));
        assertThat(events).last().isEqualTo(new QuorumRegained("vs", 1));
        assertThat(clock.seconds()).isEqualTo(50.0);
    }

    @Test
    void alphaStartsDownAndWarmupSpreadsFirstChecks() {
        OptionOverrides o = opts().alpha(true).warmup(Duration.ofSeconds(10)).build();
        List<RealServerConfig> servers = List.of(server(1, o), server(2, o), server(3, o));
        monitor.apply(List.of(VirtualServiceConfig.of("vs", servers)));
        assertThat(events).containsExactly(new RealServerDown("vs", rs(1), Disposition.REMOVE),
                new RealServerDown("vs", rs(2), Disposition.REMOVE),
                new RealServerDown("vs", rs(3), Disposition.REMOVE), new QuorumLost("vs", 0, null));
        advance(10);
        List<Double> firsts = checkers.values().stream().map(c -> c.attempts().getFirst()).toList();
        assertThat(firsts).allMatch(t -> t >= 0 && t <= 10).doesNotHaveDuplicates();
        assertThat(events.subList(4, events.size())).filteredOn(RealServerUp.class::isInstance).hasSize(3);
    }

    @Test
    void logAllFailuresLogsEveryFailedAttemptNotOnlyTheStateChange() {
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(CheckerRunner.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        log.addAppender(appender);
        try {
            // rs1 logs all failures, rs2 does not; both retry once
            RealServerConfig rs1 = RealServerConfig.of(rs(1), 1, List.of(tcp(rs(1), opts().logAllFailures(true)
                    .build())));
            monitor.apply(List.of(VirtualServiceConfig.of("vs", List.of(rs1, server(2, opts().build())))));
            advance(0);
            checker(1).serverUp = false;
            checker(2).serverUp = false;
            advance(10);
            advance(2);
            List<String> lines = appender.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                    .toList();
            assertThat(lines).filteredOn(l -> l.contains("127.0.0.1:80")).containsExactly(
                    "vs 127.0.0.1:80 TCP_CHECK: check failed (1 of 2 tries): REFUSED: simulated refusal",
                    "vs 127.0.0.1:80 TCP_CHECK: check failed (2 of 2 tries): REFUSED: simulated refusal",
                    "vs 127.0.0.1:80 TCP_CHECK: UP -> DOWN (REFUSED: simulated refusal)");
            assertThat(lines).filteredOn(l -> l.contains("127.0.0.2:80")).containsExactly(
                    "vs 127.0.0.2:80 TCP_CHECK: UP -> DOWN (REFUSED: simulated refusal)");
        } finally {
            log.detachAppender(appender);
        }
    }

    @Test
    void everyCheckerOfARealServerMustPass() {
        OptionOverrides o = opts().retry(0).build();
        InetSocketAddress other = new InetSocketAddress("127.0.0.1", 8080);
        RealServerConfig rs1 = RealServerConfig.of(rs(1), 1, List.of(tcp(rs(1), o), tcp(other, o)));
        monitor.apply(List.of(VirtualServiceConfig.of("vs", List.of(rs1))));
        advance(0);
        checkers.get(other).serverUp = false;
        advance(10);
        assertThat(events).last().isInstanceOf(QuorumLost.class);
        assertThat(events).contains(new RealServerDown("vs", rs(1), Disposition.REMOVE));
        checkers.get(other).serverUp = true;
        advance(10);
        assertThat(events).contains(new RealServerUp("vs", rs(1), 1)).last().isInstanceOf(QuorumRegained.class);
    }

    @Test
    void inhibitOnFailureDrainsInsteadOfRemoving() {
        OptionOverrides o = opts().retry(0).build();
        RealServerConfig rs1 = new RealServerConfig(rs(1), 5, true, null, null, List.of(tcp(rs(1), o)));
        monitor.apply(List.of(VirtualServiceConfig.of("vs", List.of(rs1, server(2, o)))));
        advance(0);
        checker(1).serverUp = false;
        advance(10);
        assertThat(events).contains(new RealServerDown("vs", rs(1), Disposition.DRAIN));
    }

    @Test
    void quorumHasHysteresisAndNamesTheSorryServer() {
        OptionOverrides o = opts().retry(0).build();
        InetSocketAddress sorry = new InetSocketAddress("127.0.0.99", 80);
        List<RealServerConfig> servers = List.of(server(1, o), server(2, o), server(3, o), server(4, o));
        // quorum 3, hysteresis 1: lost below 2, regained at 4
        monitor.apply(List.of(new VirtualServiceConfig("vs", servers, 3, 1, null, null, sorry)));
        advance(0);
        checker(1).serverUp = false;
        checker(2).serverUp = false;
        advance(10);
        assertThat(events).noneMatch(QuorumLost.class::isInstance);
        checker(3).serverUp = false;
        advance(10);
        assertThat(events).last().isEqualTo(new QuorumLost("vs", 1, sorry));
        checker(1).serverUp = true;
        checker(2).serverUp = true;
        advance(10);
        assertThat(events).last().isNotInstanceOf(QuorumRegained.class);
        checker(3).serverUp = true;
        advance(10);
        assertThat(events).last().isEqualTo(new QuorumRegained("vs", 4));
    }

    @Test
    void dynamicWeightIsReportedAndCountsForQuorum() {
        OptionOverrides o = opts().retry(0).build();
        monitor.apply(List.of(new VirtualServiceConfig("vs", List.of(server(1, o)), 5, 0, null, null, null)));
        assertThat(events).last().isEqualTo(new QuorumLost("vs", 1, null));
        checker(1).success = CheckResult.ok(7);
        advance(0);
        assertThat(events).containsSubsequence(new RealServerWeightChanged("vs", rs(1), 1, 7),
                new QuorumRegained("vs", 7));
        checker(1).success = CheckResult.ok(0);
        advance(10);
        assertThat(events).last().isEqualTo(new QuorumLost("vs", 0, null));
    }

    @Test
    void aHungCheckerTimesOutThroughTheGuard() {
        OptionOverrides o = opts().retry(0).build();
        monitor.apply(List.of(VirtualServiceConfig.of("vs", List.of(server(1, o), server(2, o)))));
        checker(1).hung = true;
        advance(0);
        advance(3 + 1);
        assertThat(results).contains("80 TIMEOUT");
        assertThat(events).contains(new RealServerDown("vs", rs(1), Disposition.REMOVE));
    }

    @Test
    void reloadKeepsTheStateOfUnchangedCheckers() {
        OptionOverrides o = opts().retry(0).build();
        monitor.apply(List.of(VirtualServiceConfig.of("vs", List.of(server(1, o), server(2, o)))));
        advance(0);
        checker(1).serverUp = false;
        advance(5);
        advance(5);
        assertThat(events).contains(new RealServerDown("vs", rs(1), Disposition.REMOVE));
        int before = events.size();
        advance(3);

        // reload: rs1 unchanged, rs2 gets a new timeout (changed checker), rs3 new with alpha
        OptionOverrides changed = opts().retry(0).connectTimeout(Duration.ofSeconds(4)).build();
        RealServerConfig rs3 = server(3, opts().alpha(true).build());
        monitor.apply(List.of(VirtualServiceConfig.of("vs", List.of(server(1, o), server(2, changed), rs3))));
        assertThat(events.subList(before, events.size()))
                .containsExactly(new RealServerDown("vs", rs(3), Disposition.REMOVE));
        assertThat(monitor.status()).extracting(s -> s.realServer().getAddress().getHostAddress() + "=" + s.up())
                .containsExactly("127.0.0.1=false", "127.0.0.2=true", "127.0.0.3=false");
        // rs1's migrated schedule keeps its next attempt at t = 20 s, not a fresh warmup
        FakeChecker migrated = checker(1);
        advance(6.9);
        assertThat(migrated.attempts()).isEmpty();
        advance(0.1);
        assertThat(migrated.attempts()).containsExactly(20.0);

        // removing rs2 stops its checks
        FakeChecker rs2 = checker(2);
        int rs2Attempts = rs2.attempts().size();
        monitor.apply(List.of(VirtualServiceConfig.of("vs", List.of(server(1, o)))));
        advance(60);
        assertThat(rs2.attempts()).hasSize(rs2Attempts);
    }

    @Test
    void closeStopsEverything() {
        monitor.apply(List.of(VirtualServiceConfig.of("vs", List.of(server(1, opts().build())))));
        advance(0);
        monitor.close();
        advance(100);
        assertThat(checker(1).attempts()).hasSize(1);
        assertThat(clock.pendingTasks()).isZero();
    }
}
