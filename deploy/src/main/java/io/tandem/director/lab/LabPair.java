package io.tandem.director.lab;

import io.tandem.core.lab.Lab;
import io.tandem.core.lab.LabAddresses;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.LabOptions;
import io.tandem.core.lab.LabProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A director pair in a fresh lab (DESIGN.md's topology), the stage of {@code tandem lab demo} and
 * {@code tandem lab drill}: two real servers, each answering HTTP on 8080 ({@link DemoHttpServer})
 * and sequence streams on 9000 ({@link SequenceEchoServer}); two {@code tandem run} processes on one
 * keepalived.conf (VRRPv3 at 100 ms holding the VIP and the NAT gateway VIP, NAT virtual servers
 * VIP:80 and VIP:9000 with TCP checks, connection sync); and the means to fail each part: cut a
 * director's link at the switch, kill it, partition the pair, crash a real server. {@link #close}
 * removes everything, also after a failure; a shutdown hook does it on Ctrl-C.
 */
public final class LabPair implements AutoCloseable {
    public static final int HTTP_PORT = 80;
    public static final int STREAM_PORT = 9000;
    static final int REAL_HTTP_PORT = 8080;
    static final Duration WAIT = Duration.ofSeconds(30);

    private static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"([A-Z]+)\"");
    private static final Pattern VRRP_INSTANCES = Pattern.compile("\"vrrp_instances\"\\s*:\\s*\\{([^}]*)}");
    private static final Pattern INSTANCE_STATE = Pattern.compile(":\\s*\"([A-Z]+)\"");
    private static final String PARTITION_TABLE = "tandem_drill_partition";

    private final Lab lab;
    private final Path work;
    private final List<String> launcher;
    private final List<AutoCloseable> realServers = new ArrayList<>();
    private final LabProcess[] directors = new LabProcess[2];
    private final int[] starts = new int[2];
    private final Thread cleanup;
    private boolean closed;

    private LabPair(Lab lab, Path work, List<String> launcher) {
        this.lab = lab;
        this.work = work;
        this.launcher = List.copyOf(launcher);
        this.cleanup = Thread.ofPlatform().unstarted(this::close);
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    /**
     * Builds the lab and its real servers (the directors are started with {@link #startDirectors}).
     *
     * @param launcher the command line that runs {@code io.tandem.director.Main} (java, options, class path)
     */
    public static LabPair create(Path work, List<String> launcher) throws IOException {
        Lab lab = Lab.create(LabOptions.defaults().withRealServers(2));
        LabPair pair = new LabPair(lab, work, launcher);
        try {
            for (int i = 1; i <= 2; i++) {
                LabHost rs = lab.realServer(i);
                // NAT: replies go back through the floating gateway address the master holds
                rs.exec("ip", "route", "replace", LabAddresses.EXTERNAL_NETWORK, "via", LabAddresses.NAT_GATEWAY_VIP)
                        .orThrow();
                pair.startRealServer(i);
            }
        } catch (IOException | RuntimeException e) {
            pair.close();
            throw e;
        }
        return pair;
    }

    public Lab lab() {
        return lab;
    }

    /** The keepalived.conf both directors run, with {@code priority} (150: director-a, 100: director-b). */
    static String config(int priority) {
        StringBuilder services = new StringBuilder();
        for (int[] ports : new int[][] {{HTTP_PORT, REAL_HTTP_PORT}, {STREAM_PORT, STREAM_PORT}}) {
            services.append("""
                    virtual_server %s %d {
                        delay_loop 1
                        lb_algo rr
                        lb_kind NAT
                        protocol TCP
                    """.formatted(LabAddresses.VIP, ports[0]));
            for (int i = 1; i <= 2; i++) {
                services.append("""
                            real_server %s %d {
                                TCP_CHECK {
                                    connect_timeout 1
                                }
                            }
                        """.formatted(LabAddresses.realServer(i), ports[1]));
            }
            services.append("}\n");
        }
        return """
                global_defs {
                    router_id %s
                    lvs_sync_daemon eth0 inst VI_1
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
                """.formatted(priority == 150 ? "director_a" : "director_b", priority, LabAddresses.VIP,
                LabAddresses.NAT_GATEWAY_VIP) + services;
    }

    /** Starts director-a, waits for it to be master, then director-b as its backup. */
    public void startDirectors() throws Exception {
        startDirector(0);
        awaitState(lab.directorA(), "MASTER");
        startDirector(1);
        awaitState(lab.directorB(), "BACKUP");
    }

    /** Starts (or restarts) director-a (0) or director-b (1); its log is appended to. */
    public LabProcess startDirector(int index) throws IOException {
        LabHost host = host(index);
        host.exec("sysctl", "-qw", "net.ipv4.ip_forward=0").orThrow();
        Path conf = work.resolve(host.name() + ".conf");
        Files.writeString(conf, config(index == 0 ? 150 : 100));
        List<String> argv = new ArrayList<>(launcher);
        argv.addAll(List.of("run", "-f", conf.toString()));
        starts[index]++;
        // a restarted director logs to a file of its own, so the first one's log stays whole
        String log = host.name() + (starts[index] == 1 ? "" : "-" + starts[index]) + ".log";
        directors[index] = host.start(argv, work.resolve(log));
        return directors[index];
    }

    public LabHost host(int index) {
        return index == 0 ? lab.directorA() : lab.directorB();
    }

    public LabProcess director(int index) {
        return directors[index];
    }

    /** The name of the director that is master ("director-a", "director-b"), "none", or "both". */
    public String master() throws Exception {
        boolean a = "MASTER".equals(state(lab.directorA()));
        boolean b = "MASTER".equals(state(lab.directorB()));
        return a && b ? "both" : a ? "director-a" : b ? "director-b" : "none";
    }

    /**
     * A director's state from its admin /status, inside its namespace: "DOWN" when it does not
     * answer, and the director's state qualified by VRRP's while its instances disagree with it (the
     * director says BACKUP from its start, while VRRP may still be in INIT).
     */
    public static String state(LabHost host) throws Exception {
        String status = get(host, "/status");
        if (status.isEmpty()) {
            return "DOWN";
        }
        Matcher m = STATE.matcher(status);
        if (!m.find()) {
            return "UNKNOWN";
        }
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
    public static String get(LabHost host, String path) throws Exception {
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

    /** Waits until {@code host} reports {@code state} (VRRP agreeing); throws after {@link #WAIT}. */
    public void awaitState(LabHost host, String state) throws Exception {
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

    /** Milliseconds until the client's first answered request to VIP:80. */
    public long awaitServed() throws Exception {
        long start = System.nanoTime();
        while (System.nanoTime() - start < WAIT.toNanos()) {
            if (probe(Duration.ofMillis(1)).answered() > 0) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("VIP:80 not answered within " + WAIT.toSeconds() + " s");
    }

    /** A new connection to VIP:80 every 20 ms for {@code duration}, from the client. */
    public TrafficProbe.Report probe(Duration duration) throws Exception {
        return lab.client().call(() -> new TrafficProbe(new InetSocketAddress(LabAddresses.VIP, HTTP_PORT),
                Duration.ofMillis(300), System::nanoTime).run(duration, Duration.ofMillis(20)));
    }

    /** {@code n} long-lived sequence streams from the client to VIP:9000 (counters every 20 ms). */
    public SequenceStreams openStreams(int n) throws Exception {
        return lab.client().call(() -> new SequenceStreams(new InetSocketAddress(LabAddresses.VIP, STREAM_PORT), n,
                20_000_000L));
    }

    /** Takes a director's port on the LAN switch down or up (its link is cut, the director itself runs on). */
    public void setLink(int index, boolean up) throws IOException {
        lab.setBridgePortUp(host(index).iface(), up);
    }

    /**
     * Cuts VRRP between the directors one way (director-b drops director-a's advertisements, IP protocol
     * 112) or heals it; both still reach the clients and the real servers.
     */
    public void setPartition(boolean on) throws IOException {
        LabHost b = lab.directorB();
        b.exec("nft", "delete", "table", "inet", PARTITION_TABLE); // none yet is fine
        if (on) {
            b.exec("nft", "add", "table", "inet", PARTITION_TABLE).orThrow();
            b.exec("nft", "add", "chain", "inet", PARTITION_TABLE, "in",
                    "{ type filter hook input priority -300; policy accept; }").orThrow();
            b.exec("nft", "add", "rule", "inet", PARTITION_TABLE, "in", "ip", "saddr", LabAddresses.DIRECTOR_A,
                    "ip", "protocol", "112", "drop").orThrow();
        }
    }

    /** Stops real server {@code i}'s HTTP and stream servers, as when its processes crash. */
    public void crashRealServer(int i) throws Exception {
        AutoCloseable servers = realServers.set(i - 1, () -> { });
        servers.close();
    }

    /** Starts real server {@code i}'s HTTP and stream servers again. */
    public void startRealServer(int i) throws IOException {
        LabHost rs = lab.realServer(i);
        String name = "rs" + i;
        try {
            DemoHttpServer http = rs.call(() -> DemoHttpServer.start(name, new InetSocketAddress(REAL_HTTP_PORT)));
            SequenceEchoServer streams = rs.call(() -> new SequenceEchoServer(STREAM_PORT));
            AutoCloseable both = () -> {
                try (http; streams) {
                    // both closed, in reverse order
                }
            };
            if (realServers.size() < i) {
                realServers.add(both);
            } else {
                realServers.set(i - 1, both);
            }
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("starting " + name + "'s servers: " + e.getMessage(), e);
        }
    }

    /** The lines of a director's log that say what happened: transitions, health, sync, warnings. */
    public List<String> logHighlights(int index) throws IOException {
        LabProcess p = directors[index];
        if (p == null || !Files.exists(p.logFile())) {
            return List.of();
        }
        return Files.readAllLines(p.logFile()).stream()
                .filter(l -> l.contains(" -> ") || l.contains("HealthToWeights") || l.contains("WARN")
                        || l.contains("ERROR") || l.contains("bulk resync"))
                .toList();
    }

    /** Where the director's current process logs. */
    public Path logFile(int index) {
        return directors[index] == null ? work.resolve(host(index).name() + ".log") : directors[index].logFile();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (LabProcess d : directors) {
            if (d != null) {
                d.stop();
            }
        }
        for (AutoCloseable c : realServers.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                // keep removing the rest
            }
        }
        try {
            lab.close();
        } catch (IOException e) {
            // the lab's own teardown reports what it could not remove
        }
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running already
        }
    }
}
