package io.tandem.director.zk;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.lab.Lab;
import io.tandem.core.lab.LabAddresses;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.LabOptions;
import io.tandem.core.lab.LabProcess;
import io.tandem.core.lab.LabTest;
import io.tandem.director.lab.LabZooKeeper;
import io.tandem.director.sync.ConnectionSyncLabTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 9's fencing acceptance, with two real {@code tandem run} processes (VRRPv3 at 100 ms,
 * director-a priority 150, director-b 100) and a real ZooKeeper server (its own process in the router's
 * namespace, on 10.77.0.1:2181, session timeout 2 s). The VIP's holders are read over rtnetlink in both
 * directors' namespaces every 10 ms for the whole of each drill.
 */
@LabTest
class ZooKeeperLabTest {
    private static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"([A-Z]+)\"");
    private static final Pattern ZK_STATE = Pattern.compile("\"zookeeper\"\\s*:\\s*\\{[^}]*?\"state\"\\s*:\\s*\"([a-z_]+)\"");
    private static final Pattern HELD = Pattern.compile("\"held\"\\s*:\\s*(true|false)");
    private static final Pattern QUEUED = Pattern.compile("\"queued\"\\s*:\\s*(true|false)");
    private static final Pattern LEASE_EPOCH = Pattern.compile("\"leases\".*?\"epoch\"\\s*:\\s*(-?\\d+)", Pattern.DOTALL);
    private static final Pattern SYNC_EPOCH = Pattern.compile("\"sync\"\\s*:\\s*\\{[^}]*?\"epoch\"\\s*:\\s*(-?\\d+)");
    private static final long SESSION_MS = 2000;

    @TempDir
    Path work;

    private final List<AutoCloseable> open = new ArrayList<>();

    /** The lab, ZooKeeper in the router's namespace, and both directors with {@code fencing} and {@code policy}. */
    private record Pair(Lab lab, LabZooKeeper zk, LabProcess a, LabProcess b, VipSampler vips) {
    }

    private Pair start(Lab lab, boolean fencing, String policy) throws Exception {
        LabZooKeeper zk = LabZooKeeper.start(lab.router(), LabAddresses.ROUTER_LAN, work.resolve("zookeeper"));
        open.add(zk);
        LabProcess a = startDirector(lab.directorA(), 150, zk.connect(), fencing, policy);
        LabProcess b = startDirector(lab.directorB(), 100, zk.connect(), fencing, policy);
        awaitStatus(lab.directorA(), "MASTER", s -> state(s).equals("MASTER"));
        awaitStatus(lab.directorB(), "BACKUP", s -> state(s).equals("BACKUP"));
        awaitStatus(lab.directorA(), "ZooKeeper connected", s -> group(ZK_STATE, s).matches("connected|reconnected"));
        awaitStatus(lab.directorB(), "ZooKeeper connected", s -> group(ZK_STATE, s).matches("connected|reconnected"));
        VipSampler vips = new VipSampler(LabAddresses.VIP, List.of(lab.directorA(), lab.directorB()));
        open.add(vips);
        return new Pair(lab, zk, a, b, vips);
    }

    private void closeAll() {
        try (var files = Files.walk(work)) {
            Path keep = Path.of("target", "zk-lab-logs", String.valueOf(System.currentTimeMillis()));
            Files.createDirectories(keep);
            for (Path f : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                Files.copy(f, keep.resolve(f.getFileName()));
            }
        } catch (IOException e) {
            // the logs are a courtesy
        }
        for (AutoCloseable c : open.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                // keep closing the rest; the lab removes the namespaces
            }
        }
        open.clear();
    }

    @ParameterizedTest(name = "fencing {0}")
    @ValueSource(booleans = {false, true})
    void partitionDrill(boolean fencing) throws Exception {
        try (Lab lab = Lab.create(LabOptions.defaults().withRealServers(1))) {
            try {
                Pair p = start(lab, fencing, "fail-open");
                if (fencing) {
                    awaitStatus(lab.directorA(), "the lease", s -> group(HELD, s).equals("true"));
                    String s = ConnectionSyncLabTest.status(lab.directorA());
                    // the lease's czxid when director-a took mastership; a session that came back on a loaded
                    // machine may have put it in line again since (a newer czxid) without a VRRP transition
                    long syncEpoch = Long.parseLong(group(SYNC_EPOCH, s));
                    assertThat(syncEpoch).as("the sync epoch is a lease's czxid, not the time").isPositive()
                            .isLessThanOrEqualTo(Long.parseLong(group(LEASE_EPOCH, s)));
                }
                p.vips().reset();
                // VRRP between the directors cut in director-b's namespace; both still reach everything else
                nft(lab.directorB(), """
                        table inet zkdrill {
                            chain in { type filter hook input priority -200; ip protocol 112 drop; }
                            chain out { type filter hook output priority -200; ip protocol 112 drop; }
                        }
                        """);
                Thread.sleep(4000);
                String during = ConnectionSyncLabTest.status(lab.directorB());
                assertThat(lab.directorB().ping(LabAddresses.CLIENT, java.time.Duration.ofSeconds(2)))
                        .as("director-b reaches the client during the cut").isTrue();
                lab.directorB().exec("nft", "delete", "table", "inet", "zkdrill").orThrow();
                Thread.sleep(3000);
                int max = p.vips().maxHolders();
                System.out.printf("partition drill, fencing %s: %d samples (%d late), at most %d VIP holder(s),"
                        + " %d samples with two%n", fencing ? "on" : "off", p.vips().samples(), p.vips().lateSamples(),
                        max, p.vips().twoHolderSamples());
                String logs = logs(p.a(), p.b());
                if (!fencing) {
                    assertThat(state(during)).as("director-b during the cut, without fencing%n%s", logs)
                            .isEqualTo("MASTER");
                    assertThat(max).as("VIP holders at once, without fencing").isEqualTo(2);
                } else {
                    assertThat(state(during)).as("director-b during the cut, fenced%n%s", logs).isEqualTo("BACKUP");
                    assertThat(group(QUEUED, during)).as("director-b waits in line for the lease").isEqualTo("true");
                    assertThat(p.vips().samples()).as("samples over 7 s").isGreaterThan(300);
                    assertThat(max).as("VIP holders at once, fenced%n%s", logs).isEqualTo(1);
                }
                // healed: one master again
                awaitStatus(lab.directorA(), "MASTER", s -> state(s).equals("MASTER"));
                awaitStatus(lab.directorB(), "BACKUP", s -> state(s).equals("BACKUP"));
                assertThat(p.vips().holds(0) && !p.vips().holds(1)).as("director-a alone holds the VIP").isTrue();
            } finally {
                closeAll();
            }
        }
    }

    @ParameterizedTest(name = "policy {0}")
    @ValueSource(strings = {"fail-open", "fail-closed"})
    void zooKeeperKilled(String policy) throws Exception {
        try (Lab lab = Lab.create(LabOptions.defaults().withRealServers(1))) {
            try {
                Pair p = start(lab, true, policy);
                awaitStatus(lab.directorA(), "the lease", s -> group(HELD, s).equals("true"));
                p.vips().reset();
                long killed = System.nanoTime();
                p.zk().kill();
                long released = -1;
                long end = System.nanoTime() + 2 * SESSION_MS * 1_000_000;
                while (System.nanoTime() < end) {
                    if (released < 0 && !p.vips().holds(0)) {
                        released = (System.nanoTime() - killed) / 1_000_000;
                    }
                    Thread.sleep(5);
                }
                String down = ConnectionSyncLabTest.status(lab.directorA());
                String logs = logs(p.a(), p.b());
                System.out.printf("ZooKeeper killed, policy %s: director-a %s, zookeeper %s, VIP released after %d ms"
                        + " (-1: kept); %d samples, at most %d holder(s)%n", policy, state(down),
                        group(ZK_STATE, down), released, p.vips().samples(), p.vips().maxHolders());
                assertThat(group(ZK_STATE, down)).isIn("suspended", "lost");
                assertThat(down).contains("\"policy\":\"" + policy + "\"");
                if (policy.equals("fail-open")) {
                    assertThat(released).as("fail-open: the master keeps the VIP%n%s", logs).isEqualTo(-1);
                    assertThat(state(down)).isEqualTo("MASTER");
                } else {
                    assertThat(released).as("fail-closed: VIP released (ms after the kill)%n%s", logs)
                            .isBetween(0L, SESSION_MS);
                    assertThat(p.vips().holds(1)).as("nobody holds it without ZooKeeper").isFalse();
                }
                assertThat(p.vips().maxHolders()).as("VIP holders at once").isLessThanOrEqualTo(1);

                p.zk().restart();
                awaitStatus(lab.directorA(), "ZooKeeper back", s -> group(ZK_STATE, s).matches("connected|reconnected"));
                awaitStatus(lab.directorB(), "ZooKeeper back", s -> group(ZK_STATE, s).matches("connected|reconnected"));
                awaitStatus(lab.directorA(), "MASTER again", s -> state(s).equals("MASTER"));
                p.vips().reset();
                Thread.sleep(2000);
                String a = ConnectionSyncLabTest.status(lab.directorA());
                String b = ConnectionSyncLabTest.status(lab.directorB());
                assertThat(state(a) + " " + state(b)).as("exactly one master again%n%s", logs(p.a(), p.b()))
                        .isEqualTo("MASTER BACKUP");
                assertThat(group(HELD, a)).isEqualTo("true");
                assertThat(p.vips().maxHolders()).isEqualTo(1);
                assertThat(p.vips().holds(0)).isTrue();
            } finally {
                closeAll();
            }
        }
    }

    @Test
    void handoverTimes() throws Exception {
        try (Lab lab = Lab.create(LabOptions.defaults().withRealServers(1))) {
            try {
                Pair p = start(lab, true, "fail-open");
                awaitStatus(lab.directorA(), "the lease", s -> group(HELD, s).equals("true"));
                p.vips().reset();
                // SIGTERM: priority 0, VIPs removed, lease released, session closed
                ProcessHandle.of(p.a().pid()).ifPresent(ProcessHandle::destroy);
                long took = awaitHolder(p.vips(), 1, 10_000);
                p.a().stop();
                System.out.printf("fenced handover after SIGTERM of the master: %d ms%n", took);
                assertThat(took).as("handover after a clean stop (ms)%n%s", logs(p.a(), p.b())).isLessThan(1000);
                assertThat(p.vips().maxHolders()).isEqualTo(1);

                // director-a again (it preempts), then killed without a word: its session must expire first
                LabProcess a2 = startDirector(lab.directorA(), 150, p.zk().connect(), true, "fail-open");
                awaitStatus(lab.directorA(), "MASTER", s -> state(s).equals("MASTER") && group(HELD, s).equals("true"));
                awaitStatus(lab.directorB(), "BACKUP", s -> state(s).equals("BACKUP"));
                assertThat(p.vips().maxHolders()).as("VIP holders at once, director-a back").isEqualTo(1);
                awaitHolder(p.vips(), 0, 10_000);
                p.vips().reset();
                long killed = System.nanoTime();
                ProcessHandle.of(a2.pid()).ifPresent(ProcessHandle::destroyForcibly);
                long tookKill = awaitHolder(p.vips(), 1, 10_000);
                System.out.printf("fenced takeover after kill -9 of the master: %d ms (session timeout %d ms)%n",
                        tookKill, SESSION_MS);
                // the killed master's addresses stay in its namespace: the lease is what tells the truth
                assertThat(tookKill).as("takeover after kill -9 waits for the session to expire")
                        .isGreaterThanOrEqualTo(SESSION_MS / 2).isLessThan(SESSION_MS + 3000);
                a2.stop();
            } finally {
                closeAll();
            }
        }
    }

    /** Waits until director {@code i} holds the VIP; milliseconds since the call. */
    private static long awaitHolder(VipSampler vips, int i, long timeoutMs) throws InterruptedException {
        long start = System.nanoTime();
        while (!vips.holds(i)) {
            if ((System.nanoTime() - start) / 1_000_000 > timeoutMs) {
                throw new AssertionError("director " + i + " did not take the VIP within " + timeoutMs + " ms");
            }
            Thread.sleep(2);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static void nft(LabHost host, String ruleset) throws Exception {
        Path file = Files.createTempFile("zkdrill", ".nft");
        try {
            Files.writeString(file, ruleset);
            host.exec("nft", "-f", file.toString()).orThrow();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static String config(int priority, String connect, boolean fencing, String policy) {
        return """
                global_defs {
                    router_id %s
                    lvs_sync_daemon eth0 inst VI_1
                }
                zookeeper {
                    connect %s
                    session_timeout %d
                    fencing %s
                    policy %s
                }
                vrrp_instance VI_1 {
                    state BACKUP
                    interface eth0
                    virtual_router_id 51
                    priority %d
                    version 3
                    advert_int 0.1
                    virtual_ipaddress {
                        %s/32
                    }
                }
                virtual_server %s 80 {
                    delay_loop 1
                    lb_algo rr
                    lb_kind DR
                    protocol TCP
                    real_server %s 80 {
                        TCP_CHECK {
                            connect_timeout 1
                        }
                    }
                }
                """.formatted(priority == 150 ? "director_a" : "director_b", connect, SESSION_MS / 1000,
                fencing ? "on" : "off", policy, priority, LabAddresses.VIP, LabAddresses.VIP,
                LabAddresses.realServer(1));
    }

    private LabProcess startDirector(LabHost host, int priority, String connect, boolean fencing, String policy)
            throws IOException {
        Path conf = work.resolve(host.name() + ".conf");
        Files.writeString(conf, config(priority, connect, fencing, policy));
        List<String> argv = List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.tandem.director.Main", "run", "-f", conf.toString());
        LabProcess p = host.start(argv, work.resolve(host.name() + "-" + System.nanoTime() + ".log"));
        open.add(p::stop);
        return p;
    }

    private static String logs(LabProcess... processes) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (LabProcess p : processes) {
            sb.append("--- ").append(p.logFile().getFileName()).append('\n');
            Files.readAllLines(p.logFile()).stream()
                    .filter(l -> l.contains(" -> ") || l.contains("lease") || l.contains("ZooKeeper")
                            || l.contains("WARN") || l.contains("ERROR"))
                    .forEach(l -> sb.append(l).append('\n'));
        }
        return sb.toString();
    }

    private static String state(String status) {
        return group(STATE, status);
    }

    private static String group(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? m.group(1) : "";
    }

    private static void awaitStatus(LabHost host, String what, Predicate<String> condition) throws Exception {
        long end = System.nanoTime() + 60_000_000_000L; // a JVM start on a loaded machine
        String last = "";
        while (System.nanoTime() < end) {
            last = ConnectionSyncLabTest.status(host);
            if (condition.test(last)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(host.name() + ": no " + what + " within 60 s; last /status: " + last);
    }
}
