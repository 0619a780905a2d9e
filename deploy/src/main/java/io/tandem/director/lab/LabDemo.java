package io.tandem.director.lab;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code tandem lab demo}: the whole product in the lab of DESIGN.md ({@link LabPair}). Two directors
 * run {@code tandem run} on one keepalived.conf (VRRPv3 at 100 ms holding the VIP and the NAT
 * gateway VIP, NAT virtual servers with TCP checks to two real servers, connection sync); a client
 * keeps opening connections to VIP:80 and holds long-lived streams to VIP:9000 while the demo cuts
 * the master's link (it goes to FAULT and releases the VIPs; the backup takes over with the synced
 * connection table), then gives it back (it preempts after preempt_delay). The report says, per
 * phase, what the client saw, how many established connections were kept, and who was master.
 * Everything it builds is removed at the end, also on failure or Ctrl-C.
 */
public final class LabDemo {
    static final Duration PHASE = Duration.ofSeconds(4);
    static final int STREAMS = 20;

    private final PrintWriter out;
    private final Path work;
    private final List<String> launcher;

    /**
     * @param launcher the command line that runs {@code io.tandem.director.Main} (java, options, class path)
     */
    public LabDemo(PrintWriter out, Path work, List<String> launcher) {
        this.out = out;
        this.work = work;
        this.launcher = List.copyOf(launcher);
    }

    /** What the demo saw; {@link #passed()} when every phase went as a pair should. */
    public record Result(Phase steady, Phase failover, Phase failback, List<String> vrrpMetrics) {
        public boolean passed() {
            return steady.served() && steady.traffic().answeredBy().size() == 2
                    && "director-a".equals(steady.master()) && "director-b".equals(failover.master())
                    && "director-a".equals(failback.master())
                    && failover.served() && failback.served() && failover.kept() && failback.kept();
        }
    }

    /** One phase: what the client's new connections and its long-lived streams saw, and who was master after. */
    public record Phase(String name, TrafficProbe.Report traffic, int streams, List<String> brokenStreams,
            long longestStallMillis, String master) {
        /** Nearly every request answered and no outage of 2 s or more (a failover at 100 ms adverts is ~0.4 s). */
        public boolean served() {
            return traffic.requests() > 0 && traffic.answered() * 100 >= traffic.requests() * 95
                    && traffic.longestOutage().compareTo(Duration.ofSeconds(2)) < 0;
        }

        /** Every established stream went on, with no reset and no lost or duplicated byte. */
        public boolean kept() {
            return brokenStreams.isEmpty();
        }

        String line() {
            TrafficProbe.Report r = traffic;
            return ("%-26s requests %4d  answered %4d  failed %3d  longest outage %4d ms  by %s  streams kept %d/%d"
                    + " (longest stall %d ms)  master %s").formatted(name, r.requests(), r.answered(), r.failed(),
                    r.longestOutage().toMillis(), r.answeredBy(), streams - brokenStreams.size(), streams,
                    longestStallMillis, master) + (r.failures().isEmpty() ? "" : "  failures " + r.failures());
        }
    }

    public Result run() throws Exception {
        try (LabPair pair = LabPair.create(work, launcher)) {
            out.printf("lab %s: client, router, director-a, director-b, rs1, rs2 (DESIGN.md's addresses)%n",
                    pair.lab().prefix());
            pair.startDirectors();
            out.printf("directors started (pids %d, %d); director-a is master, director-b its backup%n",
                    pair.director(0).pid(), pair.director(1).pid());
            out.printf("VIP:80 answered the client %d ms later%n", pair.awaitServed());
            out.flush();
            try (SequenceStreams streams = pair.openStreams(STREAMS)) {
                Phase steady = phase(pair, streams, "1. steady state", PHASE, () -> { });
                Phase failover = phase(pair, streams, "2. master link cut", PHASE.plusSeconds(2), () -> {
                    out.printf("   %s cutting director-a's link at the switch (its bridge port down)%n",
                            java.time.LocalTime.now());
                    pair.setLink(0, false);
                    pair.awaitState(pair.host(1), "MASTER");
                });
                Phase failback = phase(pair, streams, "3. link back, preemption", PHASE.plusSeconds(6), () -> {
                    out.printf("   giving director-a its link back (higher priority: it preempts after"
                            + " preempt_delay 5 s)%n");
                    pair.setLink(0, true);
                    pair.awaitState(pair.host(0), "MASTER");
                    pair.awaitState(pair.host(1), "BACKUP");
                });
                List<String> vrrpMetrics = LabPair.get(pair.host(0), "/metrics").lines()
                        .filter(l -> l.startsWith("keepalived_vrrp_state")
                                || l.startsWith("keepalived_become_master_total")
                                || l.startsWith("keepalived_advertisements_received_total"))
                        .toList();
                out.printf("director-a /metrics (keepalived-exporter names):%n");
                vrrpMetrics.forEach(l -> out.printf("   %s%n", l));
                Result result = new Result(steady, failover, failback, vrrpMetrics);
                out.printf("%nresult: %s%n", result.passed() ? "PASS (one master at a time, the VIP served"
                        + " throughout, both real servers used, every established connection kept)" : "FAIL");
                out.printf("director logs: %s, %s%n", pair.logFile(0), pair.logFile(1));
                if (!result.passed()) {
                    for (int i = 0; i < 2; i++) {
                        out.printf("--- %s (transitions, health, sync)%n", pair.logFile(i).getFileName());
                        pair.logHighlights(i).forEach(out::println);
                    }
                }
                out.flush();
                return result;
            }
        }
    }

    /** An action inside a phase, with the probe already running. */
    interface Action {
        void run() throws Exception;
    }

    /**
     * Runs the probe for {@code duration}, does {@code action} one second in, and reports what the
     * client saw and who was master at the end.
     */
    Phase phase(LabPair pair, SequenceStreams streams, String name, Duration duration, Action action)
            throws Exception {
        return phase(out, pair, streams, name, duration, action);
    }

    static Phase phase(PrintWriter out, LabPair pair, SequenceStreams streams, String name, Duration duration,
            Action action) throws Exception {
        List<String> brokenBefore = streams.errors();
        streams.resetGaps();
        // a thread of its own: the common pool has one thread on a 2-core machine, which a drill's
        // sampler may hold for the whole phase
        CompletableFuture<TrafficProbe.Report> probe = new CompletableFuture<>();
        Thread.ofPlatform().name("lab-probe").daemon().start(() -> {
            try {
                probe.complete(pair.probe(duration));
            } catch (Exception | Error e) {
                probe.completeExceptionally(e);
            }
        });
        Thread.sleep(1000);
        action.run();
        TrafficProbe.Report traffic = probe.get(duration.toSeconds() + 60, java.util.concurrent.TimeUnit.SECONDS);
        List<String> broken = streams.errors().stream().filter(e -> !brokenBefore.contains(e)).toList();
        Phase phase = new Phase(name, traffic, streams.size() - brokenBefore.size(), broken,
                streams.longestGapMillis(), pair.master());
        out.println(phase.line());
        broken.forEach(b -> out.printf("   broken: %s%n", b));
        out.flush();
        return phase;
    }
}
