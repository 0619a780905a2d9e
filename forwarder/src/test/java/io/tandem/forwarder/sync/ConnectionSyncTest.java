package io.tandem.forwarder.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.forwarder.conn.ConnectionTable;
import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.conn.TcpState;
import io.tandem.forwarder.conn.Timeouts;
import io.tandem.forwarder.sched.Schedulers;
import io.tandem.forwarder.service.ConnectionScheduler;
import io.tandem.forwarder.service.ServiceCounters;
import io.tandem.forwarder.service.ServiceTable;
import io.tandem.forwarder.service.VirtualService;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two sync daemons over real UDP on loopback (unicast 127.0.0.1 and
 * 127.0.0.2), each with a worker thread that owns its table: live changes,
 * a late standby's bulk resync, and hostile messages that change nothing.
 */
class ConnectionSyncTest {
    private static final int TCP = 6;
    private static final int VIP = 0x0A4D0064;
    private static final int RS1 = 0x0A4D000B;
    private static final int RS2 = 0x0A4D000C;
    private static final int CLIENT = 0x0A4D010A;
    private static final int SYNC_ID = 7;
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
    private static final InetAddress A = InetAddress.ofLiteral("127.0.0.1");
    private static final InetAddress B = InetAddress.ofLiteral("127.0.0.2");

    private final int port = 20_000 + ThreadLocalRandom.current().nextInt(20_000);
    private final List<Director> directors = new ArrayList<>();

    /** One director's forwarder worker (a thread owning the table) and its sync daemon. */
    private final class Director implements AutoCloseable {
        final ServiceTable services = new ServiceTable();
        final ConnectionTable table = new ConnectionTable(1 << 16, Timeouts.ipvsDefaults(),
                new ServiceCounters(services));
        final ConnectionScheduler scheduler = new ConnectionScheduler(table);
        final SyncRing outbox = new SyncRing(1 << 12);
        final SyncRing inbox = new SyncRing(1 << 12);
        final WorkerSync sync = new WorkerSync(table, services, outbox, inbox, 30_000_000_000L);
        final VirtualService service;
        final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
        final ConnectionSync daemon;
        final Thread worker;
        final Thread daemonThread;
        volatile boolean running = true;

        Director(InetAddress self, InetAddress peer, byte[] key) throws Exception {
            service = new VirtualService(services.nextId(), TCP, VIP, 80, Schedulers.create("rr", List.of()));
            service.addRealServer(RS1, 8080, 1, ForwardMethod.NAT);
            service.addRealServer(RS2, 8080, 1, ForwardMethod.NAT);
            services.add(service);
            daemon = new ConnectionSync(SyncOptions.unicast(self, List.of(peer), port, SYNC_ID, key), sync, outbox,
                    inbox, commands::add, System::nanoTime);
            worker = Thread.ofPlatform().name("test-worker-" + self.getHostAddress()).start(() -> {
                while (running) {
                    for (Runnable r; (r = commands.poll()) != null; ) {
                        r.run();
                    }
                    if (sync.doWork(System.nanoTime()) == 0) {
                        Thread.onSpinWait();
                    }
                }
            });
            daemonThread = Thread.ofPlatform().name("test-sync-" + self.getHostAddress()).start(daemon);
        }

        <T> T onWorker(Supplier<T> query) throws Exception {
            CompletableFuture<T> f = new CompletableFuture<>();
            commands.add(() -> f.complete(query.get()));
            return f.get(5, TimeUnit.SECONDS);
        }

        /** Opens {@code n} established flows from CLIENT, ports from {@code firstPort}, as the packet path would. */
        void open(int firstPort, int n) throws Exception {
            onWorker(() -> {
                long now = System.nanoTime();
                for (int p = firstPort; p < firstPort + n; p++) {
                    int id = scheduler.schedule(service, CLIENT, p, now);
                    table.onTcpSegment(id, TcpState.INPUT, TcpState.SYN, now);
                    sync.onPacket(id, true, now);
                    sync.onPacket(id, table.onTcpSegment(id, TcpState.OUTPUT, TcpState.SYN | TcpState.ACK, now), now);
                    sync.onPacket(id, table.onTcpSegment(id, TcpState.INPUT, TcpState.ACK, now), now);
                }
                return null;
            });
        }

        int established(int firstPort, int n) throws Exception {
            return onWorker(() -> {
                int found = 0;
                long now = System.nanoTime();
                for (int p = firstPort; p < firstPort + n; p++) {
                    int id = table.lookupIn(TCP, CLIENT, p, VIP, 80, now);
                    if (id != ConnectionTable.NONE && table.state(id) == TcpState.ESTABLISHED) {
                        found++;
                    }
                }
                return found;
            });
        }

        int size() throws Exception {
            return onWorker(table::size);
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

    private Director director(InetAddress self, InetAddress peer, byte[] key) throws Exception {
        Director d = new Director(self, peer, key);
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

    private static boolean check(Supplier<Boolean> s) {
        return s.get();
    }

    @Test
    void liveChangesReachTheStandbyWithinMilliseconds() throws Exception {
        Director master = director(A, B, KEY);
        Director standby = director(B, A, KEY);
        master.daemon.becomeMaster();
        await("master role", master.daemon::master);
        master.open(30000, 1000);
        long start = System.nanoTime();
        await("1000 flows on the standby", () -> check(() -> {
            try {
                return standby.established(30000, 1000) == 1000;
            } catch (Exception e) {
                return false;
            }
        }));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(millis).isLessThan(2000);
        assertThat(master.daemon.entriesSent()).isGreaterThanOrEqualTo(2000);
        // The last state updates may still be in flight when the 1000th flow is established on the standby;
        // none may be lost, so wait for every entry the master sent.
        await("every entry sent to be received", () -> standby.daemon.entriesReceived() == master.daemon.entriesSent());
        assertThat(standby.daemon.epoch()).isZero(); // it never was master
        for (SyncRejection r : SyncRejection.values()) {
            assertThat(standby.daemon.rejected(r)).as(r.label()).isZero();
        }
    }

    @Test
    void aStandbyThatStartsLateIsSentTheWholeTable() throws Exception {
        Director master = director(A, B, KEY);
        master.daemon.becomeMaster();
        await("master role", master.daemon::master);
        master.open(20000, 3000); // nobody listens yet: these go nowhere
        Director standby = director(B, A, KEY);
        await("bulk resync", () -> standby.daemon.resyncsCompleted() == 1);
        assertThat(standby.daemon.lastResyncEntries()).as(() -> "master sent " + master.daemon.messagesSent()
                + " messages, " + master.daemon.sendErrors() + " send errors; standby received "
                + standby.daemon.messagesReceived() + ", ignored " + standby.daemon.ignored() + ", inbox overflow "
                + standby.daemon.inboxOverflow() + ", requests " + standby.daemon.resyncRequestsSent() + ", walks "
                + master.sync.resyncWalks() + ", replayed " + standby.daemon.rejected(SyncRejection.REPLAYED))
                .isEqualTo(3000);
        await("3000 entries applied", () -> check(() -> {
            try {
                return standby.established(20000, 3000) == 3000;
            } catch (Exception e) {
                return false;
            }
        }));
        assertThat(standby.daemon.inboxOverflow()).isZero();
        assertThat(master.daemon.resyncsServed()).isEqualTo(1);
        // live changes go on after it
        master.open(40000, 10);
        await("live change after resync", () -> check(() -> {
            try {
                return standby.established(40000, 10) == 10;
            } catch (Exception e) {
                return false;
            }
        }));
    }

    @Test
    void aTakeoverStartsANewEpochAndTheOldMastersMessagesAreRefused() throws Exception {
        Director a = director(A, B, KEY);
        Director b = director(B, A, KEY);
        a.daemon.becomeMaster();
        await("a master", a.daemon::master);
        a.open(30000, 10);
        await("b has a's flows", () -> check(() -> {
            try {
                return b.established(30000, 10) == 10;
            } catch (Exception e) {
                return false;
            }
        }));
        long oldEpoch = a.daemon.epoch();
        // b takes over; a becomes backup
        a.daemon.becomeBackup();
        b.daemon.becomeMaster();
        await("b master", b.daemon::master);
        assertThat(b.daemon.epoch()).isGreaterThan(oldEpoch);
        b.open(31000, 10);
        await("a has b's flows", () -> check(() -> {
            try {
                return a.established(31000, 10) == 10;
            } catch (Exception e) {
                return false;
            }
        }));
        // a message from the old epoch, validly signed (a replayed capture of the old master)
        int before = a.size();
        sendForged(A, KEY, SYNC_ID, oldEpoch, 1_000_000, 32000);
        await("stale epoch counted", () -> a.daemon.rejected(SyncRejection.STALE_EPOCH) == 1);
        assertThat(a.size()).isEqualTo(before);
    }

    @Test
    void aMasterFencedOffByANewerLeaseIsRefused() throws Exception {
        Director a = director(A, B, KEY);
        Director b = director(B, A, KEY);
        a.daemon.becomeMaster(4_294_967_301L); // the czxid of a's lease node
        await("a master", a.daemon::master);
        assertThat(a.daemon.epoch()).isEqualTo(4_294_967_301L);
        a.open(30000, 10);
        await("b has a's flows", () -> check(() -> {
            try {
                return b.established(30000, 10) == 10;
            } catch (Exception e) {
                return false;
            }
        }));
        // b takes the lease that a lost without noticing (a paused VM, fail-open): a still sends
        b.daemon.becomeMaster(4_294_967_310L);
        await("b master", b.daemon::master);
        assertThat(b.daemon.epoch()).isEqualTo(4_294_967_310L);
        b.daemon.becomeBackup();
        await("b backup", () -> !b.daemon.master());
        int before = b.size();
        a.open(33000, 10);
        await("a's stale messages refused", () -> b.daemon.rejected(SyncRejection.STALE_EPOCH) >= 1);
        Thread.sleep(200);
        assertThat(b.size()).isEqualTo(before);
    }

    @Test
    void forgedReplayedAndWronglyKeyedMessagesChangeNothing() throws Exception {
        Director standby = director(B, A, KEY);
        long epoch = System.currentTimeMillis();
        // a valid message first: it is applied
        sendForged(B, KEY, SYNC_ID, epoch, 5, 50000);
        await("valid message applied", () -> check(() -> {
            try {
                return standby.established(50000, 1) == 1;
            } catch (Exception e) {
                return false;
            }
        }));
        // the same bytes again (a replay), another key, another sync id, a corrupted body
        sendForged(B, KEY, SYNC_ID, epoch, 5, 50001);
        sendForged(B, "another-key-of-32-bytes-length!!".getBytes(), SYNC_ID, epoch, 6, 50002);
        sendForged(B, KEY, SYNC_ID + 1, epoch, 7, 50003);
        ByteBuffer corrupt = message(KEY, SYNC_ID, epoch, 8, 50004);
        corrupt.put(60, (byte) (corrupt.get(60) ^ 0x01));
        send(B, corrupt);
        send(B, ByteBuffer.wrap(new byte[] {1, 2, 3}));
        await("all five refused", () -> standby.daemon.rejected(SyncRejection.REPLAYED)
                + standby.daemon.rejected(SyncRejection.BAD_HMAC)
                + standby.daemon.rejected(SyncRejection.TRUNCATED) == 4);
        assertThat(standby.daemon.rejected(SyncRejection.REPLAYED)).isEqualTo(1);
        assertThat(standby.daemon.rejected(SyncRejection.BAD_HMAC)).isEqualTo(2);
        assertThat(standby.daemon.rejected(SyncRejection.TRUNCATED)).isEqualTo(1);
        // another sync id is a different pair's message (checked after the HMAC, with the same key here)
        await("wrong sync id", () -> standby.daemon.rejected(SyncRejection.WRONG_SYNC_ID) == 1);
        assertThat(standby.size()).isEqualTo(1);
        assertThat(standby.established(50001, 4)).isZero();
    }

    /** A signed UPDATE with one established NAT flow from CLIENT:{@code clientPort} to RS1. */
    private static ByteBuffer message(byte[] key, int syncId, long epoch, long sequence, int clientPort) {
        ByteBuffer buf = ByteBuffer.allocate(SyncMessageFlyweight.lengthFor(1));
        MemorySegment seg = MemorySegment.ofBuffer(buf);
        SyncMessageFlyweight m = new SyncMessageFlyweight().wrap(seg, 0, buf.capacity());
        m.writeHeader(SyncMessageFlyweight.TYPE_UPDATE, syncId, epoch, sequence, 1);
        new SyncEntryFlyweight().wrap(seg, m.entryOffset(0)).write(SyncEntryFlyweight.KIND_CONNECTION, TCP,
                TcpState.ESTABLISHED, ForwardMethod.NAT.ordinal(), CLIENT, clientPort, VIP, 80, RS1, 8080, CLIENT,
                clientPort, 900_000, 0);
        new SyncAuthenticator(key).sign(m);
        return buf;
    }

    private void sendForged(InetAddress to, byte[] key, int syncId, long epoch, long sequence, int clientPort)
            throws Exception {
        send(to, message(key, syncId, epoch, sequence, clientPort));
    }

    private void send(InetAddress to, ByteBuffer payload) throws Exception {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.3"), 0));
            ch.send(payload.rewind(), new InetSocketAddress(to, port));
        }
    }

    @Test
    void optionsRefuseWhatCannotWork() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SyncOptions(Optional.empty(), 1,
                SyncOptions.DEFAULT_GROUP, 8848, 1, 1472, List.of(), Optional.empty(), KEY, true,
                SyncOptions.DEFAULT_FLUSH, SyncOptions.DEFAULT_REFRESH))
                .hasMessageContaining("interface (multicast) or unicast peers");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SyncOptions.multicast("eth0", 1, new byte[8]))
                .hasMessageContaining("too short");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SyncOptions(Optional.of("eth0"), 1,
                SyncOptions.DEFAULT_GROUP, 8848, 1, 80, List.of(), Optional.empty(), KEY, true,
                SyncOptions.DEFAULT_FLUSH, SyncOptions.DEFAULT_REFRESH))
                .hasMessageContaining("maxlen");
    }
}
