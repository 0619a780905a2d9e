package io.tandem.benchmarks;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.internal.PlatformDependent;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tandem.healthcheck.CheckObserver;
import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.HealthEvent;
import io.tandem.healthcheck.HealthListener;
import io.tandem.healthcheck.config.CheckerConfig;
import io.tandem.healthcheck.config.CheckerKind;
import io.tandem.healthcheck.config.HttpCheckConfig;
import io.tandem.healthcheck.config.OptionOverrides;
import io.tandem.healthcheck.config.RealServerConfig;
import io.tandem.healthcheck.config.TcpCheckConfig;
import io.tandem.healthcheck.config.UrlCheck;
import io.tandem.healthcheck.config.VirtualServiceConfig;
import io.tandem.healthcheck.metrics.HealthMetrics;
import io.tandem.healthcheck.netty.CheckTransport;
import io.tandem.healthcheck.netty.NettyCheckers;
import io.tandem.core.process.ProcessRunner;
import io.tandem.healthcheck.schedule.EventLoopScheduler;
import io.tandem.healthcheck.schedule.HealthMonitor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Health-check benchmark (issue 4, "Benchmark"): N real servers on loopback
 * addresses 127.1.x.y:8080 (N = 10,000 by default), half checked with
 * TCP_CHECK and half with HTTP_GET (GET /, status 200), every second, by one
 * {@link HealthMonitor} on one Netty event loop in this JVM. The real servers
 * are a child JVM ({@code HealthCheckBenchmark farm N}), one listening socket
 * per address, so that this process's CPU and heap are the checker's alone.
 *
 * <p>Reports the checker process's CPU (utime + stime over a steady window,
 * as a fraction of one core), its heap (live after a full GC, and the highest
 * sampled), the checks per second, and the detection delay: every 10th server
 * is stopped (its listening socket closed, as when its process exits; half of
 * them TCP_CHECK, half HTTP_GET), and the
 * time from each server's stop to its RealServerDown event is taken; then
 * they are started again and the time to RealServerUp is taken.
 *
 * <p>Options: {@code delay_loop 1 s}, {@code connect_timeout 1 s},
 * {@code retry 0}, {@code warmup 1 s} (spreads the first checks over one loop).
 * As in {@code tandem run}, every result also goes to {@link HealthMetrics}
 * on a Prometheus registry (the fourth argument {@code nometrics} leaves it
 * out). The benchmark's own bookkeeping per result is an array write, so
 * that the CPU measured is the checker's.
 *
 * <p>Not a test: see docs/benchmarks.md. Needs no root (127.0.0.0/8 is local
 * on lo without any configuration). The child JVM is stopped by pid on exit,
 * also on failure.
 */
public final class HealthCheckBenchmark {
    static final int PORT = 8080;
    static final Duration DELAY_LOOP = Duration.ofSeconds(1);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    static final byte[] RESPONSE = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n"
            .getBytes(StandardCharsets.US_ASCII);

    static InetSocketAddress address(int i) {
        return new InetSocketAddress("127.1." + (1 + i / 250) + "." + (1 + i % 250), PORT);
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("farm")) {
            Farm.run(Integer.parseInt(args[1]));
            return;
        }
        int servers = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int measureSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        boolean metrics = args.length <= 3 || !args[3].equals("nometrics");
        new HealthCheckBenchmark(servers).run(servers, measureSeconds, threads, metrics);
    }

    // ---- the checker side (this process) ----

    private final LongAdder checks = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder latencyNanos = new LongAdder();
    private final Map<String, LongAdder> failureReasons = new ConcurrentHashMap<>();
    /** The index of each configured real-server address (the same instances reach the observer). */
    private final Map<InetSocketAddress, Integer> indexes = new IdentityHashMap<>();
    private final InetSocketAddress[] addresses;
    /** Per real server, nanoTime of its last RealServerDown / RealServerUp / passed check / failed check (0: none). */
    private final AtomicLongArray downAt;
    private final AtomicLongArray upAt;
    private final AtomicLongArray lastOk;
    private final AtomicLongArray firstFailure;

    private HealthCheckBenchmark(int servers) {
        addresses = new InetSocketAddress[servers];
        for (int i = 0; i < servers; i++) {
            addresses[i] = address(i);
            indexes.put(addresses[i], i);
        }
        downAt = new AtomicLongArray(servers);
        upAt = new AtomicLongArray(servers);
        lastOk = new AtomicLongArray(servers);
        firstFailure = new AtomicLongArray(servers);
    }

    private void run(int servers, int measureSeconds, int threads, boolean withMetrics) throws Exception {
        System.out.printf(Locale.ROOT, "HealthCheckBenchmark %s: %,d real servers, %d checker thread(s), %s, %d cores, "
                + "load average %s, %s%n", ZonedDateTime.now(), servers, threads,
                withMetrics ? "HealthMetrics on a Prometheus registry" : "no metrics",
                Runtime.getRuntime().availableProcessors(), loadAverage(), sockstat());
        Process farm = startFarm(servers);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopFarm(farm)));
        BufferedReader farmOut = farm.inputReader(StandardCharsets.US_ASCII);
        PrintStream farmIn = new PrintStream(farm.getOutputStream(), true, StandardCharsets.US_ASCII);
        expect(farmOut, "ready");

        CheckTransport transport = CheckTransport.create(threads, ForkJoinPool.commonPool());
        ProcessRunner processes = new ProcessRunner();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HealthMetrics metrics = withMetrics ? new HealthMetrics(registry) : null;
        CheckObserver bookkeeping = (service, rs, kind, result, latency) -> onResult(rs, result, latency);
        CheckObserver observer = metrics == null ? bookkeeping : CheckObserver.both(metrics, bookkeeping);
        HealthListener listener = metrics == null ? this::onEvent : e -> {
            metrics.onEvent(e);
            onEvent(e);
        };
        HealthMonitor monitor = new HealthMonitor(new EventLoopScheduler(transport.group().next()),
                new NettyCheckers(transport, processes, () -> {
                    throw new IllegalStateException("no PING_CHECK in this benchmark");
                }),
                listener, observer, new SplittableRandom(42));
        try {
            monitor.apply(List.of(config(servers)));

            sleep(15);   // JIT warm-up and the first rounds
            // steady window
            long loopThread = transport.group().next().submit(() -> Thread.currentThread().threadId()).get();
            com.sun.management.ThreadMXBean threadBean = (com.sun.management.ThreadMXBean)
                    ManagementFactory.getThreadMXBean();
            long loopCpu0 = threadBean.getThreadCpuTime(loopThread);
            long loopAllocated0 = threadBean.getThreadAllocatedBytes(loopThread);
            long cpu0 = processCpuNanos();
            long farmCpu0 = ticks(farm.pid());
            long wall0 = System.nanoTime();
            checks.reset();
            failures.reset();
            latencyNanos.reset();
            failureReasons.clear();
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            long heapMax = 0;
            StringBuilder perFive = new StringBuilder();
            long lastChecks = 0;
            long lastFailures = 0;
            for (int s = 1; s <= measureSeconds; s++) {
                sleep(1);
                heapMax = Math.max(heapMax, memory.getHeapMemoryUsage().getUsed());
                if (s % 5 == 0) {
                    long c = checks.sum();
                    long f = failures.sum();
                    perFive.append(String.format(Locale.ROOT, " %.0f/s (%d failed)", (c - lastChecks) / 5.0,
                            f - lastFailures));
                    lastChecks = c;
                    lastFailures = f;
                }
            }
            System.out.println("checks per 5 s:" + perFive + "; " + sockstat());
            long wall = System.nanoTime() - wall0;
            double cpu = (processCpuNanos() - cpu0) / (double) wall;
            long loopCpu = threadBean.getThreadCpuTime(loopThread) - loopCpu0;
            long loopAllocated = threadBean.getThreadAllocatedBytes(loopThread) - loopAllocated0;
            double farmCpu = (ticks(farm.pid()) - farmCpu0) * 10e6 / wall;   // 100 ticks per second
            long n = checks.sum();
            System.gc();
            sleep(1);
            long heapLive = memory.getHeapMemoryUsage().getUsed();
            System.out.printf(Locale.ROOT, "steady %d s: checks %,d (%.0f/s), failed %,d %s, mean check latency "
                    + "%.2f ms%n", measureSeconds, n, n / (wall / 1e9), failures.sum(), failureReasons,
                    n == 0 ? 0 : latencyNanos.sum() / 1e6 / n);
            System.out.printf(Locale.ROOT, "checker CPU %.3f core (%.1f %%), heap live after GC %.1f MiB, highest "
                    + "sampled %.1f MiB, Netty direct %.1f MiB; real-server farm CPU %.3f core%n", cpu, cpu * 100,
                    heapLive / 1048576.0, heapMax / 1048576.0, PlatformDependent.usedDirectMemory() / 1048576.0,
                    farmCpu);
            System.out.printf(Locale.ROOT, "per check: process CPU %.1f us; the event loop thread's CPU %.1f us and "
                    + "allocation %,d bytes (the loop thread alone: %.3f core)%n",
                    n == 0 ? 0 : cpu * (wall / 1e9) / n * 1e6, n == 0 ? 0 : loopCpu / 1e3 / n,
                    n == 0 ? 0 : loopAllocated / n, loopCpu / (double) wall);

            // stop every 10th server: detection of the failure
            clear(downAt);
            clear(firstFailure);
            farmIn.println("stop 10");
            Map<InetSocketAddress, Long> stoppedAt = readTimes(farmOut, "stopped");
            waitFor(downAt, stoppedAt.keySet(), Duration.ofSeconds(20));
            report("down after stop", stoppedAt, times(downAt, stoppedAt.keySet()), servers);
            long passedAfterStop = stoppedAt.entrySet().stream()
                    .filter(e -> lastOk.get(indexes.get(e.getKey())) > e.getValue()).count();
            System.out.printf(Locale.ROOT, "stopped servers with a passing check after their stop: %d%n",
                    passedAfterStop);
            report("first failed attempt after stop", stoppedAt, times(firstFailure, stoppedAt.keySet()), servers);

            sleep(3);
            clear(upAt);
            farmIn.println("start 10");
            Map<InetSocketAddress, Long> startedAt = readTimes(farmOut, "started");
            waitFor(upAt, startedAt.keySet(), Duration.ofSeconds(20));
            report("up after restart", startedAt, times(upAt, startedAt.keySet()), servers);
            System.out.println("end: load average " + loadAverage() + ", " + sockstat());
            System.out.printf(Locale.ROOT, "bound (goal) for the p99 detection: delay_loop + connect_timeout = %d ms%n",
                    DELAY_LOOP.plus(CONNECT_TIMEOUT).toMillis());
        } finally {
            monitor.close();
            processes.close();
            registry.close();
            transport.group().shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            stopFarm(farm);
        }
    }

    private VirtualServiceConfig config(int servers) {
        OptionOverrides o = OptionOverrides.builder().delayLoop(DELAY_LOOP).connectTimeout(CONNECT_TIMEOUT).retry(0)
                .warmup(DELAY_LOOP).build();
        List<RealServerConfig> list = new ArrayList<>(servers);
        for (int i = 0; i < servers; i++) {
            InetSocketAddress a = addresses[i];
            CheckerConfig c = i % 2 == 0 ? new TcpCheckConfig(o.resolve(CheckerKind.TCP_CHECK, a))
                    : HttpCheckConfig.of(o.resolve(CheckerKind.HTTP_GET, a), false, List.of(UrlCheck.path("/")));
            list.add(RealServerConfig.of(a, 1, List.of(c)));
        }
        return VirtualServiceConfig.of("bench", list);
    }

    private void onResult(InetSocketAddress rs, CheckResult result, long latency) {
        checks.increment();
        long now = System.nanoTime();
        int i = indexes.get(rs);
        latencyNanos.add(latency);
        if (result.success()) {
            lastOk.lazySet(i, now);
        } else {
            if (firstFailure.get(i) == 0) {
                firstFailure.lazySet(i, now);
            }
            failures.increment();
            failureReasons.computeIfAbsent(result.reason().name(), k -> new LongAdder()).increment();
        }
    }

    private void onEvent(HealthEvent event) {
        long now = System.nanoTime();
        switch (event) {
            case HealthEvent.RealServerDown d -> downAt.set(indexes.get(d.realServer()), now);
            case HealthEvent.RealServerUp u -> upAt.set(indexes.get(u.realServer()), now);
            default -> { }
        }
    }

    /** The times in {@code times} of the real servers in {@code keys} that have one. */
    private Map<InetSocketAddress, Long> times(AtomicLongArray times, Set<InetSocketAddress> keys) {
        Map<InetSocketAddress, Long> out = new HashMap<>();
        for (InetSocketAddress a : keys) {
            long t = times.get(indexes.get(a));
            if (t != 0) {
                out.put(a, t);
            }
        }
        return out;
    }

    private static void clear(AtomicLongArray times) {
        for (int i = 0; i < times.length(); i++) {
            times.set(i, 0);
        }
    }

    private void waitFor(AtomicLongArray events, Set<InetSocketAddress> keys, Duration max)
            throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end && times(events, keys).size() < keys.size()) {
            Thread.sleep(50);
        }
    }

    private static void report(String what, Map<InetSocketAddress, Long> from, Map<InetSocketAddress, Long> to,
            int servers) {
        for (String kind : List.of("TCP_CHECK", "HTTP_GET", "all")) {
            List<Double> ms = new ArrayList<>();
            int missing = 0;
            for (var e : from.entrySet()) {
                int index = index(e.getKey());
                boolean tcp = index % 2 == 0;
                if (kind.equals("TCP_CHECK") && !tcp || kind.equals("HTTP_GET") && tcp) {
                    continue;
                }
                Long t = to.get(e.getKey());
                if (t == null || t < e.getValue()) {
                    missing++;
                } else {
                    ms.add((t - e.getValue()) / 1e6);
                }
            }
            double[] a = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "%s, %s: n=%d, not detected=%d, p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                    what, kind, a.length, missing, pct(a, 0.50), pct(a, 0.99), a.length == 0 ? 0 : a[a.length - 1]);
        }
    }

    private static int index(InetSocketAddress a) {
        byte[] b = a.getAddress().getAddress();
        return ((b[2] & 0xff) - 1) * 250 + (b[3] & 0xff) - 1;
    }

    private static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private Map<InetSocketAddress, Long> readTimes(BufferedReader in, String word) throws IOException {
        Map<InetSocketAddress, Long> out = new ConcurrentHashMap<>();
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals(word + " end")) {
                return out;
            }
            String[] f = line.split(" ");
            if (f.length == 3 && f[0].equals(word)) {
                out.put(addresses[Integer.parseInt(f[1])], Long.parseLong(f[2]));
            } else {
                System.out.println("farm: " + line);
            }
        }
        throw new IOException("the farm exited before '" + word + " end'");
    }

    private static void expect(BufferedReader in, String word) throws IOException {
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals(word)) {
                return;
            }
            System.out.println("farm: " + line);
        }
        throw new IOException("the farm exited before '" + word + "'");
    }

    private static Process startFarm(int servers) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), HealthCheckBenchmark.class.getName(), "farm",
                Integer.toString(servers)));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static void stopFarm(Process farm) {
        if (farm.isAlive()) {
            farm.destroy();
            try {
                if (!farm.waitFor(5, TimeUnit.SECONDS)) {
                    farm.destroyForcibly();
                }
            } catch (InterruptedException e) {
                farm.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** utime + stime of {@code pid} in clock ticks ({@code /proc/PID/stat} fields 14 and 15). */
    private static long ticks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** The kernel's TCP socket counts (in use, TIME_WAIT) of this network namespace. */
    private static String sockstat() {
        try {
            return Files.readAllLines(Path.of("/proc/net/sockstat")).stream().filter(l -> l.startsWith("TCP:"))
                    .findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private static void sleep(int seconds) throws InterruptedException {
        Thread.sleep(seconds * 1000L);
    }

    // ---- the real servers (child JVM) ----

    /**
     * One listening socket per real server on one event loop; every connection
     * that sends a request gets a 200 and is closed. Commands on stdin:
     * {@code stop K} / {@code start K} close / reopen every K-th server and
     * print {@code stopped|started INDEX NANOTIME} for each, then {@code ... end}.
     */
    static final class Farm {
        @ChannelHandler.Sharable
        static final class Responder extends ChannelInboundHandlerAdapter {
            private final ByteBuf response = Unpooled.unreleasableBuffer(Unpooled.directBuffer(RESPONSE.length)
                    .writeBytes(RESPONSE));

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
                ctx.writeAndFlush(response.duplicate()).addListener(ChannelFutureListener.CLOSE);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        }

        static void run(int servers) throws Exception {
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
            Responder responder = new Responder();
            ServerBootstrap b = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 128).option(ChannelOption.SO_REUSEADDR, true)
                    .childHandler(responder);
            Channel[] listeners = new Channel[servers];
            for (int i = 0; i < servers; i++) {
                listeners[i] = b.bind(address(i)).sync().channel();
            }
            System.out.println("ready");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            for (String line; (line = in.readLine()) != null; ) {
                String[] f = line.split(" ");
                int every = Integer.parseInt(f[1]);
                StringBuilder out = new StringBuilder();
                // every K-th server, alternately the first and the second of each block of K: as many
                // TCP_CHECK (even index) as HTTP_GET (odd index) servers
                for (int block = 0; block * every + 1 < servers; block++) {
                    int i = block * every + block % 2;
                    if (f[0].equals("stop")) {
                        listeners[i].close().sync();
                        out.append("stopped ").append(i).append(' ').append(System.nanoTime()).append('\n');
                    } else {
                        listeners[i] = b.bind(address(i)).sync().channel();
                        out.append("started ").append(i).append(' ').append(System.nanoTime()).append('\n');
                    }
                }
                System.out.print(out);
                System.out.println((f[0].equals("stop") ? "stopped" : "started") + " end");
                System.out.flush();
            }
            Arrays.stream(listeners).forEach(Channel::close);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
