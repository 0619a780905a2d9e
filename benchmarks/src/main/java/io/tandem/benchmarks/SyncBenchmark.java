package io.tandem.benchmarks;

import io.tandem.forwarder.conn.ConnectionTable;
import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.conn.TcpState;
import io.tandem.forwarder.conn.Timeouts;
import io.tandem.forwarder.sched.Schedulers;
import io.tandem.forwarder.service.ConnectionScheduler;
import io.tandem.forwarder.service.ServiceCounters;
import io.tandem.forwarder.service.ServiceTable;
import io.tandem.forwarder.service.VirtualService;
import io.tandem.forwarder.sync.ConnectionSync;
import io.tandem.forwarder.sync.SyncOptions;
import io.tandem.forwarder.sync.SyncRing;
import io.tandem.forwarder.sync.WorkerSync;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connection sync's benchmark (issue 7): two sync daemons over UDP on
 * loopback (unicast 127.0.0.1 -> 127.0.0.2, HMAC-SHA256 on), each with a
 * worker thread owning its table, as in the forwarder. The master's worker
 * opens new TCP flows at a fixed rate (each goes through SYN, SYN-ACK, ACK
 * as the packet path reports them); the standby's worker notes when its
 * table holds each millisecond's batch. Prints the sync lag (flow created on
 * the master to applied on the standby: median, p99, max), the bytes sent
 * per new connection, and the time a late standby needs to receive and
 * apply a bulk resync of a large table.
 *
 * <p>Usage: {@code SyncBenchmark [rate ...] [--seconds S] [--resync N]}
 * (default rates 10000 and 50000 per second, 5 s each, resync of 1000000).
 */
public final class SyncBenchmark {
    private static final int TCP = 6;
    private static final int VIP = 0x0A4D0064;
    private static final byte[] KEY = "benchmark-key-0123456789abcdef!!".getBytes();
    private static final InetAddress A = InetAddress.ofLiteral("127.0.0.1");
    private static final InetAddress B = InetAddress.ofLiteral("127.0.0.2");

    /** One side: a table, its worker thread and its sync daemon. */
    private static final class Side implements AutoCloseable {
        final ServiceTable services = new ServiceTable();
        final ConnectionTable table;
        final ConnectionScheduler scheduler;
        final SyncRing outbox = new SyncRing(1 << 16);
        final SyncRing inbox = new SyncRing(1 << 16);
        final WorkerSync sync;
        final VirtualService service;
        final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
        final ConnectionSync daemon;
        final Thread daemonThread;
        final Thread worker;
        volatile boolean running = true;
        volatile Runnable perCycle = () -> { };

        Side(InetAddress self, InetAddress peer, int port, int capacity) throws Exception {
            table = new ConnectionTable(capacity, Timeouts.ipvsDefaults(), new ServiceCounters(services));
            scheduler = new ConnectionScheduler(table);
            sync = new WorkerSync(table, services, outbox, inbox, 30_000_000_000L);
            service = new VirtualService(services.nextId(), TCP, VIP, 80, Schedulers.create("rr", List.of()));
            for (int i = 0; i < 8; i++) {
                service.addRealServer(0x0A4D000B + i, 8080, 1, ForwardMethod.NAT);
            }
            services.add(service);
            daemon = new ConnectionSync(SyncOptions.unicast(self, List.of(peer), port, 1, KEY), sync, outbox, inbox,
                    commands::add, System::nanoTime);
            daemonThread = Thread.ofPlatform().name("sync-" + self.getHostAddress()).start(daemon);
            worker = Thread.ofPlatform().name("worker-" + self.getHostAddress()).start(() -> {
                while (running) {
                    for (Runnable r; (r = commands.poll()) != null; ) {
                        r.run();
                    }
                    sync.doWork(System.nanoTime());
                    perCycle.run();
                }
            });
        }

        void openFlow(int client, int port, long now) {
            int id = scheduler.schedule(service, client, port, now);
            if (id == ConnectionTable.NONE) {
                return;
            }
            table.onTcpSegment(id, TcpState.INPUT, TcpState.SYN, now);
            sync.onPacket(id, true, now);
            sync.onPacket(id, table.onTcpSegment(id, TcpState.OUTPUT, TcpState.SYN | TcpState.ACK, now), now);
            sync.onPacket(id, table.onTcpSegment(id, TcpState.INPUT, TcpState.ACK, now), now);
        }

        @Override
        public void close() throws Exception {
            daemon.stop();
            running = false;
            worker.join(5000);
            daemonThread.join(5000);
            daemon.close();
            table.close();
            outbox.close();
            inbox.close();
        }
    }

    public static void main(String[] args) throws Exception {
        List<Integer> rates = new java.util.ArrayList<>();
        int seconds = 5;
        int resync = 1_000_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--resync" -> resync = Integer.parseInt(args[++i]);
                default -> rates.add(Integer.parseInt(args[i]));
            }
        }
        if (rates.isEmpty()) {
            rates = List.of(10_000, 50_000);
        }
        System.out.printf("connection sync over loopback UDP, HMAC-SHA256, %d cores%n",
                Runtime.getRuntime().availableProcessors());
        int port = 30_000;
        live(10_000, 2, port++, false); // warm-up: the JIT compiles the sync path
        for (int rate : rates) {
            live(rate, seconds, port++, true);
        }
        resync(resync, port);
    }

    private static void live(int rate, int seconds, int port, boolean report) throws Exception {
        int perMs = Math.max(1, rate / 1000);
        int batches = seconds * 1000;
        int capacity = Integer.highestOneBit(perMs * batches * 2);
        long[] created = new long[batches];
        long[] applied = new long[batches];
        try (Side master = new Side(A, B, port, capacity); Side standby = new Side(B, A, port, capacity)) {
            master.daemon.becomeMaster();
            while (!master.daemon.master()) {
                Thread.sleep(1);
            }
            Thread.sleep(200);
            AtomicLong next = new AtomicLong();
            standby.perCycle = () -> {
                int b = (int) next.get();
                if (b < batches && created[b] != 0 && standby.table.size() >= (b + 1) * perMs) {
                    applied[b] = System.nanoTime();
                    next.incrementAndGet();
                }
            };
            CountDownLatch done = new CountDownLatch(1);
            long start = System.nanoTime();
            long bytesBefore = master.daemon.bytesSent();
            int[] batch = {0};
            master.perCycle = () -> {
                long now = System.nanoTime();
                while (batch[0] < batches && now - start >= batch[0] * 1_000_000L) {
                    int b = batch[0]++;
                    for (int i = 0; i < perMs; i++) {
                        int n = b * perMs + i;
                        master.openFlow(0x0B000000 + (n >>> 16), n & 0xFFFF, now);
                    }
                    created[b] = now;
                    if (batch[0] == batches) {
                        done.countDown();
                    }
                }
            };
            done.await();
            long end = System.nanoTime() + 5_000_000_000L;
            while (next.get() < batches && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            master.perCycle = () -> { };
            standby.perCycle = () -> { };
            int got = (int) next.get();
            long[] lag = new long[got];
            for (int i = 0; i < got; i++) {
                lag[i] = applied[i] - created[i];
            }
            Arrays.sort(lag);
            long flows = (long) perMs * batches;
            double bytesPerFlow = (double) (master.daemon.bytesSent() - bytesBefore) / flows;
            if (!report) {
                return;
            }
            System.out.printf("%,7d new connections/s for %d s: %,d flows, %d of %d batches applied;"
                    + " lag median %.2f ms, p99 %.2f ms, max %.2f ms; %.1f bytes sent per connection"
                    + " (%.1f Mbit/s); outbox overflow %d, inbox overflow %d%n",
                    rate, seconds, flows, got, batches, pct(lag, 0.5), pct(lag, 0.99), pct(lag, 1.0), bytesPerFlow,
                    bytesPerFlow * rate * 8 / 1e6, master.sync.overflow(), standby.daemon.inboxOverflow());
        }
    }

    private static void resync(int entries, int port) throws Exception {
        int capacity = Integer.highestOneBit(entries) << 1;
        try (Side master = new Side(A, B, port, capacity)) {
            CountDownLatch filled = new CountDownLatch(1);
            master.commands.add(() -> {
                long now = System.nanoTime();
                for (int n = 0; n < entries; n++) {
                    master.openFlow(0x0B000000 + (n >>> 16), n & 0xFFFF, now);
                }
                filled.countDown();
            });
            filled.await();
            master.daemon.becomeMaster();
            Thread.sleep(200);
            long start = System.nanoTime();
            try (Side standby = new Side(B, A, port, capacity)) {
                while (standby.daemon.resyncsCompleted() == 0 && System.nanoTime() - start < 60_000_000_000L) {
                    Thread.sleep(5);
                }
                long received = System.nanoTime() - start;
                int[] size = {0};
                while (System.nanoTime() - start < 60_000_000_000L) {
                    CountDownLatch read = new CountDownLatch(1);
                    standby.commands.add(() -> {
                        size[0] = standby.table.size();
                        read.countDown();
                    });
                    read.await();
                    if (size[0] >= standby.daemon.lastResyncEntries()) {
                        break;
                    }
                    Thread.sleep(5);
                }
                long appliedAt = System.nanoTime() - start;
                System.out.printf("bulk resync of %,d entries to a standby started late: received in %.2f s,"
                        + " applied in %.2f s (%,d entries in the standby's table, %,d bytes sent)%n",
                        entries, received / 1e9, appliedAt / 1e9, size[0], master.daemon.bytesSent());
            }
        }
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }
}
