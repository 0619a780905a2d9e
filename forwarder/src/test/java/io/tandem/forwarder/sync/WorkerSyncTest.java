package io.tandem.forwarder.sync;

import static io.tandem.forwarder.conn.ConnectionTable.NONE;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.forwarder.conn.ConnectionTable;
import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.conn.TcpState;
import io.tandem.forwarder.conn.Timeouts;
import io.tandem.forwarder.sched.Schedulers;
import io.tandem.forwarder.service.ConnectionScheduler;
import io.tandem.forwarder.service.LocalAddressPool;
import io.tandem.forwarder.service.ServiceCounters;
import io.tandem.forwarder.service.ServiceTable;
import io.tandem.forwarder.service.VirtualService;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker's side of connection sync: a master's table reproduced on a standby, on an injected clock. */
class WorkerSyncTest {
    private static final int TCP = 6;
    private static final int UDP = 17;
    private static final int VIP = 0x0A4D0064;
    private static final int RS1 = 0x0A4D000B;
    private static final int RS2 = 0x0A4D000C;
    private static final int LIP1 = 0x0A4D00C8;
    private static final int CLIENT = 0x0A4D010A;
    private static final long SECOND = 1_000_000_000L;
    private static final long REFRESH = 30 * SECOND;

    /** One director's forwarder state: services, table, scheduler and sync rings. */
    private static final class Side implements AutoCloseable {
        final ServiceTable services = new ServiceTable();
        final ConnectionTable table;
        final ConnectionScheduler scheduler;
        final SyncRing outbox;
        final SyncRing inbox = new SyncRing(1024);
        final WorkerSync sync;
        final VirtualService service;
        /** Packets that created a flow or changed its state: each must be offered once. */
        int changes;

        Side(ForwardMethod method, int persistenceSeconds, int outboxSize) {
            this(method, persistenceSeconds, outboxSize, true);
        }

        Side(ForwardMethod method, int persistenceSeconds, int outboxSize, boolean replaceTemplates) {
            table = new ConnectionTable(4096, Timeouts.ipvsDefaults(), new ServiceCounters(services));
            scheduler = new ConnectionScheduler(table);
            outbox = new SyncRing(outboxSize);
            sync = new WorkerSync(table, services, outbox, inbox, REFRESH, replaceTemplates);
            service = new VirtualService(services.nextId(), TCP, VIP, 80, Schedulers.create("rr", List.of()));
            if (method == ForwardMethod.FULLNAT) {
                service.setLocalAddresses(new LocalAddressPool(LIP1, LIP1 + 1));
            }
            if (persistenceSeconds > 0) {
                service.setPersistence(persistenceSeconds * SECOND, 0xFFFFFF00);
            }
            service.addRealServer(RS1, 8080, 1, method);
            service.addRealServer(RS2, 8080, 1, method);
            services.add(service);
        }

        /** A client's SYN then ACK, as the packet path reports them to the sync. */
        int open(int clientPort, long now) {
            int id = scheduler.schedule(service, CLIENT, clientPort, now);
            table.onTcpSegment(id, TcpState.INPUT, TcpState.SYN, now);
            packet(id, true, now);
            packet(id, table.onTcpSegment(id, TcpState.OUTPUT, TcpState.SYN | TcpState.ACK, now), now);
            packet(id, table.onTcpSegment(id, TcpState.INPUT, TcpState.ACK, now), now);
            return id;
        }

        void packet(int id, boolean changed, long now) {
            changes += changed ? 1 : 0;
            sync.onPacket(id, changed, now);
        }

        @Override
        public void close() {
            table.close();
            outbox.close();
            inbox.close();
        }
    }

    private final List<Side> sides = new ArrayList<>();

    private Side side(ForwardMethod method) {
        return side(method, 0, 1024);
    }

    private Side side(ForwardMethod method, int persistence, int outbox) {
        Side s = new Side(method, persistence, outbox);
        sides.add(s);
        return s;
    }

    @AfterEach
    void close() {
        sides.forEach(Side::close);
    }

    /** What the sync daemon does between the two: the master's outbox entries into the standby's inbox. */
    private static List<Integer> carry(Side from, Side to) {
        List<Integer> types = new ArrayList<>();
        for (int type; (type = from.outbox.peek()) >= 0; ) {
            types.add(type);
            if (type != SyncRing.SLOT_RESYNC_DONE) {
                to.inbox.claim(SyncRing.SLOT_UPDATE).copyFrom(from.outbox.segment(), from.outbox.entryOffset());
                to.inbox.commit();
            }
            from.outbox.release();
        }
        return types;
    }

    @Test
    void aNatFlowReachesTheStandbyWithItsRealServerStateAndLifetime() {
        Side master = side(ForwardMethod.NAT);
        Side standby = side(ForwardMethod.NAT);
        master.sync.setSending(true);
        int first = master.open(40000, 0);
        int second = master.open(40001, 0);

        carry(master, standby);
        standby.sync.doWork(SECOND);

        for (int id : new int[] {first, second}) {
            int copy = standby.table.lookupIn(TCP, CLIENT, master.table.clientPort(id), VIP, 80, SECOND);
            assertThat(copy).isNotEqualTo(NONE);
            assertThat(standby.table.destAddr(copy)).isEqualTo(master.table.destAddr(id));
            assertThat(standby.table.state(copy)).isEqualTo(TcpState.ESTABLISHED);
            assertThat(standby.table.method(copy)).isEqualTo(ForwardMethod.NAT);
            // the master's remaining 900 s, counted from when the standby applied it
            assertThat(standby.table.expiresAt(copy)).isEqualTo(SECOND + 900 * SECOND);
            // and the real server's reply finds it too
            assertThat(standby.table.lookupOut(TCP, master.table.destAddr(id), 8080, CLIENT,
                    master.table.clientPort(id), SECOND)).isEqualTo(copy);
        }
        assertThat(master.table.destAddr(first)).isNotEqualTo(master.table.destAddr(second));
        assertThat(standby.service.destinations().activeConnections(0)).isEqualTo(1);
        assertThat(standby.service.destinations().activeConnections(1)).isEqualTo(1);
        assertThat(standby.sync.applied()).isEqualTo(master.sync.offered());
    }

    @Test
    void onlyChangesAndDueRefreshesAreOffered() {
        Side master = side(ForwardMethod.NAT);
        master.sync.setSending(true);
        int id = master.open(40000, 0);
        // created, then each state change of the handshake, once
        long afterOpen = master.sync.offered();
        assertThat(afterOpen).isEqualTo(master.changes).isGreaterThanOrEqualTo(2);
        for (int i = 1; i <= 100; i++) {
            master.sync.onPacket(id, master.table.onTcpSegment(id, TcpState.INPUT, TcpState.ACK, i * 1_000_000L),
                    i * 1_000_000L);
        }
        assertThat(master.sync.offered()).isEqualTo(afterOpen);
        long later = REFRESH + SECOND;
        master.sync.onPacket(id, master.table.onTcpSegment(id, TcpState.INPUT, TcpState.ACK, later), later);
        assertThat(master.sync.offered()).isEqualTo(afterOpen + 1);
        master.sync.onPacket(id, master.table.onTcpSegment(id, TcpState.INPUT, TcpState.FIN | TcpState.ACK,
                later + 1), later + 1);
        assertThat(master.sync.offered()).isEqualTo(afterOpen + 2);
    }

    @Test
    void aBackupOffersNothing() {
        Side backup = side(ForwardMethod.NAT);
        backup.open(40000, 0);
        assertThat(backup.sync.offered()).isZero();
        assertThat(backup.outbox.size()).isZero();
    }

    @Test
    void fullnatKeepsItsLocalAddressAndPortAndTheStandbyNeverReusesThem() {
        Side master = side(ForwardMethod.FULLNAT);
        Side standby = side(ForwardMethod.FULLNAT);
        master.sync.setSending(true);
        int id = master.open(40000, 0);
        carry(master, standby);
        standby.sync.doWork(0);

        int copy = standby.table.lookupIn(TCP, CLIENT, 40000, VIP, 80, 0);
        assertThat(standby.table.localAddr(copy)).isEqualTo(master.table.localAddr(id));
        assertThat(standby.table.localPort(copy)).isEqualTo(master.table.localPort(id));
        assertThat(standby.table.lookupOut(TCP, master.table.destAddr(id), 8080, master.table.localAddr(id),
                master.table.localPort(id), 0)).isEqualTo(copy);
        // after a takeover, a new flow to the same real server gets another local port
        for (int port = 50000; port < 50100; port++) {
            int fresh = standby.scheduler.schedule(standby.service, CLIENT + 1, port, 0);
            if (standby.table.destAddr(fresh) == master.table.destAddr(id)
                    && standby.table.localAddr(fresh) == master.table.localAddr(id)) {
                assertThat(standby.table.localPort(fresh)).isNotEqualTo(master.table.localPort(id));
            }
        }
    }

    @Test
    void persistenceTemplatesTravelWithTheirConnections() {
        Side master = side(ForwardMethod.NAT, 300, 1024);
        Side standby = side(ForwardMethod.NAT, 300, 1024);
        master.sync.setSending(true);
        int id = master.open(40000, 0);
        carry(master, standby);
        standby.sync.doWork(0);

        int template = standby.table.lookupTemplate(CLIENT & 0xFFFFFF00, VIP, 80, 0);
        assertThat(template).isNotEqualTo(NONE);
        assertThat(standby.table.destAddr(template)).isEqualTo(master.table.destAddr(id));
        // a new flow from the same client network after the takeover goes to the same real server
        int next = standby.scheduler.schedule(standby.service, CLIENT + 5, 41000, SECOND);
        assertThat(standby.table.destAddr(next)).isEqualTo(master.table.destAddr(id));
    }

    @Test
    void withSeveralWorkersATemplateToAnotherRealServerLeavesTheOneTheWorkerHas() {
        // every worker of a standby with several receives every template; the master's workers each keep their own
        Side master = side(ForwardMethod.NAT, 300, 1024);
        Side standby = new Side(ForwardMethod.NAT, 300, 1024, false);
        sides.add(standby);
        master.sync.setSending(true);
        int id = master.open(40000, 0);
        carry(master, standby);
        standby.sync.doWork(0);
        int template = standby.table.lookupTemplate(CLIENT & 0xFFFFFF00, VIP, 80, 0);
        int first = standby.table.destAddr(template);
        assertThat(first).isEqualTo(master.table.destAddr(id));
        int other = first == RS1 ? RS2 : RS1;
        standby.inbox.claim(SyncRing.SLOT_UPDATE).write(SyncEntryFlyweight.KIND_TEMPLATE, TCP, 0, 0,
                CLIENT & 0xFFFFFF00, 0, VIP, 80, other, 8080, 0, 0, 300_000, 0xFFFFFF00);
        standby.inbox.commit();
        standby.sync.doWork(0);
        assertThat(standby.sync.templateKept()).isEqualTo(1);
        int still = standby.table.lookupTemplate(CLIENT & 0xFFFFFF00, VIP, 80, 0);
        assertThat(still).isEqualTo(template);
        assertThat(standby.table.destAddr(still)).isEqualTo(first);
        // the connection synced with it keeps its template: a new flow of the client goes the same way
        int next = standby.scheduler.schedule(standby.service, CLIENT + 5, 41000, SECOND);
        assertThat(standby.table.destAddr(next)).isEqualTo(first);
    }

    @Test
    void aBulkResyncWalksTheWholeTableThenSaysDone() {
        Side master = side(ForwardMethod.NAT, 0, 64);
        Side standby = side(ForwardMethod.NAT);
        for (int p = 0; p < 500; p++) {
            master.open(30000 + p, 0); // before any standby listened: nothing offered
        }
        assertThat(master.outbox.size()).isZero();
        master.sync.setSending(true);
        master.sync.startResync();
        List<Integer> types = new ArrayList<>();
        for (int cycle = 0; cycle < 100 && (master.sync.walking() || master.outbox.size() > 0); cycle++) {
            master.sync.doWork(SECOND); // the 64-slot outbox fills: the walk goes on next cycle
            types.addAll(carry(master, standby));
            standby.sync.doWork(SECOND);
        }
        assertThat(master.sync.walking()).isFalse();
        assertThat(types).hasSize(501).endsWith(SyncRing.SLOT_RESYNC_DONE);
        assertThat(types.subList(0, 500)).containsOnly(SyncRing.SLOT_RESYNC);
        assertThat(standby.table.size()).isEqualTo(500);
        for (int p = 0; p < 500; p++) {
            int copy = standby.table.lookupIn(TCP, CLIENT, 30000 + p, VIP, 80, SECOND);
            assertThat(copy).isNotEqualTo(NONE);
            assertThat(standby.table.state(copy)).isEqualTo(TcpState.ESTABLISHED);
        }
    }

    @Test
    void aFullOutboxIsCountedAndTheFlowIsOfferedAgainOnItsNextPacket() {
        Side master = side(ForwardMethod.NAT, 0, 2);
        master.sync.setSending(true);
        int a = master.open(40000, 0); // fills both slots
        assertThat(master.outbox.size()).isEqualTo(2);
        long before = master.sync.overflow();
        int b = master.scheduler.schedule(master.service, CLIENT, 40001, 0);
        master.sync.onPacket(b, true, 0);
        assertThat(master.sync.overflow()).isEqualTo(before + 1);
        while (master.outbox.peek() >= 0) {
            master.outbox.release();
        }
        master.sync.onPacket(b, false, 1_000_000L); // never sent, so due
        assertThat(master.outbox.size()).isEqualTo(1);
        assertThat(master.outbox.peek()).isEqualTo(SyncRing.SLOT_UPDATE);
        assertThat(master.outbox.entry().clientPort()).isEqualTo(40001);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void entriesForWhatTheStandbyLacksAreCountedAndIgnored() {
        Side standby = side(ForwardMethod.NAT);
        write(standby, SyncEntryFlyweight.KIND_CONNECTION, TCP, VIP + 1, RS1, ForwardMethod.NAT.ordinal());
        write(standby, SyncEntryFlyweight.KIND_CONNECTION, TCP, VIP, RS1 + 7, ForwardMethod.NAT.ordinal());
        write(standby, SyncEntryFlyweight.KIND_CONNECTION, 99, VIP, RS1, ForwardMethod.NAT.ordinal());
        write(standby, SyncEntryFlyweight.KIND_CONNECTION, TCP, VIP, RS1, 7);
        write(standby, 42, TCP, VIP, RS1, ForwardMethod.NAT.ordinal());
        write(standby, SyncEntryFlyweight.KIND_CONNECTION, UDP, VIP, RS1, ForwardMethod.NAT.ordinal());
        standby.sync.doWork(0);
        assertThat(standby.sync.unknownService()).isEqualTo(2); // VIP+1, and no UDP service on VIP:80
        assertThat(standby.sync.unknownRealServer()).isEqualTo(1);
        assertThat(standby.sync.badEntry()).isEqualTo(3);
        assertThat(standby.table.size()).isZero();
    }

    @Test
    void theMastersWordWinsOverAStaleCopy() {
        Side standby = side(ForwardMethod.NAT);
        int stale = standby.scheduler.schedule(standby.service, CLIENT, 40000, 0);
        int other = standby.table.destAddr(stale) == RS1 ? RS2 : RS1;
        write(standby, SyncEntryFlyweight.KIND_CONNECTION, TCP, VIP, other, ForwardMethod.NAT.ordinal());
        standby.sync.doWork(0);
        int id = standby.table.lookupIn(TCP, CLIENT, 40000, VIP, 80, 0);
        assertThat(standby.table.destAddr(id)).isEqualTo(other);
        assertThat(standby.table.size()).isEqualTo(1);
    }

    private static void write(Side side, int kind, int protocol, int vip, int rip, int method) {
        side.inbox.claim(SyncRing.SLOT_UPDATE).write(kind, protocol, TcpState.ESTABLISHED, method,
                CLIENT, 40000, vip, 80, rip, 8080, CLIENT, 40000, 900_000, 0);
        side.inbox.commit();
    }
}
