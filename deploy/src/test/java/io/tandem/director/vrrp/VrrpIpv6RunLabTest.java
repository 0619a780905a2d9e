package io.tandem.director.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.lab.Command;
import io.tandem.core.lab.Lab;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.LabIpv6;
import io.tandem.core.lab.LabProcess;
import io.tandem.core.lab.WithLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tandem run} on an IPv6 keepalived.conf (a VRRPv3 instance at 100 ms holding
 * fd77::100, nothing else) as two processes, in director-a (priority 150) and director-b
 * (priority 100): director-a wins and the client reaches the VIP; SIGTERM to director-a
 * sends priority 0, and director-b answers for the VIP within Skew_Time + 30 ms
 * (Skew_Time = (256 - 100) x 100 ms / 256 = 60.9 ms), measured from just before the
 * signal to the time stamp of director-b's {@code BACKUP -> MASTER} log line, which it
 * writes once the VIP is added and announced; the lab router's neighbour cache then holds
 * director-b's MAC before the client sends anything (the unsolicited NA), and the client
 * reaches the VIP again.
 */
@WithLab(realServers = 0)
class VrrpIpv6RunLabTest {
    /** Generous: two JVMs start on a busy machine (waiting only; the timing bound is below). */
    private static final Duration SETTLE = Duration.ofSeconds(120);
    private static final double SKEW_TIME_MS = (256 - 100) * 100 / 256.0;
    private static final Pattern MASTER_LINE = Pattern.compile(
            "^(\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d) .*VI_6: BACKUP -> MASTER", Pattern.MULTILINE);

    @TempDir
    Path dir;
    private final List<LabProcess> processes = new ArrayList<>();

    @BeforeEach
    void ipv6(Lab lab) throws Exception {
        LabIpv6.enable(lab);
    }

    @AfterEach
    void stop(Lab lab) throws Exception {
        processes.forEach(LabProcess::stop);
        assertThat(holdsVip(lab.directorA()) || holdsVip(lab.directorB())).as("VIP left after SIGTERM").isFalse();
    }

    private static List<String> tandem(String... args) {
        List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.tandem.director.Main"));
        argv.addAll(List.of(args));
        return argv;
    }

    private Path conf(LabHost host, int priority) throws IOException {
        Path file = dir.resolve(host.name() + ".conf");
        Files.writeString(file, """
                global_defs {
                    router_id %s
                }
                vrrp_instance VI_6 {
                    state BACKUP
                    interface %s
                    virtual_router_id 61
                    priority %d
                    advert_int 0.1
                    virtual_ipaddress {
                        %s/128
                    }
                }
                """.formatted(host.name(), host.interfaceName(), priority, LabIpv6.VIP));
        return file;
    }

    private LabProcess run(LabHost host, int priority) throws IOException {
        LabProcess p = host.start(tandem("run", "-f", conf(host, priority).toString()), log(host));
        processes.add(p);
        return p;
    }

    private Path log(LabHost host) {
        return dir.resolve(host.name() + ".log");
    }

    private static boolean holdsVip(LabHost host) throws IOException {
        return host.exec("ip", "-o", "-6", "addr", "show", "dev", host.interfaceName()).orThrow().stdout()
                .contains(" " + LabIpv6.VIP + "/128");
    }

    private static String routerEntryForVip(Lab lab) throws IOException {
        String out = lab.router().exec("ip", "-6", "neigh", "show", LabIpv6.VIP, "dev",
                lab.router().ifaceOn("lan").name()).orThrow().stdout();
        Matcher m = Pattern.compile("lladdr (\\S+)").matcher(out);
        return m.find() ? m.group(1) : "";
    }

    /** The last lines of a log, for the report. */
    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
    }

    private static boolean await(Duration limit, Callable<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.call()) {
                    return true;
                }
            } catch (Exception e) {
                // not yet
            }
            Thread.sleep(10);
        }
        return false;
    }

    @Test
    void aPairElectsOverIpv6AndSigtermHandsTheVipOverWithinSkewTime(Lab lab) throws Exception {
        Command.Result check = lab.directorA().exec(Duration.ofSeconds(60),
                tandem("check-config", "-f", conf(lab.directorA(), 150).toString()).toArray(String[]::new));
        assertThat(check.exitCode()).as("check-config: %s", check.stderr()).isZero();

        run(lab.directorB(), 100);
        LabProcess a = run(lab.directorA(), 150);
        assertThat(await(SETTLE, () -> holdsVip(lab.directorA()) && Files.readString(log(lab.directorB()))
                .contains("VI_6: INIT -> BACKUP") && !holdsVip(lab.directorB())))
                .as("director-a holds the VIP; %s alive %s, %s alive %s; logs:%n%s%n%s", a, a.isAlive(),
                        processes.getFirst(), processes.getFirst().isAlive(), Files.readString(log(lab.directorA())),
                        Files.readString(log(lab.directorB()))).isTrue();
        Thread.sleep(500); // five adverts: director-b stays backup
        assertThat(holdsVip(lab.directorB())).isFalse();
        assertThat(lab.client().ping(LabIpv6.VIP, Duration.ofSeconds(2))).isTrue();
        assertThat(routerEntryForVip(lab)).isEqualTo(lab.directorA().mac());

        ProcessHandle process = ProcessHandle.of(a.pid()).orElseThrow();
        LocalTime signalled = LocalTime.now();
        assertThat(process.destroy()).as("SIGTERM sent").isTrue();
        a.stop(Duration.ofSeconds(15)); // waits for the exit (SIGKILL only past the grace)
        assertThat(a.isAlive()).isFalse();
        assertThat(await(Duration.ofSeconds(5), () -> holdsVip(lab.directorB())))
                .as("director-b took over:%n%s", Files.readString(log(lab.directorB()))).isTrue();
        long took = -1;
        for (Matcher m = MASTER_LINE.matcher(Files.readString(log(lab.directorB()))); m.find(); ) {
            took = ChronoUnit.MILLIS.between(signalled, LocalTime.parse(m.group(1))); // the last one
        }
        System.out.printf("tandem run over IPv6: director-b master %d ms after SIGTERM to director-a at %s"
                + " (Skew_Time %.1f ms)%n%s%n%s%n", took, signalled, SKEW_TIME_MS, tail(log(lab.directorA())),
                tail(log(lab.directorB())));
        assertThat((double) took).as("takeover after SIGTERM, ms (log time stamps have 1 ms resolution)")
                .isBetween(0.0, SKEW_TIME_MS + 30);
        assertThat(Files.readString(log(lab.directorA()))).contains("VI_6: MASTER -> INIT (shutdown)");
        assertThat(holdsVip(lab.directorA())).isFalse();
        assertThat(holdsVip(lab.directorB())).isTrue();
        assertThat(await(Duration.ofSeconds(2), () -> routerEntryForVip(lab).equals(lab.directorB().mac())))
                .as("the router learnt director-b's MAC from its unsolicited NA").isTrue();
        assertThat(lab.client().ping(LabIpv6.VIP, Duration.ofSeconds(2))).isTrue();
    }
}
