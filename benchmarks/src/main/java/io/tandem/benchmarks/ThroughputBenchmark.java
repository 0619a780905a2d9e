package io.tandem.benchmarks;

import io.tandem.core.lab.Lab;
import io.tandem.core.lab.LabAddresses;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.LabOptions;
import io.tandem.core.lab.LabProcess;
import io.tandem.director.run.RealServerSetups;
import io.tandem.director.sync.TandemRun;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 5's lab benchmark: requests per second with wrk (keep-alive, and a new
 * connection per request) and TCP throughput with iperf3, client -> VIP -> two
 * real servers (nginx on port 80, an iperf3 server on port 5201), in one lab:
 *
 * <ul>
 * <li>{@code direct}: the client to real server 1's own address, no director;</li>
 * <li>{@code nftables}: DNAT in director-a's kernel (port 80 {@code numgen inc}
 *     round robin, port 5201 {@code jhash ip saddr}), real servers routing the
 *     client network back through director-a as in Tandem's NAT;</li>
 * <li>{@code haproxy}: HAProxy in TCP mode on director-a (roundrobin; source for
 *     iperf3);</li>
 * <li>{@code NAT}, {@code DR}, {@code TUN}, {@code FULLNAT}: {@code tandem run -f
 *     keepalived.conf} on director-a (rr on port 80, sh on 5201), DR and TUN real
 *     servers prepared by {@code tandem realserver}.</li>
 * </ul>
 *
 * <p>iperf3's control and data connections must reach the same server, so its
 * service hashes the source address in every setup; all its streams land on one
 * real server, which the program checks in the iperf3 servers' logs.
 *
 * <p>Not a test: run it as root, see docs/benchmarks.md. Everything it creates
 * (lab namespaces, nginx, iperf3, HAProxy and Tandem processes) is removed on
 * exit, also on failure and Ctrl-C; only processes it started are stopped, by pid.
 */
public final class ThroughputBenchmark {
    static final int HTTP = 80;
    static final int IPERF = 5201;
    static final List<String> ALL_SETUPS = List.of("direct", "nftables", "haproxy", "NAT", "DR", "TUN", "FULLNAT");
    private static final Pattern REQUESTS_PER_SECOND = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile("Socket errors:([^\\n]*)");
    private static final Pattern BITS_PER_SECOND = Pattern.compile("\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)");

    private record Options(int seconds, int warmupSeconds, int threads, int connections, int streams,
            List<String> setups, Path out, boolean wireFrames, int workers) {
    }

    /** One setup's numbers; {@code notes} carries errors and where iperf3 landed. */
    record Result(String setup, double keepAlive, double close, double gbits, String notes) {
    }

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private Lab lab;
    private Path work;
    private Options options;
    private final List<LabProcess> iperfServers = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        Options options = parse(args);
        ThroughputBenchmark bench = new ThroughputBenchmark();
        LabRunMain.runAndExit("throughput", () -> bench.run(options), bench::cleanup);
    }

    private static Options parse(String[] args) {
        int seconds = 10;
        int warmup = 3;
        int threads = 2;
        int connections = 50;
        int streams = 1;
        List<String> setups = ALL_SETUPS;
        Path out = null;
        boolean wireFrames = true;
        int workers = 1;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--seconds" -> seconds = positive("--seconds", args[++i]);
                    case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                    case "--threads" -> threads = positive("--threads", args[++i]);
                    case "--connections" -> connections = positive("--connections", args[++i]);
                    case "--streams" -> streams = positive("--streams", args[++i]);
                    case "--setups" -> setups = setups(args[++i]);
                    case "--out" -> out = Path.of(args[++i]);
                    case "--tso" -> wireFrames = false;
                    case "--workers" -> workers = positive("--workers", args[++i]);
                    default -> throw new IllegalArgumentException("unknown option: " + args[i]);
                }
            }
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.err.println("""
                    usage: ThroughputBenchmark [--seconds S (10)] [--warmup S (3)] [--threads N (2)]
                           [--connections N (50)] [--streams N (1, iperf3 -P)]
                           [--setups direct,nftables,haproxy,NAT,DR,TUN,FULLNAT] [--out results.md] [--tso (veths keep their TSO)]
                           [--workers N (1, Tandem's forwarder_workers)]""");
            System.exit(2);
        }
        return new Options(seconds, warmup, threads, connections, streams, setups, out, wireFrames, workers);
    }

    private static int positive(String option, String value) {
        int n = Integer.parseInt(value);
        if (n <= 0) {
            throw new IllegalArgumentException("invalid " + option + ": " + n + " (expected: 1 or more)");
        }
        return n;
    }

    private static List<String> setups(String list) {
        List<String> chosen = List.of(list.split(","));
        for (String s : chosen) {
            if (!ALL_SETUPS.contains(s)) {
                throw new IllegalArgumentException("invalid setup: " + s + " (expected: one of " + ALL_SETUPS + ")");
            }
        }
        return chosen;
    }

    // ------------------------------------------------------------------ run

    private void run(Options o) throws Exception {
        options = o;
        work = Files.createTempDirectory("throughputbench-");
        String loadStart = loadAverage();
        log("work directory (configs, logs): " + work + "; load average " + loadStart);
        lab = Lab.create(LabOptions.defaults().withRealServers(2));
        register(lab);
        log("lab " + lab.prefix() + " up");
        prepareLab();
        List<Result> results = new ArrayList<>();
        for (String setup : o.setups()) {
            log("=== " + setup + " (load average " + loadAverage() + ")");
            Result r = switch (setup) {
                case "direct" -> direct();
                case "nftables" -> nftables();
                case "haproxy" -> haproxy();
                default -> tandem(setup);
            };
            results.add(r);
            log(String.format(Locale.ROOT, "  %s: %.0f req/s keep-alive, %.0f req/s close, %.2f Gbit/s%s", setup,
                    r.keepAlive(), r.close(), r.gbits(), r.notes().isEmpty() ? "" : " (" + r.notes() + ")"));
        }
        String report = report(o, results, loadStart, loadAverage());
        System.out.println();
        System.out.println(report);
        if (o.out() != null) {
            Files.writeString(o.out(), report);
            log("results written to " + o.out());
        }
    }

    /**
     * Frames no longer than the MTU between hosts, as on a wire and as
     * ForwardingModesLabTest runs Tandem, for every setup alike (unless {@code --tso}); no ICMP redirects, so that
     * real servers keep routing through the director where a setup says so;
     * nginx and an iperf3 server on each real server.
     */
    private void prepareLab() throws Exception {
        for (LabHost host : options.wireFrames() ? lab.hosts() : List.<LabHost>of()) {
            for (var iface : host.interfaces()) {
                host.exec("ip", "link", "set", "dev", iface.name(), "gso_max_segs", "1").orThrow();
            }
        }
        lab.directorA().exec("sysctl", "-qw", "net.ipv4.conf.all.send_redirects=0").orThrow();
        lab.directorA().exec("sysctl", "-qw", "net.ipv4.conf." + lab.directorA().interfaceName()
                + ".send_redirects=0").orThrow();
        for (int i = 1; i <= 2; i++) {
            LabHost rs = lab.realServer(i);
            rs.exec("sysctl", "-qw", "net.ipv4.conf.all.accept_redirects=0").orThrow();
            rs.exec("sysctl", "-qw", "net.ipv4.conf." + rs.interfaceName() + ".accept_redirects=0").orThrow();
            register(startNginx(rs, "rs" + i));
            LabProcess iperf = rs.start(List.of("iperf3", "-s", "-p", Integer.toString(IPERF), "--forceflush"),
                    work.resolve("rs" + i + "-iperf3.log"));
            register(iperf);
            iperfServers.add(iperf);
            awaitListening(rs, IPERF, iperf);
        }
    }

    private LabProcess startNginx(LabHost rs, String name) throws Exception {
        Path dir = Files.createDirectories(work.resolve(name + "-nginx"));
        Files.createDirectories(dir.resolve("tmp"));
        Files.writeString(dir.resolve("nginx.conf"), """
                daemon off;
                master_process off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 4096; }
                http {
                    access_log off;
                    keepalive_requests 1000000;
                    client_body_temp_path %1$s/tmp;
                    proxy_temp_path %1$s/tmp;
                    fastcgi_temp_path %1$s/tmp;
                    uwsgi_temp_path %1$s/tmp;
                    scgi_temp_path %1$s/tmp;
                    server {
                        listen %3$d reuseport backlog=4096;
                        location / { return 200 "%2$s\\n"; }
                    }
                }
                """.formatted(dir, name, HTTP));
        LabProcess nginx = rs.start(List.of("/usr/sbin/nginx", "-p", dir.toString(), "-c",
                dir.resolve("nginx.conf").toString()), dir.resolve("nginx.log"));
        awaitListening(rs, HTTP, nginx);
        return nginx;
    }

    private static void awaitListening(LabHost host, int port, LabProcess process) throws Exception {
        long end = System.nanoTime() + 15_000_000_000L;
        while (!host.call(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        })) {
            if (!process.isAlive() || System.nanoTime() > end) {
                throw new IllegalStateException(host.name() + ": nothing listens on port " + port + ": "
                        + Files.readString(process.logFile()));
            }
            Thread.sleep(50);
        }
    }

    // ------------------------------------------------------------------ the setups

    private Result direct() throws Exception {
        return measure("direct", LabAddresses.realServer(1));
    }

    private Result nftables() throws Exception {
        LabHost director = lab.directorA();
        List<AutoCloseable> undo = new ArrayList<>();
        try {
            undo.add(vipOn(director));
            undo.add(natRoutes());
            director.exec("sysctl", "-qw", "net.ipv4.ip_forward=1").orThrow();
            undo.add(() -> director.exec("sysctl", "-qw", "net.ipv4.ip_forward=0"));
            String rs = "0 : " + LabAddresses.realServer(1) + ", 1 : " + LabAddresses.realServer(2);
            Path rules = work.resolve("nftables.nft");
            Files.writeString(rules, """
                    table ip throughputbench {
                        chain prerouting {
                            type nat hook prerouting priority dstnat; policy accept;
                            ip daddr %1$s tcp dport %2$d dnat to numgen inc mod 2 map { %4$s }
                            ip daddr %1$s tcp dport %3$d dnat to jhash ip saddr mod 2 map { %4$s }
                        }
                    }
                    """.formatted(LabAddresses.VIP, HTTP, IPERF, rs));
            director.exec("nft", "-f", rules.toString()).orThrow();
            undo.add(() -> director.exec("nft", "delete", "table", "ip", "throughputbench"));
            return measure("nftables", LabAddresses.VIP);
        } finally {
            TandemRun.closeAll(undo);
        }
    }

    private Result haproxy() throws Exception {
        LabHost director = lab.directorA();
        List<AutoCloseable> undo = new ArrayList<>();
        try {
            undo.add(vipOn(director));
            Path conf = work.resolve("haproxy.cfg");
            String servers = "    server rs1 %s:%%1$d\n    server rs2 %s:%%1$d\n".formatted(
                    LabAddresses.realServer(1), LabAddresses.realServer(2));
            Files.writeString(conf, """
                    global
                        maxconn 8000
                    defaults
                        mode tcp
                        timeout connect 5s
                        timeout client 60s
                        timeout server 60s
                    frontend http
                        bind %1$s:%2$d
                        default_backend web
                    backend web
                        balance roundrobin
                    %4$s
                    frontend iperf
                        bind %1$s:%3$d
                        default_backend iperf
                    backend iperf
                        balance source
                    %5$s
                    """.formatted(LabAddresses.VIP, HTTP, IPERF, servers.formatted(HTTP).stripTrailing(),
                    servers.formatted(IPERF).stripTrailing()));
            LabProcess haproxy = director.start(List.of("haproxy", "-db", "-f", conf.toString()),
                    work.resolve("haproxy.log"));
            undo.add(haproxy);
            register(haproxy);
            awaitListeningOn(director, LabAddresses.VIP, HTTP, haproxy);
            try {
                return measure("haproxy", LabAddresses.VIP);
            } finally {
                resources.remove(haproxy);
            }
        } finally {
            TandemRun.closeAll(undo);
        }
    }

    private Result tandem(String mode) throws Exception {
        LabHost director = lab.directorA();
        List<AutoCloseable> undo = new ArrayList<>();
        List<LabProcess> registered = new ArrayList<>();
        try {
            undo.add(vipOn(director));
            if (mode.equals("FULLNAT")) {
                for (int i = 0; i < LabAddresses.FULLNAT_LOCAL_COUNT; i++) {
                    String local = LabAddresses.fullnatLocal(i) + "/32";
                    director.exec("ip", "addr", "add", local, "dev", director.interfaceName()).orThrow();
                    undo.add(() -> director.exec("ip", "addr", "del", local, "dev", director.interfaceName()));
                }
            }
            director.exec("sysctl", "-qw", "net.ipv4.ip_forward=0").orThrow();
            List<LabProcess> setups = new ArrayList<>();
            if (mode.equals("NAT")) {
                undo.add(natRoutes());
            } else if (mode.equals("DR") || mode.equals("TUN")) {
                for (int i = 1; i <= 2; i++) {
                    LabHost rs = lab.realServer(i);
                    LabProcess setup = RealServerSetups.start(rs, mode,
                            work.resolve(mode + "-rs" + i + "-realserver.log"), 10);
                    undo.add(setup);
                    registered.add(setup);
                    register(setup);
                    setups.add(setup);
                }
            }
            Path conf = work.resolve(mode + "-keepalived.conf");
            Files.writeString(conf, config(mode, options.workers()));
            LabProcess tandem = TandemRun.start(director, conf, work.resolve(mode + "-director.log"));
            undo.add(tandem);
            registered.add(tandem);
            register(tandem);
            for (int i = 0; i < setups.size(); i++) {
                RealServerSetups.awaitReady(lab.realServer(i + 1), setups.get(i));
            }
            TandemRun.awaitStatus(director, "every real server healthy",
                    s -> s.split("\"health\":\"up\"", -1).length - 1 >= 4 && !s.contains("\"health\":\"down\""));
            Result r = measure(mode, LabAddresses.VIP);
            Files.writeString(work.resolve(mode + "-status.json"), TandemRun.status(director));
            if (!tandem.isAlive()) {
                throw new IllegalStateException(mode + ": tandem run exited during the measurement; see "
                        + tandem.logFile());
            }
            return r;
        } finally {
            TandemRun.closeAll(undo);
            registered.forEach(resources::remove);
        }
    }

    /**
     * One keepalived.conf for {@code mode}: VIP:80 rr and VIP:5201 sh over both real servers, TCP_CHECK;
     * {@code workers} forwarding threads.
     */
    static String config(String mode, int workers) {
        String kind = mode.equals("FULLNAT") ? "FNAT\n    local_address_group lag" : mode;
        StringBuilder s = new StringBuilder("global_defs {\n    router_id director_a\n"
                + (workers > 1 ? "    forwarder_workers " + workers + "\n" : "") + "}\n");
        if (mode.equals("FULLNAT")) {
            s.append("local_address_group lag {\n");
            for (int i = 0; i < LabAddresses.FULLNAT_LOCAL_COUNT; i++) {
                s.append("    ").append(LabAddresses.fullnatLocal(i)).append('\n');
            }
            s.append("}\n");
        }
        for (int vport : new int[] {HTTP, IPERF}) {
            s.append("virtual_server ").append(LabAddresses.VIP).append(' ').append(vport).append(" {\n")
                    .append("    delay_loop 2\n    lb_algo ").append(vport == HTTP ? "rr" : "sh")
                    .append("\n    lb_kind ").append(kind).append("\n    protocol TCP\n");
            for (int i = 1; i <= 2; i++) {
                s.append("    real_server ").append(LabAddresses.realServer(i)).append(' ').append(vport)
                        .append(" {\n        TCP_CHECK {\n            connect_timeout 1\n        }\n    }\n");
            }
            s.append("}\n");
        }
        return s.toString();
    }

    /** The VIP on director-a's lab interface, removed on close. */
    private static AutoCloseable vipOn(LabHost director) throws IOException {
        String vip = LabAddresses.VIP + "/32";
        director.exec("ip", "addr", "add", vip, "dev", director.interfaceName()).orThrow();
        return () -> director.exec("ip", "addr", "del", vip, "dev", director.interfaceName());
    }

    /** Both real servers route the client network through director-a (NAT), until close. */
    private AutoCloseable natRoutes() throws IOException {
        for (int i = 1; i <= 2; i++) {
            lab.realServer(i).exec("ip", "route", "replace", LabAddresses.EXTERNAL_NETWORK, "via",
                    LabAddresses.DIRECTOR_A).orThrow();
        }
        return () -> {
            for (int i = 1; i <= 2; i++) {
                lab.realServer(i).exec("ip", "route", "del", LabAddresses.EXTERNAL_NETWORK, "via",
                        LabAddresses.DIRECTOR_A);
            }
        };
    }

    private static void awaitListeningOn(LabHost host, String ip, int port, LabProcess process) throws Exception {
        long end = System.nanoTime() + 15_000_000_000L;
        while (!host.call(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(ip, port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        })) {
            if (!process.isAlive() || System.nanoTime() > end) {
                throw new IllegalStateException(host.name() + ": nothing listens on " + ip + ":" + port + ": "
                        + Files.readString(process.logFile()));
            }
            Thread.sleep(50);
        }
    }

    // ------------------------------------------------------------------ measuring from the client

    private Result measure(String setup, String target) throws Exception {
        LabHost client = lab.client();
        String url = "http://" + target + "/";
        List<String> notes = new ArrayList<>();
        if (options.warmupSeconds() > 0) {
            log("  warm-up:");
            wrk(client, url, options.warmupSeconds(), false, notes);
            notes.clear();
        }
        double keepAlive = wrk(client, url, options.seconds(), false, notes);
        double close = wrk(client, url, options.seconds(), true, notes);
        double gbits = iperf(client, target, notes);
        return new Result(setup, keepAlive, close, gbits, String.join("; ", notes));
    }

    private double wrk(LabHost client, String url, int seconds, boolean close, List<String> notes)
            throws IOException {
        List<String> argv = new ArrayList<>(List.of("wrk", "-t" + options.threads(), "-c" + options.connections(),
                "-d" + seconds + "s"));
        if (close) {
            argv.addAll(List.of("-H", "Connection: close"));
        }
        argv.add(url);
        String out = client.exec(Duration.ofSeconds(seconds + 60L), argv.toArray(String[]::new)).orThrow().stdout();
        String kind = close ? "close" : "keep-alive";
        Matcher rps = REQUESTS_PER_SECOND.matcher(out);
        if (!rps.find()) {
            throw new IllegalStateException("wrk (" + kind + ") printed no Requests/sec:\n" + out);
        }
        Matcher non2xx = NON_2XX.matcher(out);
        if (non2xx.find()) {
            notes.add(kind + ": " + non2xx.group(1) + " non-2xx");
        }
        Matcher errors = SOCKET_ERRORS.matcher(out);
        if (errors.find()) {
            notes.add(kind + ": socket errors" + errors.group(1).strip());
        }
        log("  wrk " + kind + ": " + rps.group(1) + " req/s");
        return Double.parseDouble(rps.group(1));
    }

    /** iperf3 to {@code target}:5201; the received rate in Gbit/s; notes which real server's iperf3 got it. */
    private double iperf(LabHost client, String target, List<String> notes) throws Exception {
        int[] before = accepted();
        String json = client.exec(Duration.ofSeconds(options.seconds() + 60L), "iperf3", "-c", target, "-p",
                Integer.toString(IPERF), "-t", Integer.toString(options.seconds()), "-P",
                Integer.toString(options.streams()), "-J").stdout();
        int at = json.indexOf("\"sum_received\"");
        Matcher bps = BITS_PER_SECOND.matcher(json);
        if (at < 0 || !bps.find(at)) {
            throw new IllegalStateException("iperf3 to " + target + " reported no sum_received:\n" + json);
        }
        int[] after = accepted();
        List<String> landed = new ArrayList<>();
        for (int i = 0; i < after.length; i++) {
            if (after[i] > before[i]) {
                landed.add("rs" + (i + 1));
            }
        }
        if (landed.isEmpty()) {
            throw new IllegalStateException("iperf3 to " + target + ": no real server's iperf3 accepted it");
        }
        notes.add("iperf3 on " + String.join("+", landed));
        double gbits = Double.parseDouble(bps.group(1)) / 1e9;
        log(String.format(Locale.ROOT, "  iperf3: %.2f Gbit/s (%s)", gbits, String.join("+", landed)));
        return gbits;
    }

    /** "Accepted connection from" lines in each real server's iperf3 log. */
    private int[] accepted() throws IOException {
        int[] n = new int[iperfServers.size()];
        for (int i = 0; i < n.length; i++) {
            n[i] = Files.readString(iperfServers.get(i).logFile()).split("Accepted connection from", -1).length - 1;
        }
        return n;
    }

    // ------------------------------------------------------------------ report

    /** A goal: {@code setup} at least {@code factor} x {@code reference}. */
    record Goal(String setup, String reference, double factor) {
    }

    static final List<Goal> GOALS = List.of(new Goal("NAT", "haproxy", 1.2), new Goal("NAT", "nftables", 0.9),
            new Goal("DR", "nftables", 1.0), new Goal("TUN", "nftables", 1.0));

    static String report(Options o, List<Result> results, String loadStart, String loadEnd) throws IOException {
        StringBuilder md = new StringBuilder();
        String model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?");
        md.append("Run ").append(ZonedDateTime.now().withNano(0)).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" CPUs (").append(model).append("), Java ")
                .append(Runtime.version()).append("; load average at start ").append(loadStart).append(", at end ")
                .append(loadEnd).append("; wrk -t").append(o.threads()).append(" -c").append(o.connections())
                .append(" -d").append(o.seconds()).append("s, iperf3 -t ").append(o.seconds()).append(" -P ")
                .append(o.streams()).append(o.wireFrames() ? ", MTU-sized frames on the veths (gso_max_segs 1)"
                        : ", veths with TSO").append(o.workers() > 1 ? ", Tandem with " + o.workers() + " workers" : "")
                .append("\n\n");
        md.append("| setup | req/s keep-alive | req/s close | iperf3 Gbit/s | notes |\n|---|---:|---:|---:|---|\n");
        Map<String, Result> by = new LinkedHashMap<>();
        for (Result r : results) {
            by.put(r.setup(), r);
            md.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %.2f | %s |%n", r.setup(), r.keepAlive(),
                    r.close(), r.gbits(), r.notes()));
        }
        md.append("\n| goal | keep-alive | close | iperf3 |\n|---|---|---|---|\n");
        for (Goal g : GOALS) {
            Result s = by.get(g.setup());
            Result ref = by.get(g.reference());
            if (s == null || ref == null) {
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %s/%s >= %.1f | %s | %s | %s |%n", g.setup(), g.reference(),
                    g.factor(), ratio(s.keepAlive(), ref.keepAlive(), g.factor()),
                    ratio(s.close(), ref.close(), g.factor()), ratio(s.gbits(), ref.gbits(), g.factor())));
        }
        return md.toString();
    }

    private static String ratio(double value, double reference, double goal) {
        double r = value / reference;
        return String.format(Locale.ROOT, "%.2f %s", r, r >= goal ? "PASS" : "MISS");
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return String.join(" ", Arrays.copyOf(f, 3));
        } catch (IOException e) {
            return "?";
        }
    }

    // ------------------------------------------------------------------ cleanup

    private synchronized void register(AutoCloseable resource) {
        resources.push(resource);
    }

    /** Stops every process this program started (by pid), then removes the lab; idempotent. */
    private void cleanup() {
        List<AutoCloseable> all;
        synchronized (this) {
            all = new ArrayList<>(resources);
            resources.clear();
        }
        for (AutoCloseable r : all) {
            try {
                r.close();
            } catch (Exception e) {
                System.err.println("cleanup: " + r + ": " + e);
            }
        }
    }

    private static void log(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
