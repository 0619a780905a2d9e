package io.tandem.benchmarks;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tandem.core.lab.Lab;
import io.tandem.core.lab.LabAddresses;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.LabOptions;
import io.tandem.core.lab.LabProcess;
import io.tandem.vrrp.VrrpInstanceConfig;
import io.tandem.vrrp.VrrpState;
import io.tandem.vrrp.net.VrrpEngine;
import io.tandem.vrrp.packet.VrrpChecksumMode;
import io.tandem.vrrp.packet.VrrpVersion;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * VRRP failover benchmark (issue 3, "Benchmark"): client-observed outage when the
 * master's link is cut at the switch, for a Tandem pair and a keepalived pair with the
 * same configuration (VRRPv3, VRID 51, priority 150 on director-a, 100 on director-b,
 * VIP 10.77.0.100/32, preempt) in one lab, at several advert intervals; and the CPU of
 * one Tandem director process at 10 ms adverts.
 *
 * <p>The client (lab namespace {@code client}) sends a UDP datagram to VIP:7777 every
 * ~1 ms; a responder in each director namespace (bound to 0.0.0.0) echoes it with its
 * name, so only the VIP holder answers. The outage of one trial is the time between the
 * last answer received before the first answer from director-b and that answer.
 *
 * <p>Not a test: run it as root, see docs/benchmarks-failover.md. Everything it creates
 * (lab namespaces, engines, keepalived and child JVMs) is removed on exit, also on
 * failure and Ctrl-C (shutdown hook); only processes it started are stopped, by pid.
 */
public final class FailoverBenchmark {
    static final int VRID = 51;
    static final int PORT = 7777;
    static final byte ID_A = 'A';
    static final byte ID_B = 'B';

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private volatile boolean shuttingDown;
    private Lab lab;
    private Path work;
    private Probe probe;

    private record Options(int trials, int trials1s, List<Long> intervalsMs, int cpuSeconds, boolean cpuKeepalived,
            List<String> setups, Path out, int cpuWarmupSeconds, List<String> childJavaOptions) {
    }

    private Options options;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("engine")) {
            EngineChild.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Options options = parse(args);
        FailoverBenchmark bench = new FailoverBenchmark();
        LabRunMain.runAndExit("failbench", () -> bench.run(options), bench::cleanup);
    }

    private static Options parse(String[] args) {
        int trials = 20;
        Integer trials1s = null;
        List<Long> intervals = List.of(1000L, 100L, 10L);
        int cpu = 60;
        boolean cpuKeepalived = true;
        List<String> setups = List.of("tandem", "keepalived");
        Path out = null;
        int warmup = 10;
        List<String> childJava = List.of();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--trials" -> trials = Integer.parseInt(args[++i]);
                case "--trials-1s" -> trials1s = Integer.parseInt(args[++i]);
                case "--intervals" -> intervals = Arrays.stream(args[++i].split(",")).map(Long::parseLong).toList();
                case "--cpu-seconds" -> cpu = Integer.parseInt(args[++i]);
                case "--no-keepalived-cpu" -> cpuKeepalived = false;
                case "--setups" -> setups = List.of(args[++i].split(","));
                case "--out" -> out = Path.of(args[++i]);
                case "--cpu-only" -> setups = List.of();
                case "--cpu-warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--child-java-options" -> childJava = List.of(args[++i].trim().split("\\s+"));
                default -> {
                    System.err.println("""
                            usage: FailoverBenchmark [--trials N (20)] [--trials-1s N (= --trials)]
                                   [--intervals ms,ms,... (1000,100,10)] [--setups tandem,keepalived]
                                   [--cpu-seconds S (60; 0 = skip)] [--no-keepalived-cpu] [--out results.md]
                                   [--cpu-only] [--cpu-warmup S (10)] [--child-java-options "-XX:..."]""");
                    System.exit(2);
                }
            }
        }
        return new Options(trials, trials1s == null ? trials : trials1s, intervals, cpu, cpuKeepalived, setups, out,
                warmup, childJava);
    }

    // ------------------------------------------------------------------ run

    private void run(Options o) throws Exception {
        options = o;
        work = Files.createTempDirectory("failbench-");
        log("work directory (configs, logs): " + work);
        lab = Lab.create(LabOptions.defaults().withRealServers(1));
        log("lab " + lab.prefix() + " up");
        register(lab);
        register(responder(lab.directorA(), ID_A));
        register(responder(lab.directorB(), ID_B));
        probe = new Probe(lab.client());
        register(probe);

        Map<String, Map<Long, Result>> results = new LinkedHashMap<>();
        for (long interval : o.intervalsMs()) {
            int n = interval >= 1000 ? o.trials1s() : o.trials();
            for (String setup : o.setups()) {
                Result r = runSetup(setup, interval, n);
                results.computeIfAbsent(setup, k -> new LinkedHashMap<>()).put(interval, r);
                log(setup + " @ " + interval + " ms: " + r.summary());
            }
        }
        String cpu = "";
        if (o.cpuSeconds() > 0) {
            cpu = measureCpu(o.cpuSeconds(), o.cpuKeepalived());
        }
        String report = report(o, results, cpu);
        System.out.println();
        System.out.println(report);
        if (o.out() != null) {
            Files.writeString(o.out(), report);
            log("results written to " + o.out());
        }
    }

    private Result runSetup(String setup, long intervalMs, int trials) throws Exception {
        log("=== " + setup + ", VRRPv3 advert " + intervalMs + " ms, " + trials + " trials");
        Pair pair = switch (setup) {
            case "tandem" -> new TandemPair(intervalMs);
            case "keepalived" -> new KeepalivedPair(intervalMs);
            default -> throw new IllegalArgumentException("invalid setup: " + setup
                    + " (expected: tandem or keepalived)");
        };
        register(pair);
        List<Double> outages = new ArrayList<>();
        int failed = 0;
        try {
            Duration settle = Duration.ofMillis(intervalMs * 10 + 15_000);
            for (int t = 1; t <= trials; t++) {
                if (!awaitAMaster(pair, settle, intervalMs)) {
                    throw new IllegalStateException(setup + ": director-a did not become master with the VIP answering"
                            + " within " + settle + " (trial " + t + ")");
                }
                // a random phase of the cut against A's advert timer
                long phase = (long) (ThreadLocalRandom.current().nextDouble() * intervalMs);
                Thread.sleep(Math.max(50, 3 * intervalMs) + phase);
                if (!aIsMaster(pair)) {
                    t--;
                    continue;
                }
                int mark = probe.size();
                long cut = System.nanoTime();
                lab.setBridgePortUp(lab.directorA().iface(), false);
                long limit = cut + Duration.ofMillis(intervalMs * 5 + 5_000).toNanos();
                int firstB = -1;
                while (System.nanoTime() < limit && (firstB = probe.firstFrom(ID_B, mark)) < 0) {
                    Thread.sleep(1);
                }
                if (firstB < 0) {
                    failed++;
                    log(String.format(Locale.ROOT, "  trial %2d: no answer from director-b within %d ms", t,
                            (System.nanoTime() - cut) / 1_000_000));
                } else {
                    long tb = probe.time(firstB);
                    long before = firstB > 0 ? probe.time(firstB - 1) : cut;
                    double outageMs = (tb - before) / 1e6;
                    double sinceCut = (tb - cut) / 1e6;
                    outages.add(outageMs);
                    log(String.format(Locale.ROOT, "  trial %2d: outage %8.1f ms (first answer from B %8.1f ms after"
                            + " the cut command)", t, outageMs, sinceCut));
                }
                lab.setBridgePortUp(lab.directorA().iface(), true);
            }
        } finally {
            lab.setBridgePortUp(lab.directorA().iface(), true);
            pair.close();
            resources.remove(pair);
        }
        return new Result(intervalMs, outages, failed, trials);
    }

    /** A master with the VIP, B without it, and the client's answers coming from A. */
    private boolean aIsMaster(Pair pair) {
        try {
            return pair.aMasterBBackup() && holdsVip(lab.directorA()) && !holdsVip(lab.directorB())
                    && probe.lastId() == ID_A && System.nanoTime() - probe.lastNanos() < 50_000_000L;
        } catch (Exception e) {
            return false;
        }
    }

    private boolean awaitAMaster(Pair pair, Duration limit, long intervalMs) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        long stableSince = -1;
        long needStable = Math.max(200, 2 * intervalMs) * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (aIsMaster(pair)) {
                if (stableSince < 0) {
                    stableSince = System.nanoTime();
                } else if (System.nanoTime() - stableSince >= needStable) {
                    return true;
                }
            } else {
                stableSince = -1;
            }
            Thread.sleep(20);
        }
        return false;
    }

    // ------------------------------------------------------------------ the two setups

    interface Pair extends AutoCloseable {
        /** What the VRRP implementation says (or, for keepalived, what its log says). */
        boolean aMasterBBackup() throws Exception;

        @Override
        void close();
    }

    static VrrpInstanceConfig config(LabHost host, long intervalMs, int priority) throws IOException {
        return VrrpInstanceConfig.builder("VI_1", host.interfaceName(), VRID)
                .priority(priority)
                .version(VrrpVersion.V3)
                .advertInterval(Duration.ofMillis(intervalMs))
                .primaryAddress(host.address())
                .virtualAddresses(List.of(InetAddress.getByName(LabAddresses.VIP)))
                .preempt(true)
                .checksumMode(VrrpChecksumMode.IPV4_PSEUDO_HEADER)
                .build();
    }

    /** keepalived's defaults: garp_master_repeat 5, garp_master_delay 5 s. */
    static VrrpEngine engine(LabHost host, long intervalMs, int priority) throws Exception {
        VrrpInstanceConfig config = config(host, intervalMs, priority);
        return host.call(() -> VrrpEngine.start(List.of(config), new SimpleMeterRegistry(), change -> { }));
    }

    final class TandemPair implements Pair {
        private final VrrpEngine a;
        private final VrrpEngine b;

        TandemPair(long intervalMs) throws Exception {
            a = engine(lab.directorA(), intervalMs, 150);
            VrrpEngine started = null;
            try {
                started = engine(lab.directorB(), intervalMs, 100);
            } finally {
                if (started == null) {
                    a.close();
                }
            }
            b = started;
        }

        @Override
        public boolean aMasterBBackup() throws Exception {
            return a.states().get("VI_1") == VrrpState.MASTER && b.states().get("VI_1") == VrrpState.BACKUP;
        }

        @Override
        public void close() {
            a.close();
            b.close();
        }
    }

    final class KeepalivedPair implements Pair {
        private final LabProcess a;
        private final LabProcess b;
        private final Path logA;
        private final Path logB;

        KeepalivedPair(long intervalMs) throws Exception {
            String tag = "ka-" + intervalMs;
            logA = work.resolve(tag + "-a.log");
            logB = work.resolve(tag + "-b.log");
            a = keepalived(lab.directorA(), tag + "-a", intervalMs, 150);
            LabProcess started = null;
            try {
                started = keepalived(lab.directorB(), tag + "-b", intervalMs, 100);
            } finally {
                if (started == null) {
                    a.stop();
                }
            }
            b = started;
        }

        @Override
        public boolean aMasterBBackup() throws Exception {
            return a.isAlive() && b.isAlive() && lastState(logA).equals("MASTER") && lastState(logB).equals("BACKUP");
        }

        private static String lastState(Path log) throws IOException {
            String text = Files.readString(log);
            int m = text.lastIndexOf("Entering MASTER STATE");
            int bk = text.lastIndexOf("Entering BACKUP STATE");
            int f = text.lastIndexOf("Entering FAULT STATE");
            int max = Math.max(m, Math.max(bk, f));
            return max < 0 ? "INIT" : max == m ? "MASTER" : max == bk ? "BACKUP" : "FAULT";
        }

        @Override
        public void close() {
            a.stop();
            b.stop();
        }
    }

    LabProcess keepalived(LabHost host, String tag, long intervalMs, int priority) throws IOException {
        Path conf = work.resolve(tag + ".conf");
        Files.writeString(conf, keepalivedConf(host, tag, intervalMs, priority));
        return host.start(List.of("keepalived", "--dont-fork", "--log-console", "--log-detail", "--vrrp",
                "--use-file=" + conf, "--pid=" + work.resolve(tag + ".pid"),
                "--vrrp_pid=" + work.resolve(tag + ".vrrp.pid")), work.resolve(tag + ".log"));
    }

    static String keepalivedConf(LabHost host, String tag, long intervalMs, int priority) {
        String interval = String.format(Locale.ROOT, "%.2f", intervalMs / 1000.0);
        return """
                global_defs {
                    router_id %s
                    vrrp_version 3
                }
                vrrp_instance VI_1 {
                    state BACKUP
                    interface %s
                    virtual_router_id %d
                    priority %d
                    advert_int %s
                    virtual_ipaddress {
                        %s/32
                    }
                }
                """.formatted(tag, host.interfaceName(), VRID, priority, interval, LabAddresses.VIP);
    }

    // ------------------------------------------------------------------ CPU

    private String measureCpu(int seconds, boolean withKeepalived) throws Exception {
        StringBuilder md = new StringBuilder();
        md.append("| process (VRRPv3, 10 ms adverts) | CPU time over ").append(seconds)
                .append(" s | share of one core |\n|---|---:|---:|\n");
        log("=== CPU: Tandem director processes at 10 ms adverts, " + seconds + " s (after "
                + options.cpuWarmupSeconds() + " s warm-up)");
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("java.class.path");
        List<String> base = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        base.addAll(options.childJavaOptions());
        base.addAll(List.of("-cp", cp, FailoverBenchmark.class.getName(), "engine"));
        LabProcess a = lab.directorA().start(concat(base, lab.directorA().ip(), lab.directorA().interfaceName(),
                "150", "10"), work.resolve("cpu-tandem-a.log"));
        register(a);
        LabProcess b = lab.directorB().start(concat(base, lab.directorB().ip(), lab.directorB().interfaceName(),
                "100", "10"), work.resolve("cpu-tandem-b.log"));
        register(b);
        try {
            if (!awaitLog(work.resolve("cpu-tandem-a.log"), "state MASTER", Duration.ofSeconds(30))) {
                throw new IllegalStateException("Tandem child in director-a did not become master");
            }
            Thread.sleep(options.cpuWarmupSeconds() * 1000L);
            double[] pct = cpuShare(seconds, List.of(a.pid()), List.of(b.pid()));
            md.append(row("Tandem director-a (master), JVM process", pct[0], pct[2], seconds));
            md.append(row("Tandem director-b (backup), JVM process", pct[1], pct[2], seconds));
        } finally {
            a.stop();
            b.stop();
            resources.remove(a);
            resources.remove(b);
        }
        if (withKeepalived) {
            log("=== CPU: keepalived at 10 ms adverts, " + seconds + " s (after " + options.cpuWarmupSeconds()
                    + " s warm-up)");
            KeepalivedPair pair = new KeepalivedPair(10);
            register(pair);
            try {
                Thread.sleep(options.cpuWarmupSeconds() * 1000L);
                List<Long> pa = List.of(pair.a.pid(), readPid(work.resolve("ka-10-a.vrrp.pid")));
                List<Long> pb = List.of(pair.b.pid(), readPid(work.resolve("ka-10-b.vrrp.pid")));
                double[] pct = cpuShare(seconds, pa, pb);
                md.append(row("keepalived director-a (master), parent + VRRP child", pct[0], pct[2], seconds));
                md.append(row("keepalived director-b (backup), parent + VRRP child", pct[1], pct[2], seconds));
            } finally {
                pair.close();
                resources.remove(pair);
            }
        }
        return md.toString();
    }

    private static String row(String what, double cpuSeconds, double wall, int seconds) {
        return String.format(Locale.ROOT, "| %s | %.2f s | %.2f %% |%n", what, cpuSeconds, 100 * cpuSeconds / wall);
    }

    /** CPU seconds of the two process groups over {@code seconds}, and the wall time: {a, b, wall}. */
    private static double[] cpuShare(int seconds, List<Long> a, List<Long> b) throws Exception {
        long a0 = ticks(a);
        long b0 = ticks(b);
        Map<String, Long> threadsA0 = threadTicks(a.get(0));
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long a1 = ticks(a);
        long b1 = ticks(b);
        Map<String, Long> threadsA1 = threadTicks(a.get(0));
        double wall = (System.nanoTime() - t0) / 1e9;
        double hz = clockTicks();
        StringBuilder top = new StringBuilder("  director-a busiest threads:");
        threadsA1.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - threadsA0.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(6)
                .forEach(e -> top.append(String.format(Locale.ROOT, " %s %.2f s;", e.getKey(), e.getValue() / hz)));
        if (top.toString().endsWith(";")) {
            log(top.toString());
        }
        log(String.format(Locale.ROOT, "  a: %.2f s CPU, b: %.2f s CPU in %.1f s", (a1 - a0) / hz, (b1 - b0) / hz,
                wall));
        return new double[] {(a1 - a0) / hz, (b1 - b0) / hz, wall};
    }

    /** utime + stime of the processes, in clock ticks (/proc/PID/stat fields 14 and 15). */
    static long ticks(List<Long> pids) throws IOException {
        long sum = 0;
        for (long pid : pids) {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
        return sum;
    }

    /** utime + stime per thread ("name/tid"), in clock ticks. */
    static Map<String, Long> threadTicks(long pid) {
        Map<String, Long> out = new LinkedHashMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.put(name + "/" + task.getFileName(), Long.parseLong(f[11]) + Long.parseLong(f[12]));
                } catch (IOException | RuntimeException gone) {
                    // the thread ended
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        return out;
    }

    static double clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor();
            return Double.parseDouble(out);
        } catch (Exception e) {
            return 100;
        }
    }

    private static long readPid(Path file) throws Exception {
        for (int i = 0; i < 100 && !Files.exists(file); i++) {
            Thread.sleep(50);
        }
        return Long.parseLong(Files.readString(file).strip());
    }

    private static boolean awaitLog(Path log, String text, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static List<String> concat(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }

    /** {@code FailoverBenchmark engine IP IFACE PRIORITY INTERVAL_MS}: one Tandem VRRP engine until SIGTERM. */
    static final class EngineChild {
        static void main(String[] args) throws Exception {
            InetAddress vip = InetAddress.getByName(LabAddresses.VIP);
            VrrpInstanceConfig config = VrrpInstanceConfig.builder("VI_1", args[1], VRID)
                    .priority(Integer.parseInt(args[2]))
                    .version(VrrpVersion.V3)
                    .advertInterval(Duration.ofMillis(Long.parseLong(args[3])))
                    .primaryAddress(InetAddress.getByName(args[0]))
                    .virtualAddresses(List.of(vip))
                    .preempt(true)
                    .checksumMode(VrrpChecksumMode.IPV4_PSEUDO_HEADER)
                    .build();
            VrrpEngine engine = VrrpEngine.start(List.of(config), new SimpleMeterRegistry(), change -> System.out.println("state " + change.to()));
            CountDownLatch done = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
                System.out.println("adverts sent: " + engine.advertisementsSent());
                engine.close();
                done.countDown();
            }));
            done.await();
        }
    }

    // ------------------------------------------------------------------ client probe and responders

    /** Echoes every datagram on port 7777 with {@code id} in byte 8, from inside {@code host}'s namespace. */
    private AutoCloseable responder(LabHost host, byte id) throws Exception {
        DatagramChannel ch = host.call(() -> {
            DatagramChannel c = DatagramChannel.open();
            c.bind(new InetSocketAddress(PORT));
            return c;
        });
        Thread.ofPlatform().daemon().name("responder-" + host.name()).start(() -> {
            ByteBuffer buf = ByteBuffer.allocate(64);
            try {
                while (true) {
                    buf.clear();
                    SocketAddress from = ch.receive(buf);
                    buf.flip();
                    if (buf.remaining() >= 9) {
                        buf.put(8, id);
                        ch.send(buf, from);
                    }
                }
            } catch (ClosedChannelException closed) {
                // done
            } catch (IOException e) {
                if (!shuttingDown) {
                    System.err.println("responder " + host.name() + ": " + e);
                }
            }
        });
        return ch;
    }

    /** Sends to VIP:7777 every ~1 ms from the client namespace and records every answer's arrival time and sender. */
    static final class Probe implements AutoCloseable {
        private final DatagramChannel ch;
        private volatile boolean running = true;
        private long[] times = new long[1 << 16];
        private byte[] ids = new byte[1 << 16];
        private int size;
        private volatile long lastNanos;
        private volatile byte lastId;

        Probe(LabHost client) throws Exception {
            ch = client.call(() -> {
                DatagramChannel c = DatagramChannel.open();
                c.bind(null);
                return c;
            });
            InetSocketAddress target = new InetSocketAddress(InetAddress.getByName(LabAddresses.VIP), PORT);
            Thread.ofPlatform().daemon().name("probe-send").start(() -> {
                ByteBuffer buf = ByteBuffer.allocate(16);
                long seq = 0;
                while (running) {
                    buf.clear();
                    buf.putLong(seq++).put((byte) 0).flip();
                    try {
                        ch.send(buf, target);
                    } catch (IOException e) {
                        if (!running) {
                            return;
                        }
                    }
                    LockSupport.parkNanos(1_000_000);
                }
            });
            Thread.ofPlatform().daemon().name("probe-receive").start(() -> {
                ByteBuffer buf = ByteBuffer.allocate(64);
                while (running) {
                    try {
                        buf.clear();
                        ch.receive(buf);
                        long now = System.nanoTime();
                        if (buf.position() >= 9) {
                            record(now, buf.get(8));
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        private synchronized void record(long now, byte id) {
            if (size == times.length) {
                // keep the newest half: trials only look back a few seconds
                int half = size / 2;
                System.arraycopy(times, half, times, 0, size - half);
                System.arraycopy(ids, half, ids, 0, size - half);
                size -= half;
                shift += half;
            }
            times[size] = now;
            ids[size] = id;
            size++;
            lastNanos = now;
            lastId = id;
        }

        private int shift;

        /** A position in the record of answers (stable across compaction). */
        synchronized int size() {
            return size + shift;
        }

        synchronized int firstFrom(byte id, int from) {
            for (int i = Math.max(0, from - shift); i < size; i++) {
                if (ids[i] == id) {
                    return i + shift;
                }
            }
            return -1;
        }

        synchronized long time(int position) {
            return times[position - shift];
        }

        long lastNanos() {
            return lastNanos;
        }

        byte lastId() {
            return lastId;
        }

        @Override
        public void close() throws IOException {
            running = false;
            ch.close();
        }
    }

    // ------------------------------------------------------------------ helpers, results, cleanup

    static boolean holdsVip(LabHost host) throws IOException {
        String out = host.exec("ip", "-o", "-4", "addr", "show", "dev", host.interfaceName()).orThrow().stdout();
        return out.contains(" " + LabAddresses.VIP + "/");
    }

    record Result(long intervalMs, List<Double> outages, int failed, int trials) {
        double median() {
            if (outages.isEmpty()) {
                return Double.NaN;
            }
            double[] s = outages.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int n = s.length;
            return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        }

        double worst() {
            return outages.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }

        double best() {
            return outages.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }

        /** Master_Down_Interval of director-b: 3 x interval + (256 - 100) x interval / 256. */
        double bound() {
            return 3.0 * intervalMs + (256 - 100) * intervalMs / 256.0;
        }

        String summary() {
            return String.format(Locale.ROOT, "median %.1f ms, best %.1f ms, worst %.1f ms, bound %.1f ms, %d/%d"
                    + " trials without takeover", median(), best(), worst(), bound(), failed, trials);
        }
    }

    private static String report(Options o, Map<String, Map<Long, Result>> results, String cpu) throws IOException {
        StringBuilder md = new StringBuilder();
        String model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?");
        md.append("Run ").append(ZonedDateTime.now().withNano(0)).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" CPUs (").append(model).append("), Java ")
                .append(Runtime.version()).append(", ").append(keepalivedVersion()).append("\n\n");
        md.append("| advert interval | setup | trials | median outage | best | worst | bound 3×int+skew"
                + " | worst ≤ bound | no takeover |\n|---:|---|---:|---:|---:|---:|---:|:---:|---:|\n");
        for (long interval : o.intervalsMs()) {
            for (String setup : o.setups()) {
                Result r = results.getOrDefault(setup, Map.of()).get(interval);
                if (r == null) {
                    continue;
                }
                md.append(String.format(Locale.ROOT, "| %d ms | %s | %d | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %s |"
                        + " %d |%n", interval, setup, r.outages().size(), r.median(), r.best(), r.worst(), r.bound(),
                        r.worst() <= r.bound() ? "yes" : "no", r.failed()));
            }
        }
        Map<Long, Result> t = results.get("tandem");
        Map<Long, Result> k = results.get("keepalived");
        if (t != null && k != null) {
            md.append("\n| advert interval | Tandem/keepalived median | Tandem/keepalived worst |\n|---:|---:|---:|\n");
            for (long interval : o.intervalsMs()) {
                Result rt = t.get(interval);
                Result rk = k.get(interval);
                if (rt != null && rk != null) {
                    md.append(String.format(Locale.ROOT, "| %d ms | %.2f | %.2f |%n", interval,
                            rt.median() / rk.median(), rt.worst() / rk.worst()));
                }
            }
        }
        if (!cpu.isEmpty()) {
            md.append('\n').append(cpu);
        }
        return md.toString();
    }

    private static String keepalivedVersion() {
        try {
            Process p = new ProcessBuilder("keepalived", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return out.lines().findFirst().orElse("keepalived ?").strip();
        } catch (Exception e) {
            return "keepalived ?";
        }
    }

    private synchronized void register(AutoCloseable resource) {
        resources.push(resource);
    }

    /** Stops engines, keepalived and child JVMs (by pid), then the lab; idempotent, run also from the hook. */
    private void cleanup() {
        shuttingDown = true;
        List<AutoCloseable> all;
        synchronized (this) {
            all = new ArrayList<>(resources);
            resources.clear();
        }
        if (lab != null && !all.isEmpty()) {
            try {
                lab.setBridgePortUp(lab.directorA().iface(), true);
            } catch (Exception ignored) {
                // the lab may be gone already
            }
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
