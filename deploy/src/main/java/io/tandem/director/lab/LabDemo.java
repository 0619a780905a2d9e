package io.tandem.director.lab;

import io.tandem.core.lab.Lab;
import io.tandem.core.lab.LabAddresses;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.LabOptions;
import io.tandem.core.lab.LabProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code tandem lab demo}: the whole product in the lab of DESIGN.md. Two directors run
 * {@code tandem run} on one keepalived.conf (a VRRPv3 instance at 100 ms holding the VIP
 * and the NAT gateway VIP, a NAT virtual server with TCP checks to two real servers);
 * a client keeps opening connections to VIP:80 while the demo cuts the master's link
 * (it goes to FAULT and releases the VIPs; the backup takes over), then gives it back (it
 * preempts after preempt_delay, time for its health checks to see the real servers again). The report says what the client saw in each phase,
 * who was master, and what the directors logged. Everything it builds is removed at the
 * end, also on failure or Ctrl-C.
 */
public final class LabDemo {
    static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"([A-Z]+)\"");
    private static final Pattern VRRP_INSTANCES = Pattern.compile("\"vrrp_instances\"\\s*:\\s*\\{([^}]*)}");
    private static final Pattern INSTANCE_STATE = Pattern.compile(":\\s*\"([A-Z]+)\"");
    private static final Duration PHASE = Duration.ofSeconds(4);
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(20);
    private static final Duration WAIT = Duration.ofSeconds(20);

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
    public record Result(TrafficProbe.Report steady, TrafficProbe.Report failover, TrafficProbe.Report failback,
                         String masterBefore, String masterAfterCut, String masterAfterReturn,
                         List<String> vrrpMetrics) {
        public boolean passed() {
            return servedThroughout(steady) && steady.answeredBy().size() == 2
                    && "director-a".equals(masterBefore) && "director-b".equals(masterAfterCut)
                    && "director-a".equals(masterAfterReturn)
                    && servedThroughout(failover) && servedThroughout(failback);
        }

        /** Nearly every request answered and no outage of 2 s or more (a failover at 100 ms adverts is ~0.4 s). */
        private static boolean servedThroughout(TrafficProbe.Report r) {
            return r.requests() > 0 && r.answered() * 100 >= r.requests() * 95
                    && r.longestOutage().compareTo(Duration.ofSeconds(2)) < 0;
        }
    }

    static String config(int priority) {
        return """
                global_defs {
                    router_id %s
                }
                vrrp_instance VI_1 {
                    state BACKUP
                    interface eth0
                    virtual_router_id 51
                    priority %d
                    version 3
                    advert_int 0.1
                    preempt_delay 5
                    garp_master_delay 1
                    virtual_ipaddress {
                        %s/32
                        %s/32
                    }
                }
                virtual_server %s 80 {
                    delay_loop 1
                    lb_algo rr
                    lb_kind NAT
                    protocol TCP
                    real_server %s 8080 {
                        TCP_CHECK {
                            connect_timeout 1
                        }
                    }
                    real_server %s 8080 {
                        TCP_CHECK {
                            connect_timeout 1
                        }
                    }
                }
                """.formatted(priority == 150 ? "director_a" : "director_b", priority, LabAddresses.VIP,
                LabAddresses.NAT_GATEWAY_VIP, LabAddresses.VIP, LabAddresses.realServer(1),
                LabAddresses.realServer(2));
    }

    public Result run() throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        Lab lab = Lab.create(LabOptions.defaults().withRealServers(2));
        Thread cleanup = Thread.ofPlatform().unstarted(() -> closeAll(open, lab));
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            out.printf("lab %s: client %s, router, director-a %s, director-b %s, rs1 %s, rs2 %s%n", lab.prefix(),
                    LabAddresses.CLIENT, LabAddresses.DIRECTOR_A, LabAddresses.DIRECTOR_B,
                    LabAddresses.realServer(1), LabAddresses.realServer(2));
            for (int i = 1; i <= 2; i++) {
                String name = "rs" + i;
                LabHost rs = lab.realServer(i);
                open.add(rs.call(() -> DemoHttpServer.start(name, new InetSocketAddress(8080))));
                // NAT: replies go back through the floating gateway address the master holds
                rs.exec("ip", "route", "replace", LabAddresses.EXTERNAL_NETWORK, "via", LabAddresses.NAT_GATEWAY_VIP)
                        .orThrow();
            }
            LabProcess a = startDirector(lab.directorA(), 150, open);
            LabProcess b = startDirector(lab.directorB(), 100, open);
            out.printf("directors started (pids %d, %d); waiting for director-a to become master%n", a.pid(), b.pid());
            out.flush();
            await(lab, lab.directorA(), "MASTER");
            await(lab, lab.directorB(), "BACKUP");
            String before = master(lab);
            long upAfter = awaitServed(lab);
            out.printf("director-a is master; VIP:80 answered the client %d ms later%n", upAfter);

            TrafficProbe.Report steady = probe(lab, PHASE);
            report("1. steady state", steady, before);

            CompletableFuture<TrafficProbe.Report> failoverRun = CompletableFuture.supplyAsync(
                    () -> call(() -> probe(lab, PHASE.plusSeconds(2))));
            Thread.sleep(1000);
            out.printf("   %s cutting director-a's link at the switch (its bridge port down)%n", java.time.LocalTime.now());
            lab.setBridgePortUp(lab.directorA().iface(), false);
            TrafficProbe.Report failover = failoverRun.get();
            await(lab, lab.directorB(), "MASTER");
            String afterCut = "director-b";
            report("2. master link cut", failover, afterCut);

            CompletableFuture<TrafficProbe.Report> failbackRun = CompletableFuture.supplyAsync(
                    () -> call(() -> probe(lab, PHASE.plusSeconds(6))));
            Thread.sleep(1000);
            out.printf("   giving director-a its link back (higher priority: it preempts after preempt_delay 5 s)%n");
            lab.setBridgePortUp(lab.directorA().iface(), true);
            TrafficProbe.Report failback = failbackRun.get();
            await(lab, lab.directorA(), "MASTER");
            await(lab, lab.directorB(), "BACKUP");
            String afterReturn = master(lab);
            report("3. link back, preemption", failback, afterReturn);

            List<String> vrrpMetrics = get(lab.directorA(), "/metrics").lines()
                    .filter(l -> l.startsWith("keepalived_vrrp_state") || l.startsWith("keepalived_become_master_total")
                            || l.startsWith("keepalived_advertisements_received_total"))
                    .toList();
            out.printf("director-a /metrics (keepalived-exporter names):%n");
            vrrpMetrics.forEach(l -> out.printf("   %s%n", l));
            Result result = new Result(steady, failover, failback, before, afterCut, afterReturn, vrrpMetrics);
            out.printf("%nresult: %s%n", result.passed() ? "PASS (one master at a time, the VIP served throughout,"
                    + " both real servers used)" : "FAIL");
            out.printf("director logs: %s, %s%n", a.logFile(), b.logFile());
            if (!result.passed()) {
                for (LabProcess p : List.of(a, b)) {
                    out.printf("--- %s (transitions and health)%n", p.logFile().getFileName());
                    Files.readAllLines(p.logFile()).stream()
                            .filter(l -> l.contains(" -> ") || l.contains("HealthToWeights") || l.contains("WARN"))
                            .forEach(out::println);
                }
            }
            out.flush();
            return result;
        } finally {
            closeAll(open, lab);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
        }
    }

    private LabProcess startDirector(LabHost host, int priority, List<AutoCloseable> open) throws IOException {
        host.exec("sysctl", "-qw", "net.ipv4.ip_forward=0").orThrow();
        Path conf = work.resolve(host.name() + ".conf");
        Files.writeString(conf, config(priority));
        List<String> argv = new ArrayList<>(launcher);
        argv.addAll(List.of("run", "-f", conf.toString()));
        LabProcess process = host.start(argv, work.resolve(host.name() + ".log"));
        open.add(process::stop);
        return process;
    }

    private TrafficProbe.Report probe(Lab lab, Duration duration) throws Exception {
        return lab.client().call(() -> new TrafficProbe(new InetSocketAddress(LabAddresses.VIP, 80),
                Duration.ofMillis(300), System::nanoTime).run(duration, PROBE_INTERVAL));
    }

    /** Milliseconds until the client's first answered request (first connections warm the client's JVM too). */
    private long awaitServed(Lab lab) throws Exception {
        long start = System.nanoTime();
        while (System.nanoTime() - start < WAIT.toNanos()) {
            if (probe(lab, Duration.ofMillis(1)).answered() > 0) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("VIP:80 not answered within " + WAIT.toSeconds() + " s");
    }

    private void report(String phase, TrafficProbe.Report r, String master) {
        out.printf("%-26s requests %4d  answered %4d  failed %3d  longest outage %4d ms  slowest answer %4d ms"
                + "  by %s  master %s%n", phase, r.requests(), r.answered(), r.failed(), r.longestOutage().toMillis(),
                r.slowestAnswer().toMillis(), r.answeredBy(), master);
        out.flush();
    }

    private static String master(Lab lab) throws Exception {
        if ("MASTER".equals(state(lab.directorA()))) {
            return "director-a";
        }
        return "MASTER".equals(state(lab.directorB())) ? "director-b" : "none";
    }

    /** The director's state from its admin /status, inside its namespace; "DOWN" when it does not answer. */
    static String state(LabHost host) throws Exception {
        String status = get(host, "/status");
        if (status.isEmpty()) {
            return "DOWN";
        }
        Matcher m = STATE.matcher(status);
        if (!m.find()) {
            return "UNKNOWN";
        }
        // the director says BACKUP from its start; its VRRP instances may still be in INIT
        Matcher vrrp = VRRP_INSTANCES.matcher(status);
        if (vrrp.find()) {
            Matcher each = INSTANCE_STATE.matcher(vrrp.group(1));
            while (each.find()) {
                if (!each.group(1).equals(m.group(1))) {
                    return m.group(1) + " (VRRP " + vrrp.group(1).replace("\"", "") + ")";
                }
            }
        }
        return m.group(1);
    }

    /** A GET of the admin HTTP inside {@code host}'s namespace: the whole response, or "" when it does not answer. */
    static String get(LabHost host, String path) throws Exception {
        return host.call(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", 9165), 1000);
                s.setSoTimeout(2000);
                s.getOutputStream().write(("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }

    private static void await(Lab lab, LabHost host, String state) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            last = state(host);
            if (last.equals(state)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(host.name() + " is " + last + " after " + WAIT.toSeconds() + " s (expected: "
                + state + ")");
    }

    private interface Task<T> {
        T run() throws Exception;
    }

    private static <T> T call(Task<T> task) {
        try {
            return task.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static synchronized void closeAll(List<AutoCloseable> open, Lab lab) {
        for (AutoCloseable c : open.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                // keep removing the rest
            }
        }
        open.clear();
        try {
            lab.close();
        } catch (IOException e) {
            // the lab's own teardown reports what it could not remove
        }
    }
}
