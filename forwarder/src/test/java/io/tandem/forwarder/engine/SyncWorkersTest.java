package io.tandem.forwarder.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.forwarder.conn.ConnectionTable;
import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.conn.TcpState;
import io.tandem.forwarder.conn.Timeouts;
import io.tandem.forwarder.io.FlowKey;
import io.tandem.forwarder.service.ConnectionScheduler;
import io.tandem.forwarder.service.ServiceCounters;
import io.tandem.forwarder.service.ServiceTable;
import io.tandem.forwarder.service.VirtualService;
import io.tandem.forwarder.sync.ConnectionSync;
import io.tandem.forwarder.sync.SyncOptions;
import io.tandem.forwarder.sync.SyncRing;
import io.tandem.forwarder.sync.WorkerSync;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Connection sync between two directors of several forwarding workers each, over real UDP on loopback: every worker
 * owns the flows the fanout program gives it (as {@link FlowKey} decides), the master's workers' changes all go
 * out through one daemon, and the standby's daemon hands each entry to the worker that will own its flow after a
 * takeover; a bulk resync ends with one RESYNC_DONE, after every worker's walk.
 */
class SyncWorkersTest {
    private static final int TCP = 6;
    private static final Inet4Address VIP = (Inet4Address) InetAddress.ofLiteral("10.77.0.100");
    private static final Inet4Address RS1 = (Inet4Address) InetAddress.ofLiteral("10.77.0.11");
    private static final Inet4Address RS2 = (Inet4Address) InetAddress.ofLiteral("10.77.0.12");
    private static final Inet4Address LIP = (Inet4Address) InetAddress.ofLiteral("10.77.0.200");
    private static final int VIP_INT = Ipv4.toInt(VIP);
    private static final int CLIENT = 0x0A4D010A;
    private static final int NAT_PORT = 80;
    private static final int FULLNAT_PORT = 81;
    private static final int SYNC_ID = 9;
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
    private static final InetAddress A = InetAddress.ofLiteral("127.0.0.1");
    private static final InetAddress B = InetAddress.ofLiteral("127.0.0.2");
    private static final List<ServiceSpec> SPECS = List.of(
            ServiceSpec.of(TCP, VIP, NAT_PORT, "rr", List.of(new RealServerSpec(RS1, 8080, 1, ForwardMethod.NAT),
                    new RealServerSpec(RS2, 8080, 1, ForwardMethod.NAT))),
            new ServiceSpec(TCP, VIP, FULLNAT_PORT, "rr", List.of(), 0, -1, List.of(LIP),
                    List.of(new RealServerSpec(RS1, 8080, 1, ForwardMethod.FULLNAT),
                            new RealServerSpec(RS2, 8080, 1, ForwardMethod.FULLNAT))));

    private final int port = 20_000 + ThreadLocalRandom.current().nextInt(20_000);
    private final List<Director> directors = new ArrayList<>();

    /** One forwarding worker: a thread owning its table, services and its side of the sync. */
    private static final class Worker {
        final ServiceTable services = new ServiceTable();
        final ConnectionTable table;
        final ConnectionScheduler scheduler;
        final SyncRing outbox = new SyncRing(1 << 12);
        final SyncRing inbox = new SyncRing(1 << 12);
        final WorkerSync sync;
        final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
        final Thread thread;
        volatile boolean running = true;
        volatile boolean paused;

        Worker(int index, int workers) {
            for (ServiceSpec spec : SPECS) {
                services.add(ServiceBuilder.build(services.nextId(), spec, index, workers));
            }
            table = new ConnectionTable(1 << 15, Timeouts.ipvsDefaults(), new ServiceCounters(services));
            scheduler = new ConnectionScheduler(table);
            sync = new WorkerSync(table, services, outbox, inbox, 30_000_000_000L, workers == 1);
            thread = Thread.ofPlatform().name("test-worker-" + index).start(() -> {
                while (running) {
                    if (paused) {
                        Thread.onSpinWait();
                        continue;
                    }
                    for (Runnable r; (r = commands.poll()) != null; ) {
                        r.run();
                    }
                    if (sync.doWork(System.nanoTime()) == 0) {
                        Thread.onSpinWait();
                    }
                }
            });
        }

        <T> T onWorker(Supplier<T> query) throws Exception {
            CompletableFuture<T> f = new CompletableFuture<>();
            commands.add(() -> f.complete(query.get()));
            return f.get(5, TimeUnit.SECONDS);
        }

        void close() throws InterruptedException {
            running = false;
            thread.join(5000);
            table.close();
            outbox.close();
            inbox.close();
        }
    }

    /** A director of {@code n} workers and one sync daemon. */
    private final class Director implements AutoCloseable {
        final List<Worker> workers = new ArrayList<>();
        final ConnectionSync daemon;
        final Thread daemonThread;

        Director(InetAddress self, InetAddress peer, int n) throws Exception {
            List<WorkerSync> syncs = new ArrayList<>();
            List<SyncRing> outboxes = new ArrayList<>();
            List<SyncRing> inboxes = new ArrayList<>();
            List<Consumer<Runnable>> queues = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Worker w = new Worker(i, n);
                workers.add(w);
                syncs.add(w.sync);
                outboxes.add(w.outbox);
                inboxes.add(w.inbox);
                queues.add(w.commands::add);
            }
            daemon = new ConnectionSync(SyncOptions.unicast(self, List.of(peer), port, SYNC_ID, KEY), syncs, outboxes,
                    inboxes, queues, System::nanoTime);
            daemonThread = Thread.ofPlatform().name("test-sync-" + self.getHostAddress()).start(daemon);
        }

        Worker owner(int clientPort) {
            return workers.get(FlowKey.owner(FlowKey.mix(clientPort), workers.size()));
        }

        /** Opens established flows from CLIENT, each on its owner as the fanout program would steer it. */
        void open(int vport, int firstPort, int count) throws Exception {
            for (int p = firstPort; p < firstPort + count; p++) {
                int clientPort = p;
                Worker w = owner(clientPort);
                w.onWorker(() -> {
                    long now = System.nanoTime();
                    VirtualService service = w.services.lookup(TCP, VIP_INT, vport);
                    int id = w.scheduler.schedule(service, CLIENT, clientPort, now);
                    w.table.onTcpSegment(id, TcpState.INPUT, TcpState.SYN, now);
                    w.sync.onPacket(id, true, now);
                    w.sync.onPacket(id, w.table.onTcpSegment(id, TcpState.OUTPUT, TcpState.SYN | TcpState.ACK, now),
                            now);
                    w.sync.onPacket(id, w.table.onTcpSegment(id, TcpState.INPUT, TcpState.ACK, now), now);
                    return null;
                });
            }
        }

        /**
         * The flows from {@code firstPort} on that are established in their owner's table (for FULLNAT: with a local
         * port the owner also owns, so replies reach it), and in no other worker's.
         */
        int establishedInOwner(int vport, int firstPort, int count) throws Exception {
            int found = 0;
            for (int p = firstPort; p < firstPort + count; p++) {
                int clientPort = p;
                Worker owner = owner(clientPort);
                for (Worker w : workers) {
                    boolean ok = w.onWorker(() -> {
                        int id = w.table.lookupIn(TCP, CLIENT, clientPort, VIP_INT, vport, System.nanoTime());
                        if (w != owner) {
                            return id == ConnectionTable.NONE;
                        }
                        return id != ConnectionTable.NONE && w.table.state(id) == TcpState.ESTABLISHED
                                && owner(w.table.localPort(id)) == w;
                    });
                    if (!ok) {
                        break;
                    }
                    if (w == workers.getLast()) {
                        found++;
                    }
                }
            }
            return found;
        }

        @Override
        public void close() throws Exception {
            daemon.stop();
            for (Worker w : workers) {
                w.running = false;
            }
            daemonThread.join(5000);
            daemon.close();
            for (Worker w : workers) {
                w.close();
            }
        }
    }

    private Director director(InetAddress self, InetAddress peer, int workers) throws Exception {
        Director d = new Director(self, peer, workers);
        directors.add(d);
        return d;
    }

    @AfterEach
    void close() throws Exception {
        for (Director d : directors) {
            d.close();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    private static int established(Director d, int vport, int firstPort, int count) {
        try {
            return d.establishedInOwner(vport, firstPort, count);
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void everyLiveChangeReachesTheWorkerThatOwnsItsFlow() throws Exception {
        Director master = director(A, B, 2);
        Director standby = director(B, A, 2);
        master.daemon.becomeMaster();
        await("master role", master.daemon::master);
        master.open(NAT_PORT, 30000, 300);
        master.open(FULLNAT_PORT, 40000, 300);
        // the master's own flows are each in their owner (a FULLNAT local port from the owner's slice)
        assertThat(master.establishedInOwner(NAT_PORT, 30000, 300)).isEqualTo(300);
        assertThat(master.establishedInOwner(FULLNAT_PORT, 40000, 300)).isEqualTo(300);
        await("NAT flows in their owners on the standby", () -> established(standby, NAT_PORT, 30000, 300) == 300);
        await("FULLNAT flows in their owners on the standby",
                () -> established(standby, FULLNAT_PORT, 40000, 300) == 300);
        // both workers carry flows on both sides
        for (Worker w : standby.workers) {
            assertThat(w.onWorker(w.table::size)).isGreaterThan(200);
        }
        assertThat(standby.daemon.ownerMismatch()).isZero();
        assertThat(standby.daemon.inboxOverflow()).isZero();
    }

    @Test
    void aBulkResyncWalksEveryWorkerAndEndsOnceAfterTheLastWalk() throws Exception {
        Director master = director(A, B, 2);
        master.daemon.becomeMaster();
        await("master role", master.daemon::master);
        master.open(NAT_PORT, 20000, 1500);
        master.open(FULLNAT_PORT, 40000, 500); // nobody listens yet: these go nowhere
        Worker slow = master.workers.get(1);
        slow.paused = true; // its walk cannot start until worker 0's is over
        Director standby = director(B, A, 2);
        await("worker 0's walk", () -> master.workers.getFirst().sync.resyncWalks() == 1
                && !master.workers.getFirst().sync.walking() && master.workers.getFirst().outbox.size() == 0);
        Thread.sleep(100);
        assertThat(master.daemon.resyncsServed()).as("RESYNC_DONE before worker 1's walk").isZero();
        assertThat(standby.daemon.resyncsCompleted()).isZero();
        slow.paused = false;
        await("bulk resync", () -> standby.daemon.resyncsCompleted() >= 1);
        assertThat(master.daemon.resyncsServed()).isEqualTo(standby.daemon.resyncsCompleted());
        // every walk the standby's repeated requests started: the one DONE came after all of them
        assertThat(standby.daemon.lastResyncEntries()).isGreaterThanOrEqualTo(2000);
        await("every flow in its owner", () -> established(standby, NAT_PORT, 20000, 1500) == 1500
                && established(standby, FULLNAT_PORT, 40000, 500) == 500);
        assertThat(standby.daemon.ownerMismatch()).isZero();
        // live changes go on after it, routed the same way
        master.open(NAT_PORT, 50000, 20);
        await("live change after resync", () -> established(standby, NAT_PORT, 50000, 20) == 20);
    }

    @Test
    void fullNatEntriesFromADirectorWithAnotherWorkerCountAreCounted() throws Exception {
        Director master = director(A, B, 1);
        Director standby = director(B, A, 2);
        master.daemon.becomeMaster();
        await("master role", master.daemon::master);
        master.open(FULLNAT_PORT, 40000, 200);
        await("entries received", () -> standby.daemon.entriesReceived() >= 200);
        // one worker takes local ports from the whole range: about half belong to another worker than the client port
        await("mismatches counted", () -> standby.daemon.ownerMismatch() > 0);
    }
}
