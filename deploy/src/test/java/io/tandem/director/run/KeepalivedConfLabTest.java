package io.tandem.director.run;

import static io.tandem.director.sync.TandemRun.awaitStatus;
import static io.tandem.director.sync.TandemRun.awaitVrrp;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.lab.Command;
import io.tandem.core.lab.Lab;
import io.tandem.core.lab.LabAddresses;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.LabOptions;
import io.tandem.core.lab.LabProcess;
import io.tandem.core.lab.LabTest;
import io.tandem.director.drill.PromSample;
import io.tandem.director.lab.DemoHttpServer;
import io.tandem.director.sync.TandemRun;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6's first and fourth acceptance items with one keepalived.conf as an
 * operator writes it ({@code two-directors.conf} beside this class): a
 * {@code vrrp_sync_group} of two VRRPv3 instances, each with its VIPs, and a
 * virtual server in each forwarding mode (NAT and FULLNAT to rs1 and rs2,
 * DR to rs3, TUN to rs4) with HTTP_GET and TCP_CHECK checkers. Both directors
 * run the very same file (equal priorities: the first one up is master, a tie
 * does not preempt).
 *
 * <p>{@code keepalived -t}: keepalived 2.2 rejects Tandem's FULLNAT (DPVS's
 * {@code lb_kind FNAT} with a {@code local_address_group}), and once those two
 * lines are gone it still fails the virtual server for having no forwarding
 * method. So keepalived checks the file without exactly its Tandem-only
 * top-level blocks: the {@code local_address_group} block and the FULLNAT
 * {@code virtual_server} block. The test shows that keepalived's complaints
 * about the whole file all fall inside those blocks, and that the rest passes.
 *
 * <p>In the lab: the client reaches every mode's service through its VIP via
 * director-a; director-a is killed (SIGKILL); both instances move to
 * director-b and every service answers new connections through it; Debian's
 * Prometheus, in director-b's namespace, scrapes its {@code /metrics} and the
 * documented series (README, "Metrics") are queried through Prometheus's HTTP
 * API. Then director-a is started again (it stays backup), director-b is
 * stopped with SIGTERM (it removes its VIPs), both instances move back and
 * every service answers through director-a.
 */
@LabTest
class KeepalivedConfLabTest {
    private static final String CONF = "two-directors.conf";
    /** The second instance's front VIP, for FULLNAT and TUN. */
    private static final String VIP2 = "10.77.0.101";
    private static final List<String> INSTANCE_VIPS = List.of(LabAddresses.VIP, LabAddresses.NAT_GATEWAY_VIP, VIP2,
            "10.77.0.200", "10.77.0.201", "10.77.0.202", "10.77.0.203");
    private static final int PROMETHEUS_PORT = 9090;
    private static final Pattern KEEPALIVED_LINE = Pattern.compile("Line (\\d+)\\)");

    /** A virtual server of the file, the real servers (names of their DemoHttpServer) that answer it. */
    private record Service(String mode, String vip, int port, int realPort, List<Integer> realServers,
            String checker) {
        String url() {
            return "http://" + vip + ":" + port + "/";
        }
    }

    private static final List<Service> SERVICES = List.of(
            new Service("NAT", LabAddresses.VIP, 80, 8080, List.of(1, 2), "HTTP_GET"),
            new Service("FULLNAT", VIP2, 80, 8080, List.of(1, 2), "TCP_CHECK"),
            new Service("DR", LabAddresses.VIP, 8000, 8000, List.of(3), "HTTP_GET"),
            new Service("TUN", VIP2, 8000, 8000, List.of(4), "TCP_CHECK"));

    @TempDir
    Path work;

    @Test
    void keepalivedAcceptsEveryPartItKnows() throws Exception {
        Path conf = writeConf();
        List<String> lines = Files.readAllLines(conf);
        List<int[]> tandemOnly = tandemOnlyBlocks(lines);
        assertThat(tandemOnly).as("the local_address_group block and the FULLNAT virtual_server").hasSize(2);

        Command.Result whole = Command.run(List.of("keepalived", "-t", "-f", conf.toString()), Duration.ofSeconds(30));
        String said = whole.stdout() + whole.stderr();
        assertThat(whole.exitCode()).as("keepalived -t on the whole file%n%s", said).isNotZero();
        Matcher m = KEEPALIVED_LINE.matcher(said);
        Set<Integer> named = new TreeSet<>();
        while (m.find()) {
            named.add(Integer.parseInt(m.group(1)));
        }
        assertThat(named).as("the lines keepalived rejects%n%s", said).isNotEmpty()
                .allMatch(n -> tandemOnly.stream().anyMatch(b -> n >= b[0] + 1 && n <= b[1] + 1));

        Path known = work.resolve("keepalived-known.conf");
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            int at = i;
            if (tandemOnly.stream().noneMatch(b -> at >= b[0] && at <= b[1])) {
                rest.add(lines.get(i));
            }
        }
        Files.write(known, rest);
        Command.Result part = Command.run(List.of("keepalived", "-t", "-f", known.toString()), Duration.ofSeconds(30));
        assertThat(part.exitCode()).as("keepalived -t without the Tandem-only blocks%n%s%s", part.stdout(),
                part.stderr()).isZero();
        assertThat(rest).as("what keepalived checked").anySatisfy(l -> assertThat(l).contains("vrrp_sync_group"))
                .anySatisfy(l -> assertThat(l).contains("lb_kind NAT"))
                .anySatisfy(l -> assertThat(l).contains("lb_kind DR"))
                .anySatisfy(l -> assertThat(l).contains("lb_kind TUN"));

        Command.Result tandem = Command.run(TandemRun.command("check-config", "-f", conf.toString()),
                Duration.ofSeconds(60));
        assertThat(tandem.exitCode()).as("tandem check-config on the whole file%n%s%s", tandem.stdout(),
                tandem.stderr()).isZero();
    }

    @Test
    void bothDirectorsRunTheFileAndEveryModeSurvivesTheMastersDeath() throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        try (Lab lab = Lab.create(LabOptions.defaults().withRealServers(4))) {
            try {
                Path conf = writeConf();
                LabProcess tunSetup = prepareRealServers(lab, open);
                LabHost a = lab.directorA();
                LabHost b = lab.directorB();
                for (LabHost director : List.of(a, b)) {
                    director.exec("sysctl", "-qw", "net.ipv4.ip_forward=0").orThrow();
                }
                LabProcess runA = TandemRun.start(a, conf, work.resolve("director-a.log"));
                open.add(runA);
                awaitBoth(a, "MASTER");
                LabProcess runB = TandemRun.start(b, conf, work.resolve("director-b.log"));
                open.add(runB);
                awaitBoth(b, "BACKUP");
                RealServerSetups.awaitReady(lab.realServer(4), tunSetup);
                awaitHealthy(a);
                awaitHealthy(b);
                assertThat(vipsOn(a)).as("director-a, master, holds both instances' VIPs")
                        .containsAll(INSTANCE_VIPS);
                assertThat(vipsOn(b)).as("director-b, backup").doesNotContainAnyElementsOf(INSTANCE_VIPS);
                assertEveryModeServes(lab, "director-a master");

                // the master dies without a goodbye: both instances move to director-b together
                long killed = System.nanoTime();
                runA.kill();
                awaitBoth(b, "MASTER");
                System.out.printf("director-a killed: director-b master of VI_1 and VI_2 within %d ms%n",
                        (System.nanoTime() - killed) / 1_000_000);
                assertThat(vipsOn(b)).as("director-b after the takeover").containsAll(INSTANCE_VIPS);
                assertEveryModeServes(lab, "after director-a was killed");

                LabProcess prometheus = startPrometheus(b);
                open.add(prometheus);
                assertDocumentedSeries(b);

                // director-a comes back (the tie keeps it backup); director-b stops cleanly
                runA = TandemRun.start(a, conf, work.resolve("director-a-again.log"));
                open.add(runA);
                awaitBoth(a, "BACKUP");
                awaitHealthy(a);
                long stopped = System.nanoTime();
                TandemRun.signal(runB, "TERM");
                awaitBoth(a, "MASTER");
                System.out.printf("director-b stopped: director-a master of VI_1 and VI_2 within %d ms%n",
                        (System.nanoTime() - stopped) / 1_000_000);
                assertThat(runB.waitFor(Duration.ofSeconds(20))).as("director-b exits on SIGTERM").isTrue();
                assertThat(vipsOn(b)).as("director-b after SIGTERM").doesNotContainAnyElementsOf(INSTANCE_VIPS);
                assertThat(vipsOn(a)).as("director-a after the takeover").containsAll(INSTANCE_VIPS);
                assertEveryModeServes(lab, "after director-b was stopped");
            } catch (AssertionError | Exception e) {
                throw new AssertionError(e.getMessage() + "\n" + logs(), e);
            } finally {
                TandemRun.closeAll(open);
            }
        }
    }

    // ------------------------------------------------------------------ the file

    private Path writeConf() throws IOException {
        Path conf = work.resolve("keepalived.conf");
        try (InputStream in = KeepalivedConfLabTest.class.getResourceAsStream(CONF)) {
            assertThat(in).as(CONF + " on the test class path").isNotNull();
            Files.copy(in, conf);
        }
        return conf;
    }

    /**
     * The top-level blocks keepalived does not know, as [first, last] line
     * indexes: {@code local_address_group NAME {...}} and the
     * {@code virtual_server} whose {@code lb_kind} is FNAT.
     */
    static List<int[]> tandemOnlyBlocks(List<String> lines) {
        List<int[]> blocks = new ArrayList<>();
        int depth = 0;
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("!") || line.startsWith("#")) {
                continue;
            }
            if (depth == 0 && line.endsWith("{")) {
                start = i;
            }
            depth += count(line, '{') - count(line, '}');
            if (depth == 0 && start >= 0 && line.endsWith("}")) {
                List<String> block = lines.subList(start, i + 1);
                boolean fullnat = block.stream().anyMatch(l -> l.strip().equals("lb_kind FNAT"));
                if (lines.get(start).startsWith("local_address_group") || fullnat) {
                    blocks.add(new int[] {start, i});
                }
                start = -1;
            }
        }
        return blocks;
    }

    private static int count(String s, char c) {
        return (int) s.chars().filter(x -> x == c).count();
    }

    // ------------------------------------------------------------------ the lab

    /** rs1, rs2: NAT and FULLNAT; rs3: DR; rs4: TUN. Returns rs4's {@code tandem realserver}. */
    private LabProcess prepareRealServers(Lab lab, List<AutoCloseable> open) throws Exception {
        for (int i = 1; i <= 2; i++) {
            lab.realServer(i).exec("ip", "route", "replace", LabAddresses.EXTERNAL_NETWORK, "via",
                    LabAddresses.NAT_GATEWAY_VIP).orThrow();
        }
        // DR as an operator sets it up by hand: the VIP on lo, not answered for in ARP
        LabHost dr = lab.realServer(3);
        dr.exec("sysctl", "-qw", "net.ipv4.conf.all.arp_ignore=1").orThrow();
        dr.exec("sysctl", "-qw", "net.ipv4.conf.all.arp_announce=2").orThrow();
        dr.exec("ip", "addr", "add", LabAddresses.VIP + "/32", "dev", "lo").orThrow();
        // TUN: user-space decapsulation (this kernel has no ipip module), VIP2 on lo
        LabProcess tun = RealServerSetups.start(lab.realServer(4), "TUN", VIP2,
                work.resolve("rs4-realserver.log"), 5);
        open.add(tun);
        for (Service s : SERVICES) {
            for (int n : s.realServers()) {
                if (!(s.mode().equals("FULLNAT"))) { // FULLNAT shares rs1's and rs2's servers with NAT
                    String name = "rs" + n;
                    open.add(lab.realServer(n).call(() -> DemoHttpServer.start(name,
                            new InetSocketAddress(s.realPort()))));
                }
            }
        }
        return tun;
    }

    private static void awaitBoth(LabHost director, String state) throws Exception {
        awaitVrrp(director, "VI_1", state);
        awaitVrrp(director, "VI_2", state);
    }

    /** Every checker of every real server (6) up in the director's /status. */
    private static void awaitHealthy(LabHost director) throws Exception {
        awaitStatus(director, "every real server healthy",
                s -> s.split("\"health\":\"up\"", -1).length - 1 >= 6 && !s.contains("\"health\":\"down\""));
    }

    private static Set<String> vipsOn(LabHost director) throws IOException {
        String out = director.exec("ip", "-4", "-o", "addr", "show", "dev", director.interfaceName()).orThrow()
                .stdout();
        Set<String> vips = new TreeSet<>();
        Matcher m = Pattern.compile("inet (\\S+)/").matcher(out);
        while (m.find()) {
            vips.add(m.group(1));
        }
        return vips;
    }

    /** New connections from the client to every service's VIP, each answered by one of its real servers. */
    private static void assertEveryModeServes(Lab lab, String when) throws IOException {
        for (Service s : SERVICES) {
            Set<String> by = new TreeSet<>();
            for (int i = 0; i < 2 * s.realServers().size(); i++) {
                by.add(answeredBy(lab.client(), s.url()));
            }
            List<String> expected = s.realServers().stream().map(n -> "rs" + n).toList();
            assertThat(by).as("%s: %s %s answered by", when, s.mode(), s.url())
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    /** The real server that answered a GET of {@code url} from {@code client} (its X-Real-Server header). */
    static String answeredBy(LabHost client, String url) throws IOException {
        Command.Result r = client.exec(Duration.ofSeconds(15), "curl", "-s", "-m", "5", "-D", "-", "-o", "/dev/null",
                url);
        String header = DemoHttpServer.SERVER_HEADER + ":";
        return r.stdout().lines().filter(l -> l.regionMatches(true, 0, header, 0, header.length()))
                .map(l -> l.substring(header.length()).strip()).findFirst().orElse("no answer: " + r.stderr());
    }

    private String logs() {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(work)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                List<String> lines = Files.readAllLines(p);
                sb.append("--- ").append(p.getFileName()).append('\n');
                lines.subList(Math.max(0, lines.size() - 40), lines.size())
                        .forEach(l -> sb.append(l).append('\n'));
            }
        } catch (IOException e) {
            sb.append("logs: ").append(e.getMessage());
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ Prometheus

    /** Debian's prometheus in {@code director}'s namespace, scraping its /metrics every second. */
    private LabProcess startPrometheus(LabHost director) throws Exception {
        Path dir = Files.createDirectories(work.resolve("prometheus"));
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: tandem
                    static_configs:
                      - targets: ['127.0.0.1:9165']
                """);
        return director.start(List.of("/usr/bin/prometheus", "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + PROMETHEUS_PORT), work.resolve("prometheus.log"));
    }

    /** An instant query to the Prometheus in {@code director}'s namespace. */
    private static List<PromSample> query(LabHost director, String promql) throws IOException {
        Command.Result r = director.exec(Duration.ofSeconds(15), "curl", "-s", "-m", "10", "--get",
                "--data-urlencode", "query=" + promql, "http://127.0.0.1:" + PROMETHEUS_PORT + "/api/v1/query");
        if (!r.ok()) {
            throw new IOException("query " + promql + ": curl exit " + r.exitCode() + " " + r.stderr());
        }
        return PromSample.parse(promql, r.stdout());
    }

    /** Waits (60 s) until {@code promql} has at least {@code series} series. */
    private static List<PromSample> awaitQuery(LabHost director, String promql, int series) throws Exception {
        long end = System.nanoTime() + 60_000_000_000L;
        List<PromSample> last = List.of();
        String error = "";
        while (System.nanoTime() < end) {
            try {
                last = query(director, promql);
                if (last.size() >= series) {
                    return last;
                }
            } catch (IOException e) {
                error = e.getMessage(); // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Prometheus: " + promql + " has " + last.size() + " series within 60 s (expected: "
                + series + ") " + last + " " + error);
    }

    /**
     * The series README's "Metrics" documents, as Prometheus scraped them:
     * keepalived-exporter's VRRP names and labels, the health checks'
     * {@code tandem_healthcheck_*}, node_exporter's {@code node_ipvs_*} for
     * the forwarder and its per-real-server {@code tandem_ipvs_backend_*_total}.
     */
    private static void assertDocumentedSeries(LabHost director) throws Exception {
        awaitQuery(director, "up{job=\"tandem\"} == 1", 1);

        // VRRP: keepalived_vrrp_state{iname, intf, vrid} 2 = MASTER, one series per instance
        List<PromSample> state = awaitQuery(director, "keepalived_vrrp_state", 2);
        assertThat(state).as("keepalived_vrrp_state").hasSize(2)
                .anySatisfy(s -> assertVrrp(s, "VI_1", "51", 2))
                .anySatisfy(s -> assertVrrp(s, "VI_2", "52", 2));
        assertThat(query(director, "keepalived_up")).as("keepalived_up").hasSize(1)
                .allSatisfy(s -> assertThat(s.value()).isEqualTo(1));
        for (String counter : List.of("keepalived_become_master_total", "keepalived_advertisements_sent_total",
                "keepalived_advertisements_received_total", "keepalived_release_master_total",
                "keepalived_priority_zero_sent_total", "keepalived_priority_zero_received_total",
                "keepalived_packet_length_errors_total", "keepalived_advertisements_interval_errors_total",
                "keepalived_ip_ttl_errors_total", "keepalived_invalid_type_received_total",
                "keepalived_address_list_errors_total", "keepalived_authentication_invalid_total",
                "keepalived_authentication_mismatch_total", "keepalived_authentication_failure_total",
                "tandem_vrrp_priority")) {
            List<PromSample> series = query(director, counter);
            assertThat(series).as(counter).hasSize(2)
                    .anySatisfy(s -> assertThat(s.labels()).containsEntry("iname", "VI_1")
                            .containsEntry("intf", "eth0").containsEntry("vrid", "51"))
                    .anySatisfy(s -> assertThat(s.labels()).containsEntry("iname", "VI_2")
                            .containsEntry("intf", "eth0").containsEntry("vrid", "52"));
        }
        assertThat(query(director, "keepalived_become_master_total")).as("became master")
                .allSatisfy(s -> assertThat(s.value()).isGreaterThanOrEqualTo(1));
        assertThat(query(director, "keepalived_advertisements_sent_total")).as("adverts sent")
                .allSatisfy(s -> assertThat(s.value()).isPositive());
        assertThat(query(director, "tandem_vrrp_priority")).as("priority")
                .allSatisfy(s -> assertThat(s.value()).isEqualTo(100));
        assertThat(query(director, "tandem_vrrp_transitions_total{from=\"BACKUP\",to=\"MASTER\"}"))
                .as("BACKUP -> MASTER transitions").hasSize(2).allSatisfy(s -> assertThat(s.value()).isPositive());

        // health checks: per real server of each service, and per service
        int realServers = SERVICES.stream().mapToInt(s -> s.realServers().size()).sum();
        assertThat(query(director, "tandem_healthcheck_real_server_up")).as("tandem_healthcheck_real_server_up")
                .hasSize(realServers).allSatisfy(s -> assertThat(s.value()).isEqualTo(1));
        assertThat(query(director, "tandem_healthcheck_real_server_weight")).as("tandem_healthcheck_real_server_weight")
                .hasSize(realServers).allSatisfy(s -> assertThat(s.value()).isEqualTo(1));
        assertThat(query(director, "tandem_healthcheck_quorum_up")).as("tandem_healthcheck_quorum_up")
                .hasSize(SERVICES.size()).allSatisfy(s -> assertThat(s.value()).isEqualTo(1));
        for (Service s : SERVICES) {
            for (int n : s.realServers()) {
                String rs = LabAddresses.realServer(n) + ":" + s.realPort();
                List<PromSample> checks = query(director, "tandem_healthcheck_checks_total{real_server=\"" + rs
                        + "\",checker=\"" + s.checker() + "\",result=\"success\"}");
                assertThat(checks).as("%s checks of %s (%s)", s.checker(), rs, s.mode()).isNotEmpty()
                        .allSatisfy(x -> assertThat(x.value()).isPositive());
            }
        }
        assertThat(query(director, "tandem_healthcheck_latency_seconds_count")).as("check latency")
                .hasSize(realServers);

        // the forwarder: node_exporter's ipvs backend series, labelled as node_exporter labels them
        for (String gauge : List.of("node_ipvs_backend_weight", "node_ipvs_backend_connections_active",
                "node_ipvs_backend_connections_inactive", "tandem_ipvs_backend_connections_total",
                "tandem_ipvs_backend_incoming_packets_total", "tandem_ipvs_backend_outgoing_packets_total",
                "tandem_ipvs_backend_incoming_bytes_total", "tandem_ipvs_backend_outgoing_bytes_total")) {
            List<PromSample> series = query(director, gauge);
            assertThat(series).as(gauge).hasSize(realServers);
            for (Service s : SERVICES) {
                for (int n : s.realServers()) {
                    assertThat(series).as("%s of %s %s", gauge, s.mode(), LabAddresses.realServer(n))
                            .anySatisfy(x -> assertThat(x.labels()).containsAllEntriesOf(Map.of(
                                    "local_address", s.vip(), "local_port", Integer.toString(s.port()),
                                    "proto", "TCP", "remote_address", LabAddresses.realServer(n),
                                    "remote_port", Integer.toString(s.realPort()))));
                }
            }
        }
        assertThat(query(director, "node_ipvs_backend_weight")).allSatisfy(x -> assertThat(x.value()).isEqualTo(1));
        // director-b scheduled the connections made after the takeover to every real server
        assertThat(query(director, "tandem_ipvs_backend_connections_total")).as("connections per real server")
                .allSatisfy(x -> assertThat(x.value()).isPositive());
        for (String total : List.of("node_ipvs_connections_total", "node_ipvs_incoming_packets_total",
                "node_ipvs_outgoing_packets_total", "node_ipvs_incoming_bytes_total",
                "node_ipvs_outgoing_bytes_total")) {
            assertThat(query(director, total)).as(total).hasSize(1)
                    .allSatisfy(x -> assertThat(x.value()).isPositive());
        }
    }

    private static void assertVrrp(PromSample s, String instance, String vrid, int value) {
        assertThat(s.labels()).containsEntry("iname", instance).containsEntry("intf", "eth0")
                .containsEntry("vrid", vrid);
        assertThat(s.value()).as("state of %s", instance).isEqualTo(value);
    }
}
