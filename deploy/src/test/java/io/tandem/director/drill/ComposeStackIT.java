package io.tandem.director.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.lab.Command;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The deploy acceptance, end to end on this machine: the base images made
 * with debootstrap (no registry), the tandem image built on one and running
 * {@code tandem version} and {@code tandem check-config}, {@code compose.yaml}
 * validated and brought up under a project name of its own, every drill run
 * against it and passing its checks, and every shipped dashboard and alert
 * expression evaluated against the stack's Prometheus scraping the running
 * directors. Containers, networks and images it made are removed on every
 * path (the debootstrap tarballs stay cached in /var/cache/tandem-docker).
 * One stack at a time on a machine (fixed subnets): a file lock serialises runs.
 * Under .ci/run dockerd lives in a network namespace of its own (nothing in
 * the root namespace), named in {@code TANDEM_DOCKER_NETNS}: the drills and
 * queries, which reach the containers' addresses, run inside it.
 */
@Tag("lab")
@Tag("compose")
@ExtendWith(ComposeRequirement.class)
class ComposeStackIT {
    private static final Path LOCK = Path.of("/tmp/tandem-compose-drill.lock");
    private static final List<String> SUBNETS = List.of("10.78.0.0/24", "10.78.1.0/24", "10.78.2.0/24");

    private final Path root = Path.of(System.getProperty("tandem.repoRoot", "..")).toAbsolutePath().normalize();
    private final String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt(), 6);
    private final String project = "tandemit" + id;
    private final String baseImage = "tandem-debian-base:it-" + id;
    private final String peersImage = "tandem-debian-peers:it-" + id;
    private final String tandemImage = "tandem:it-" + id;
    private final List<String> images = new ArrayList<>();

    @Test
    void theStackComesUpAndEveryDrillPasses() throws Exception {
        Files.createDirectories(LOCK.getParent());
        try (FileChannel lockFile = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockFile.lock()) {
            removeStaleRuns();
            assertNoStackHoldsTheSubnets();
            Thread cleanup = Thread.ofPlatform().unstarted(this::removeEverything);
            Runtime.getRuntime().addShutdownHook(cleanup);
            try {
                run();
            } finally {
                removeEverything();
                Runtime.getRuntime().removeShutdownHook(cleanup);
            }
        }
    }

    private void run() throws Exception {
        long t0 = System.nanoTime();
        makeImages();
        log("images made in %d s", (System.nanoTime() - t0) / 1_000_000_000);

        // the image runs tandem version and tandem check-config
        Command.Result version = docker(Duration.ofSeconds(60), "run", "--rm", tandemImage, "version");
        assertThat(version.stdout()).as("tandem version in the image").startsWith("tandem ").contains("java 25");
        Command.Result example = docker(Duration.ofSeconds(60), "run", "--rm", "--hostname", "lb1", tandemImage,
                "check-config");
        assertThat(example.exitCode()).as("check-config of the image's example: %s", example.stderr()).isZero();
        String stackConf = root.resolve("deploy/compose/keepalived.conf").toString();
        Command.Result stack = docker(Duration.ofSeconds(60), "run", "--rm", "--hostname", "director-a", "-v",
                stackConf + ":/c.conf:ro", tandemImage, "check-config", "-f", "/c.conf");
        assertThat(stack.exitCode()).as("check-config of the stack's file: %s", stack.stderr()).isZero();
        Command.Result broken = docker(Duration.ofSeconds(60), "run", "--rm", "--entrypoint", "/bin/sh", tandemImage,
                "-c", "printf 'vrrp_instance X {\\n virtual_router_id 300\\n}\\n' > /tmp/b.conf"
                        + " && tandem check-config -f /tmp/b.conf");
        assertThat(broken.exitCode()).as("check-config of a broken file").isNotZero();
        assertThat(broken.stdout() + broken.stderr()).contains("/tmp/b.conf:2:");

        ComposeCli compose = new ComposeCli(ComposeCli.detect(), root, project, environment());
        Command.Result config = compose.run(Duration.ofSeconds(60), "config", "-q");
        assertThat(config.exitCode()).as("%s config: %s", compose.command(), config.stdout()).isZero();
        Command.Result grafana = compose.run(Duration.ofSeconds(60), "--profile", "grafana", "config", "--services");
        assertThat(grafana.stdout().lines()).as("the grafana profile: %s", grafana.stdout()).contains("grafana",
                "director-a", "director-b", "prometheus", "client");
        Command.Result up = compose.run(Duration.ofMinutes(3), "up", "-d");
        assertThat(up.exitCode()).as("up: %s", up.stdout()).isZero();
        log("stack %s up", project);

        // the drills reach the containers over HTTP; when dockerd runs in a network namespace of its own
        // (.ci/run's, named in TANDEM_DOCKER_NETNS) they run as the operator's `tandem drill` inside it
        // (a process of its own: a JVM's pooled threads and sockets cannot all be kept in one namespace)
        String netns = System.getenv("TANDEM_DOCKER_NETNS");
        if (netns == null || netns.isBlank()) {
            drillsAndQueries(t0);
        } else {
            drillsAndQueriesIn(netns, t0);
        }
    }

    private void drillsAndQueriesIn(String netns, long t0) throws Exception {
        List<String> tandem = List.of("nsenter", "--net=/run/netns/" + netns,
                root.resolve("deploy/target/tandem/bin/tandem").toString(), "drill");
        Command.Result rules;
        try (DrillStack stack = DrillStack.find(project)) { // docker exec only: no network needed
            rules = stack.exec("prometheus", "promtool", "check", "config", "/stack/prometheus/prometheus.yml");
        }
        assertThat(rules.exitCode()).as("promtool check config: %s%s", rules.stdout(), rules.stderr()).isZero();

        List<String> all = new ArrayList<>(tandem);
        all.addAll(List.of("all", "--project", project));
        Command.Result drills = Command.run(all, Duration.ofMinutes(30));
        String report = drills.stdout() + drills.stderr();
        System.out.print(report);
        Files.writeString(root.resolve("deploy/target/compose-drills.txt"), report);
        for (String name : Drills.names()) {
            assertThat(report).as("drill %s's verdict", name).containsPattern("drill " + name + ": PASS \\(");
        }
        assertThat(drills.exitCode()).as("tandem drill all:%n%s", report).isZero();
        // every check must have run: this build reloads on SIGHUP
        assertThat(report).as("checks not run").doesNotContain("check:    NOT RUN");

        List<String> queries = new ArrayList<>(tandem);
        queries.addAll(List.of("queries", "--dir", root.resolve("deploy/compose").toString(), "--wait-seconds", "60"));
        Command.Result q = Command.run(queries, Duration.ofMinutes(10));
        String text = q.stdout() + q.stderr();
        System.out.print(text);
        Files.writeString(root.resolve("deploy/target/compose-queries.txt"), text);
        assertThat(text).as("the shipped queries").containsPattern("queries: [1-9][0-9]* ok, 0 failed");
        assertThat(q.exitCode()).as("tandem drill queries:%n%s", text).isZero();
        log("all done in %d s", (System.nanoTime() - t0) / 1_000_000_000);
    }

    private void drillsAndQueries(long t0) throws Exception {
        try (DrillStack drills = DrillStack.find(project)) {
            Command.Result rules = drills.exec("prometheus", "promtool", "check", "config",
                    "/stack/prometheus/prometheus.yml");
            assertThat(rules.exitCode()).as("promtool check config: %s%s", rules.stdout(), rules.stderr()).isZero();

            StringWriter text = new StringWriter();
            PrintWriter out = new PrintWriter(new TeeWriter(text), true);
            Map<String, DrillReport> reports = new LinkedHashMap<>();
            for (String name : Drills.names()) {
                long start = System.nanoTime();
                reports.put(name, Drills.run(name, drills, out));
                log("drill %s: %s in %d s", name, reports.get(name).passed() ? "PASS" : "FAIL",
                        (System.nanoTime() - start) / 1_000_000_000);
            }
            Files.writeString(root.resolve("deploy/target/compose-drills.txt"), text.toString());

            StringWriter queries = new StringWriter();
            List<QueryCheck.Result> results;
            try (PrometheusClient prometheus = new PrometheusClient(DrillStack.prometheusUrl())) {
                results = QueryCheck.run(prometheus, root.resolve("deploy/compose"), 60_000,
                        new PrintWriter(new TeeWriter(queries), true));
            }
            Files.writeString(root.resolve("deploy/target/compose-queries.txt"), queries.toString());

            reports.forEach((name, r) -> assertThat(r.passed()).as("drill %s:%n%s", name,
                    String.join("\n", r.lines())).isTrue());
            assertThat(results).as("the shipped queries").isNotEmpty();
            assertThat(results.stream().filter(r -> !r.passed()).toList()).as("queries without data or failing:%n%s",
                    queries).isEmpty();
            // every check must have run: this build reloads on SIGHUP
            for (String name : Drills.names()) {
                assertThat(reports.get(name).checks()).noneMatch(c -> c.outcome() == DrillReport.Outcome.NOT_RUN);
            }
        }
        log("all done in %d s", (System.nanoTime() - t0) / 1_000_000_000);
    }

    private void makeImages() throws IOException {
        String scripts = root.resolve("deploy/docker").toString();
        images.add(baseImage);
        command(Duration.ofMinutes(20), scripts + "/make-base-image", "--flavour", "base", "--tag", baseImage);
        images.add(peersImage);
        command(Duration.ofMinutes(20), scripts + "/make-base-image", "--flavour", "peers", "--tag", peersImage);
        images.add(tandemImage);
        command(Duration.ofMinutes(5), scripts + "/build-image", "--base", baseImage, "--tag", tandemImage);
    }

    private Map<String, String> environment() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TANDEM_IMAGE", tandemImage);
        env.put("PEERS_IMAGE", peersImage);
        env.put("PROMETHEUS_PORT", Integer.toString(freePort()));
        env.put("GRAFANA_PORT", Integer.toString(freePort()));
        return env;
    }

    /**
     * What an earlier run of this test left when it was killed before its cleanup (its compose project and
     * images are named tandemit* and *:it-*). Under the lock no other run is alive, so none of it is in use.
     */
    private void removeStaleRuns() throws IOException {
        String projects = docker(Duration.ofSeconds(30), "ps", "-a", "--filter", "label=com.docker.compose.project",
                "--format", "{{.Label \"com.docker.compose.project\"}}").stdout();
        String networks = docker(Duration.ofSeconds(30), "network", "ls", "--filter",
                "label=com.docker.compose.project", "--format", "{{.Label \"com.docker.compose.project\"}}").stdout();
        for (String stale : (projects + "\n" + networks).lines().map(String::strip)
                .filter(p -> p.matches("tandemit[0-9a-f]{6}")).distinct().toList()) {
            log("removing the leftovers of an earlier run: project %s", stale);
            for (String c : docker(Duration.ofSeconds(30), "ps", "-aq", "--filter",
                    "label=com.docker.compose.project=" + stale).stdout().split("\\s+")) {
                if (!c.isBlank()) {
                    docker(Duration.ofSeconds(60), "rm", "-f", c);
                }
            }
            for (String n : docker(Duration.ofSeconds(30), "network", "ls", "-q", "--filter",
                    "label=com.docker.compose.project=" + stale).stdout().split("\\s+")) {
                if (!n.isBlank()) {
                    docker(Duration.ofSeconds(60), "network", "rm", n);
                }
            }
        }
        for (String image : docker(Duration.ofSeconds(30), "images", "--format", "{{.Repository}}:{{.Tag}}").stdout()
                .lines().filter(i -> i.matches("tandem(-debian-base|-debian-peers)?:it-[0-9a-f]{6}")).toList()) {
            log("removing the leftovers of an earlier run: image %s", image);
            docker(Duration.ofSeconds(120), "rmi", "-f", image);
        }
    }

    /** Another stack (a developer's, or a run killed before its cleanup) on the fixed subnets: say which. */
    private void assertNoStackHoldsTheSubnets() throws IOException {
        for (String network : docker(Duration.ofSeconds(30), "network", "ls", "-q").stdout().split("\\s+")) {
            if (network.isBlank()) {
                continue;
            }
            Command.Result r = docker(Duration.ofSeconds(30), "network", "inspect", "-f",
                    "{{.Name}} {{range .IPAM.Config}}{{.Subnet}} {{end}}", network);
            for (String subnet : SUBNETS) {
                assertThat(r.stdout()).as("docker network %s holds the drill stack's subnet %s (expected: free;"
                        + " stop that stack, e.g. docker-compose -p PROJECT down)", r.stdout().strip(), subnet)
                        .doesNotContain(subnet + " ");
            }
        }
    }

    private synchronized void removeEverything() {
        try {
            List<String> cmd = ComposeCli.detect();
            if (cmd != null) {
                new ComposeCli(cmd, root, project, environment()).run(Duration.ofMinutes(2), "--profile", "grafana",
                        "down", "-v", "--remove-orphans", "-t", "5");
            }
        } catch (IOException e) {
            log("compose down: %s", e.getMessage());
        }
        try {
            // whatever compose left (a container started by hand, a network still attached)
            for (String c : docker(Duration.ofSeconds(30), "ps", "-aq", "--filter",
                    "label=com.docker.compose.project=" + project).stdout().split("\\s+")) {
                if (!c.isBlank()) {
                    docker(Duration.ofSeconds(60), "rm", "-f", c);
                }
            }
            for (String n : docker(Duration.ofSeconds(30), "network", "ls", "-q", "--filter",
                    "label=com.docker.compose.project=" + project).stdout().split("\\s+")) {
                if (!n.isBlank()) {
                    docker(Duration.ofSeconds(60), "network", "rm", n);
                }
            }
            for (String image : images.reversed()) {
                docker(Duration.ofSeconds(120), "rmi", "-f", image);
            }
            images.clear();
        } catch (IOException e) {
            log("cleanup: %s", e.getMessage());
        }
    }

    private static Command.Result docker(Duration timeout, String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        return Command.run(argv, timeout);
    }

    private static void command(Duration timeout, String... argv) throws IOException {
        Command.Result r = Command.run(List.of(argv), timeout);
        if (!r.ok()) {
            throw new IOException(String.join(" ", argv) + ": exit " + r.exitCode() + "\n" + r.stdout() + r.stderr());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void log(String format, Object... args) {
        System.out.printf("compose-it: " + format + "%n", args);
        System.out.flush();
    }

    /** Writes to a StringWriter and to System.out. */
    private static final class TeeWriter extends java.io.Writer {
        private final StringWriter copy;

        TeeWriter(StringWriter copy) {
            this.copy = copy;
        }

        @Override
        public void write(char[] buf, int off, int len) {
            copy.write(buf, off, len);
            System.out.print(new String(buf, off, len));
        }

        @Override
        public void flush() {
            System.out.flush();
        }

        @Override
        public void close() {
        }
    }
}
