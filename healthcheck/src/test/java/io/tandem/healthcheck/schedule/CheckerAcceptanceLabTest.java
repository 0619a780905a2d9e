package io.tandem.healthcheck.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.tandem.core.lab.LabPeers;
import io.tandem.core.lab.LabTest;
import io.tandem.core.lab.Netns;
import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.FailureReason;
import io.tandem.healthcheck.HealthEvent;
import io.tandem.healthcheck.config.CheckerConfig;
import io.tandem.healthcheck.config.CheckerKind;
import io.tandem.healthcheck.config.DnsCheckConfig;
import io.tandem.healthcheck.config.HttpCheckConfig;
import io.tandem.healthcheck.config.MiscCheckConfig;
import io.tandem.healthcheck.config.OptionOverrides;
import io.tandem.healthcheck.config.PingCheckConfig;
import io.tandem.healthcheck.config.RealServerConfig;
import io.tandem.healthcheck.config.SmtpCheckConfig;
import io.tandem.healthcheck.config.StatusCodes;
import io.tandem.healthcheck.config.TcpCheckConfig;
import io.tandem.healthcheck.config.UdpCheckConfig;
import io.tandem.healthcheck.config.UrlCheck;
import io.tandem.healthcheck.config.VirtualServiceConfig;
import io.tandem.healthcheck.icmp.IcmpEchoPinger;
import io.tandem.healthcheck.netty.CheckTransport;
import io.tandem.healthcheck.netty.NettyCheckers;
import io.tandem.core.process.ProcessRunner;
import io.tandem.healthcheck.support.Transports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's acceptance against real servers: nginx (HTTP_GET, SSL_GET,
 * TCP_CHECK), dnsmasq (DNS_CHECK), socat (UDP_CHECK as an echo, SMTP_CHECK
 * with a scripted dialogue), a MISC_CHECK script, and PING_CHECK to a host in
 * a network namespace of the test's own. All run at once in one
 * {@link HealthMonitor} on a Netty event loop, in real time.
 *
 * <ol>
 * <li>Stop every server (kill, link down, script failing): each real server is
 *     down within {@code delay_loop x (retry + 1) + connect_timeout}, with the
 *     reason its kind gives (refused, unreachable, exit status); restart: up
 *     again within about one {@code delay_loop}.</li>
 * <li>Hang every server (SIGSTOP: the kernel still accepts TCP, nobody
 *     answers; the MISC script sleeps): every answering check fails on
 *     TIMEOUT, each attempt after {@code connect_timeout} and not later;
 *     TCP_CHECK against nginx correctly stays up. A second TCP_CHECK's server
 *     stops accepting until its accept queue is full, so that the kernel
 *     drops the SYNs: TIMEOUT too. SIGCONT, accepting again: up again.</li>
 * <li>Change what nginx serves: wrong digest and regex mismatch while the
 *     status-only check stays up; then a 404 (wrong status code); restore.</li>
 * </ol>
 *
 * Every process the test starts is killed by pid (with its children) and its
 * files are in the test's temporary folder, also when it fails.
 */
@LabTest
class CheckerAcceptanceLabTest {
    private static final Duration DELAY_LOOP = Duration.ofSeconds(1);
    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);
    private static final Duration DELAY_BEFORE_RETRY = Duration.ofMillis(300);
    private static final int RETRY = 1;
    /** The bound: delay_loop x (retry + 1) + connect_timeout. */
    private static final double BOUND = (DELAY_LOOP.toMillis() * (RETRY + 1) + CONNECT_TIMEOUT.toMillis()) / 1000.0;
    /** Scheduling slack on a loaded, shared 2-core machine. */
    private static final double SLACK = 0.5;
    private static final String BODY = "nginx is healthy\n";

    @TempDir
    Path dir;

    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** Per service: its events with their time, and the failures of its checks (reason, latency). */
    private final Map<String, List<Stamped>> events = new ConcurrentHashMap<>();
    private final Map<String, List<Failure>> failures = new ConcurrentHashMap<>();

    private record Stamped(HealthEvent event, long nanos) {
    }

    private record Failure(FailureReason reason, long latencyNanos, long atNanos) {
    }

    @AfterEach
    void cleanUp() {
        for (Process p : processes) {
            kill(p);
        }
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                System.err.println("cleanup: " + e);
            }
        }
    }

    private static void kill(Process p) {
        List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
        all.add(p.toHandle());
        for (ProcessHandle h : all) {
            signal(h.pid(), "CONT");
            h.destroyForcibly();
        }
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("cleanup: pid " + h.pid() + " did not exit: " + e);
            }
        }
    }

    private static void signal(long pid, String sig) {
        try {
            new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("kill -" + sig + " " + pid, e);
        }
    }

    /** Stops or continues the process and the children it forked (socat). */
    private static void signalTree(Process p, String sig) {
        signal(p.pid(), sig);
        p.descendants().forEach(h -> signal(h.pid(), sig));
    }

    private Process start(Path log, List<String> argv) throws IOException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        return p;
    }

    private void stop(Process p) {
        kill(p);
        processes.remove(p);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitTcp(int port, Path log) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        fail("nothing listens on 127.0.0.1:" + port + ": " + Files.readString(log));
    }

    private static String md5(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private Path script(String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    // ---- the servers ----

    /**
     * A TCP server on loopback whose accept loop can stop: stopped, its accept
     * queue (backlog 1) is filled with idle connections, and the kernel drops
     * every further SYN (Linux {@code tcp_conn_request}: accept queue full), so
     * a connect gets no answer at all, as from an overloaded server.
     */
    private static final class Backlog implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final List<Socket> fillers = new ArrayList<>();
        private final Thread acceptor;
        private volatile boolean accepting = true;
        private volatile boolean idle;

        Backlog() throws IOException {
            server.setSoTimeout(20);
            acceptor = Thread.ofPlatform().daemon().name("backlog-acceptor").start(this::acceptLoop);
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                if (!accepting) {
                    idle = true;
                    LockSupport.parkNanos(5_000_000);
                    continue;
                }
                idle = false;
                try (Socket s = server.accept()) {
                    s.shutdownOutput();
                } catch (IOException e) {
                    // SocketTimeoutException: look at the flags again
                }
            }
        }

        InetSocketAddress address() {
            return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
        }

        /** Stops accepting, then connects until a connect is not answered: the queue is full. */
        void fill() throws Exception {
            accepting = false;
            while (!idle) {
                Thread.sleep(5);
            }
            for (int i = 0; i < 16; i++) {
                Socket s = new Socket();
                try {
                    s.connect(address(), 300);
                    fillers.add(s);
                } catch (SocketTimeoutException e) {
                    s.close();
                    return;
                }
            }
            fail("the accept queue of " + address() + " never filled");
        }

        /** Accepts again and closes the idle connections. */
        void drain() throws IOException {
            accepting = true;
            for (Socket s : fillers) {
                s.close();
            }
            fillers.clear();
        }

        @Override
        public void close() throws Exception {
            server.close();
            drain();
            acceptor.join(5000);
        }
    }

    private Process startNginx(int http, int https, SelfSignedCertificate cert) throws Exception {
        List<String> argv = LabPeers.nginx(dir, "127.0.0.1", http, https, cert.certificate().toPath(),
                cert.privateKey().toPath(), "");
        Files.writeString(dir.resolve("html/health"), BODY);
        Process p = start(dir.resolve("nginx.log"), argv);
        awaitTcp(http, dir.resolve("nginx.log"));
        awaitTcp(https, dir.resolve("nginx.log"));
        return p;
    }

    private Process startDnsmasq(int port) throws Exception {
        return start(dir.resolve("dnsmasq.log"), LabPeers.dnsmasq(dir, "127.0.0.1", port, "rs.example", "10.1.2.3"));
    }

    private Process startUdpEcho(int port) throws Exception {
        return start(dir.resolve("socat-udp.log"), LabPeers.udpEcho("127.0.0.1", port));
    }

    private Process startSmtp(int port, Path dialogue) throws Exception {
        Process p = start(dir.resolve("socat-smtp.log"), LabPeers.smtp("127.0.0.1", port, dialogue));
        awaitTcp(port, dir.resolve("socat-smtp.log"));
        return p;
    }

    // ---- the test ----

    @Test
    void everyCheckerFailsWithinTheBoundAndRecoversAgainstRealServers() throws Exception {
        for (Path tool : List.of(LabPeers.NGINX, LabPeers.DNSMASQ, LabPeers.SOCAT)) {
            assertThat(tool).as(tool + " (Debian package; .ci/run installs it)").isExecutable();
        }
        String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt(1 << 20)).substring(3);
        Netns client = Netns.create("t" + suffix + "hcc");
        closeables.add(client);
        Netns pingHost = Netns.create("t" + suffix + "hcr");
        closeables.add(pingHost);
        client.exec("ip", "link", "add", "a0", "type", "veth", "peer", "name", "b0", "netns", pingHost.name())
                .orThrow();
        client.exec("ip", "addr", "add", "10.9.9.1/24", "dev", "a0").orThrow();
        client.exec("ip", "link", "set", "a0", "up").orThrow();
        pingHost.exec("ip", "addr", "add", "10.9.9.2/24", "dev", "b0").orThrow();
        pingHost.exec("ip", "link", "set", "b0", "up").orThrow();
        IcmpEchoPinger pinger = client.call(IcmpEchoPinger::open);
        closeables.add(pinger::close);

        SelfSignedCertificate cert = SelfSignedCertificate.builder().fqdn("rs.example").build();
        closeables.add(cert::delete);
        int http = freePort();
        int https = freePort();
        int dns = freePort();
        int udp = freePort();
        int smtp = freePort();
        Process nginx = startNginx(http, https, cert);
        Process dnsmasq = startDnsmasq(dns);
        Process udpEcho = startUdpEcho(udp);
        Path dialogue = LabPeers.smtpDialogue(dir);
        Process smtpServer = startSmtp(smtp, dialogue);
        Path miscUp = dir.resolve("misc-up");
        Path miscHang = dir.resolve("misc-hang");
        Files.writeString(miscUp, "");
        Path misc = script("misc.sh", "[ -e " + miscHang + " ] && exec sleep 60\n[ -e " + miscUp + " ]");

        CheckTransport transport = Transports.create();
        closeables.add(() -> Transports.close(transport));
        ProcessRunner runner = new ProcessRunner();
        closeables.add(runner::close);

        OptionOverrides o = OptionOverrides.builder().delayLoop(DELAY_LOOP).connectTimeout(CONNECT_TIMEOUT)
                .retry(RETRY).delayBeforeRetry(DELAY_BEFORE_RETRY).warmup(Duration.ZERO).build();
        InetSocketAddress httpAt = new InetSocketAddress("127.0.0.1", http);
        InetSocketAddress httpsAt = new InetSocketAddress("127.0.0.1", https);
        InetSocketAddress dnsAt = new InetSocketAddress("127.0.0.1", dns);
        InetSocketAddress udpAt = new InetSocketAddress("127.0.0.1", udp);
        InetSocketAddress smtpAt = new InetSocketAddress("127.0.0.1", smtp);
        InetSocketAddress pingAt = new InetSocketAddress("10.9.9.2", 0);
        InetSocketAddress miscAt = new InetSocketAddress("127.0.0.1", 1);
        String digest = md5(BODY);
        Map<String, CheckerConfig> checks = new LinkedHashMap<>();
        checks.put("http-status", HttpCheckConfig.of(o.resolve(CheckerKind.HTTP_GET, httpAt), false,
                List.of(UrlCheck.path("/health").withStatusCodes(StatusCodes.parse("200")))));
        checks.put("http-digest", HttpCheckConfig.of(o.resolve(CheckerKind.HTTP_GET, httpAt), false,
                List.of(UrlCheck.path("/health").withDigest(digest))));
        checks.put("http-regex", HttpCheckConfig.of(o.resolve(CheckerKind.HTTP_GET, httpAt), false,
                List.of(UrlCheck.path("/health").withRegex("is (healthy|fine)", false))));
        checks.put("https", HttpCheckConfig.of(o.resolve(CheckerKind.SSL_GET, httpsAt), true,
                List.of(UrlCheck.path("/health").withDigest(digest))).withVirtualhost("rs.example").withSni(null));
        checks.put("tcp", new TcpCheckConfig(o.resolve(CheckerKind.TCP_CHECK, httpAt)));
        Backlog backlog = new Backlog();
        closeables.add(backlog);
        checks.put("tcp-backlog", new TcpCheckConfig(o.resolve(CheckerKind.TCP_CHECK, backlog.address())));
        checks.put("dns", new DnsCheckConfig(o.resolve(CheckerKind.DNS_CHECK, dnsAt), "A", "rs.example"));
        checks.put("udp", UdpCheckConfig.of(o.resolve(CheckerKind.UDP_CHECK, udpAt),
                HexFormat.of().formatHex("ping\n".getBytes(StandardCharsets.US_ASCII)), true, "70696e67"));
        checks.put("smtp", new SmtpCheckConfig(o.resolve(CheckerKind.SMTP_CHECK, smtpAt), "director.example"));
        checks.put("ping", new PingCheckConfig(o.resolve(CheckerKind.PING_CHECK, pingAt)));
        checks.put("misc", new MiscCheckConfig(o.resolve(CheckerKind.MISC_CHECK, miscAt), List.of(misc.toString()),
                CONNECT_TIMEOUT, false, null));
        List<VirtualServiceConfig> services = new ArrayList<>();
        for (var e : checks.entrySet()) {
            events.put(e.getKey(), new CopyOnWriteArrayList<>());
            failures.put(e.getKey(), new CopyOnWriteArrayList<>());
            services.add(VirtualServiceConfig.of(e.getKey(), List.of(
                    RealServerConfig.of(e.getValue().options().connectTo(), 1, List.of(e.getValue())))));
        }
        NettyCheckers factory = new NettyCheckers(transport, runner, () -> pinger);
        // a few attempts of each checker first: the first TLS handshakes of a cold JVM (class loading, JIT)
        // on a busy machine can take longer than connect_timeout, and that is not what is measured here
        for (int round = 0; round < 5; round++) {
            for (CheckerConfig c : checks.values()) {
                factory.create(c).check().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
        HealthMonitor monitor = new HealthMonitor(new EventLoopScheduler(transport.group().next()), factory,
                e -> events.get(e.service()).add(new Stamped(e, System.nanoTime())),
                (service, rs, kind, result, latency) -> record(service, result, latency),
                new SplittableRandom(4));
        closeables.add(monitor::close);
        monitor.apply(services);
        // every check passes first: no failure at all in two rounds
        Thread.sleep(DELAY_LOOP.toMillis() * 2);
        for (String s : checks.keySet()) {
            assertThat(failures.get(s)).as(s + " failed against a healthy server").isEmpty();
            assertThat(events.get(s)).as(s).first().extracting(Stamped::event)
                    .isInstanceOf(HealthEvent.RealServerUp.class);
        }

        // 1. stop every server; each check's detection time counts from its own server's stop
        long stopped = System.nanoTime();
        Map<String, Long> stoppedAt = new HashMap<>();
        stoppedAt(stoppedAt, List.of("http-status", "http-digest", "http-regex", "https", "tcp"));
        stop(nginx);
        stoppedAt(stoppedAt, List.of("dns"));
        stop(dnsmasq);
        stoppedAt(stoppedAt, List.of("udp"));
        stop(udpEcho);
        stoppedAt(stoppedAt, List.of("smtp"));
        stop(smtpServer);
        stoppedAt(stoppedAt, List.of("ping"));
        pingHost.exec("ip", "link", "set", "b0", "down").orThrow();
        stoppedAt(stoppedAt, List.of("misc"));
        Files.delete(miscUp);
        Map<String, FailureReason> expected = new LinkedHashMap<>();
        for (String s : List.of("http-status", "http-digest", "http-regex", "https", "tcp", "smtp")) {
            expected.put(s, FailureReason.REFUSED);
        }
        expected.put("dns", FailureReason.UNREACHABLE);
        expected.put("udp", FailureReason.UNREACHABLE);
        expected.put("ping", null);   // timeout or unreachable, as the kernel decides for a link gone down
        expected.put("misc", FailureReason.EXIT_STATUS);
        for (var e : expected.entrySet()) {
            double seconds = awaitDown(e.getKey(), stoppedAt.get(e.getKey()));
            System.out.printf("stop: %s down after %.3f s (bound %.1f s)%n", e.getKey(), seconds, BOUND);
            assertThat(seconds).as(e.getKey() + " detection").isLessThanOrEqualTo(BOUND + SLACK);
            FailureReason last = lastFailure(e.getKey(), stoppedAt.get(e.getKey())).reason();
            if (e.getValue() != null) {
                assertThat(last).as(e.getKey()).isEqualTo(e.getValue());
            } else {
                assertThat(last).as(e.getKey()).isIn(FailureReason.TIMEOUT, FailureReason.UNREACHABLE,
                        FailureReason.CONNECT_ERROR);
            }
        }
        // restart every server
        long restarted = System.nanoTime();
        nginx = startNginx(http, https, cert);
        dnsmasq = startDnsmasq(dns);
        udpEcho = startUdpEcho(udp);
        smtpServer = startSmtp(smtp, dialogue);
        pingHost.exec("ip", "link", "set", "b0", "up").orThrow();
        Files.writeString(miscUp, "");
        awaitAllUp(checks.keySet().stream().filter(c -> !c.equals("tcp-backlog")).toList(), restarted, "restart");
        assertThat(downSince("tcp-backlog", stopped)).as("tcp-backlog, whose server was not stopped").isFalse();

        // 2. hang every server: the kernel accepts, nobody answers
        long hung = System.nanoTime();
        Map<String, Long> hungAt = new HashMap<>();
        stoppedAt(hungAt, List.of("http-status", "https"));
        signalTree(nginx, "STOP");
        stoppedAt(hungAt, List.of("dns"));
        signalTree(dnsmasq, "STOP");
        stoppedAt(hungAt, List.of("udp"));
        signalTree(udpEcho, "STOP");
        stoppedAt(hungAt, List.of("smtp"));
        signalTree(smtpServer, "STOP");
        stoppedAt(hungAt, List.of("misc"));
        Files.writeString(miscHang, "");
        stoppedAt(hungAt, List.of("tcp-backlog"));
        backlog.fill();
        for (String s : List.of("http-status", "https", "dns", "udp", "smtp", "misc", "tcp-backlog")) {
            double seconds = awaitDown(s, hungAt.get(s));
            System.out.printf("hang: %s down after %.3f s (bound %.1f s)%n", s, seconds, BOUND);
            assertThat(seconds).as(s + " detection").isLessThanOrEqualTo(BOUND + SLACK);
            Failure last = lastFailure(s, hungAt.get(s));
            assertThat(last.reason()).as(s).isEqualTo(FailureReason.TIMEOUT);
            // the attempt failed on connect_timeout (misc_timeout), not later
            assertThat(last.latencyNanos() / 1e9).as(s + " attempt duration")
                    .isBetween(CONNECT_TIMEOUT.toMillis() / 1000.0 - 0.01, CONNECT_TIMEOUT.toMillis() / 1000.0 + 0.3);
        }
        // the kernel still completes the TCP handshake of a stopped nginx: TCP_CHECK passes, rightly
        assertThat(downSince("tcp", hung)).as("TCP_CHECK against a stopped (SIGSTOP) nginx").isFalse();
        long continued = System.nanoTime();
        signalTree(nginx, "CONT");
        signalTree(dnsmasq, "CONT");
        signalTree(udpEcho, "CONT");
        signalTree(smtpServer, "CONT");
        Files.delete(miscHang);
        backlog.drain();
        awaitAllUp(List.of("http-status", "https", "dns", "udp", "smtp", "misc", "tcp-backlog"), continued,
                "continue");
        // the hanging script was killed on misc_timeout: no sleep of it is left
        assertThat(ProcessHandle.allProcesses().filter(h -> h.info().arguments().map(a -> a.length == 1
                && a[0].equals("60")).orElse(false) && h.info().command().map(c -> c.endsWith("sleep"))
                .orElse(false) && h.parent().map(pp -> pp.pid() == ProcessHandle.current().pid()).orElse(false))
                .count()).isZero();

        // 3. nginx serves something else: wrong digest and regex mismatch, the status check stays up
        long changed = System.nanoTime();
        Files.writeString(dir.resolve("html/health"), "nginx is sick\n");
        for (String s : List.of("http-digest", "https", "http-regex")) {
            double seconds = awaitDown(s, changed);
            assertThat(seconds).as(s + " detection").isLessThanOrEqualTo(BOUND + SLACK);
            assertThat(lastFailure(s, changed).reason()).as(s)
                    .isEqualTo(s.equals("http-regex") ? FailureReason.REGEX_MISMATCH : FailureReason.BAD_DIGEST);
        }
        assertThat(downSince("http-status", changed)).as("status-only check with a changed body").isFalse();
        // then a 404: the wrong status code
        long removed = System.nanoTime();
        Files.delete(dir.resolve("html/health"));
        double seconds = awaitDown("http-status", removed);
        assertThat(seconds).isLessThanOrEqualTo(BOUND + SLACK);
        assertThat(lastFailure("http-status", removed).reason()).isEqualTo(FailureReason.BAD_STATUS);
        long restored = System.nanoTime();
        Files.writeString(dir.resolve("html/health"), BODY);
        awaitAllUp(List.of("http-status", "http-digest", "http-regex", "https"), restored, "restore");
        assertThat(events.get("tcp").stream().filter(e -> e.event() instanceof HealthEvent.RealServerDown))
                .as("tcp went down on the stop only").hasSize(1);
    }

    /** Notes now as the moment the servers of {@code checks} are stopped. */
    private static void stoppedAt(Map<String, Long> at, List<String> checks) {
        long now = System.nanoTime();
        checks.forEach(c -> at.put(c, now));
    }

    private void record(String service, CheckResult result, long latency) {
        if (!result.success()) {
            failures.get(service).add(new Failure(result.reason(), latency, System.nanoTime()));
        }
    }

    private Failure lastFailure(String service, long since) {
        List<Failure> list = failures.get(service).stream().filter(f -> f.atNanos() >= since).toList();
        assertThat(list).as(service + ": failures since the change").isNotEmpty();
        return list.getLast();
    }

    private boolean downSince(String service, long since) {
        return events.get(service).stream()
                .anyMatch(s -> s.nanos() >= since && s.event() instanceof HealthEvent.RealServerDown);
    }

    /** Seconds from {@code since} to the service's first RealServerDown after it (at most 10 s). */
    private double awaitDown(String service, long since) throws InterruptedException {
        return awaitEvent(service, since, HealthEvent.RealServerDown.class);
    }

    private double awaitEvent(String service, long since, Class<? extends HealthEvent> type)
            throws InterruptedException {
        long end = since + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            for (Stamped s : events.get(service)) {
                if (s.nanos() >= since && type.isInstance(s.event())) {
                    return (s.nanos() - since) / 1e9;
                }
            }
            Thread.sleep(20);
        }
        return fail(service + ": no " + type.getSimpleName() + " within 10 s; failures: "
                + failures.get(service).stream().filter(f -> f.atNanos() >= since).toList());
    }

    private void awaitAllUp(Iterable<String> names, long since, String what) throws InterruptedException {
        for (String s : names) {
            double seconds = awaitEvent(s, since, HealthEvent.RealServerUp.class);
            System.out.printf("%s: %s up after %.3f s%n", what, s, seconds);
            // the next check passes: at most one delay_loop (plus a retry delay) after the server is back
            assertThat(seconds).as(s + " recovery").isLessThanOrEqualTo(DELAY_LOOP.toMillis() / 1000.0
                    + DELAY_BEFORE_RETRY.toMillis() / 1000.0 + CONNECT_TIMEOUT.toMillis() / 1000.0 + SLACK);
        }
    }
}
