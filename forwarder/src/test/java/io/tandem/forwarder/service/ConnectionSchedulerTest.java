package io.tandem.forwarder.service;

import static io.tandem.forwarder.conn.ConnectionTable.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.forwarder.conn.ConnectionTable;
import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.conn.TcpState;
import io.tandem.forwarder.conn.Timeouts;
import io.tandem.forwarder.sched.Schedulers;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectionSchedulerTest {
    private static final int TCP = 6;
    private static final int VIP = 0x0A4D0064;
    private static final int RS1 = 0x0A4D000B;
    private static final int RS2 = 0x0A4D000C;
    private static final long SECOND = 1_000_000_000L;

    private final ServiceTable services = new ServiceTable();
    private final ConnectionTable table = new ConnectionTable(1 << 16, Timeouts.ipvsDefaults(),
            new ServiceCounters(services));
    private final ConnectionScheduler scheduler = new ConnectionScheduler(table);

    @AfterEach
    void close() {
        table.close();
    }

    private VirtualService service(String sched, ForwardMethod method) {
        VirtualService s = new VirtualService(services.nextId(), TCP, VIP, 80, Schedulers.create(sched, List.of()));
        if (method == ForwardMethod.FULLNAT) {
            s.setLocalAddresses(new LocalAddressPool(0x0A4D00C8, 0x0A4D00C9));
        }
        s.addRealServer(RS1, 8080, 1, method);
        s.addRealServer(RS2, 8080, 1, method);
        services.add(s);
        return s;
    }

    @Test
    void newFlowsAreSpreadAndCounted() {
        VirtualService s = service("rr", ForwardMethod.NAT);
        int a = scheduler.schedule(s, 0x0A4D010A, 40000, 0);
        int b = scheduler.schedule(s, 0x0A4D010A, 40001, 0);
        assertThat(table.destAddr(a)).isEqualTo(RS1);
        assertThat(table.destAddr(b)).isEqualTo(RS2);
        assertThat(table.destPort(a)).isEqualTo(8080);
        assertThat(s.destinations().activeConnections(0)).isEqualTo(1);
        table.onTcpSegment(a, TcpState.INPUT, TcpState.SYN, 0);
        assertThat(s.destinations().activeConnections(0)).isZero();
        assertThat(s.destinations().inactiveConnections(0)).isEqualTo(1);
        assertThat(services.lookup(TCP, VIP, 80)).isSameAs(s);
        assertThat(services.lookup(TCP, VIP, 81)).isNull();
    }

    @Test
    void persistenceKeepsAClientNetworkOnOneServerEvenWhenDrained() {
        VirtualService s = service("rr", ForwardMethod.DR);
        s.setPersistence(360 * SECOND, 0xFFFFFF00);
        int first = scheduler.schedule(s, 0x0A4D010A, 40000, 0);
        int server = table.destAddr(first);
        for (int port = 40001; port < 40010; port++) {
            assertThat(table.destAddr(scheduler.schedule(s, 0x0A4D0100 + port % 200, port, SECOND)))
                    .isEqualTo(server);
        }
        int slot = s.findRealServer(server, 8080);
        s.destinations().setWeight(slot, 0);
        assertThat(table.destAddr(scheduler.schedule(s, 0x0A4D010B, 50000, 2 * SECOND))).isEqualTo(server);
        // another client network is not bound by the template
        assertThat(table.destAddr(scheduler.schedule(s, 0x0A4D020B, 50000, 2 * SECOND))).isNotEqualTo(server);
        // a removed server's template is dropped and the flow rescheduled
        s.destinations().remove(slot);
        assertThat(table.destAddr(scheduler.schedule(s, 0x0A4D010C, 50001, 3 * SECOND))).isNotEqualTo(server);
    }

    @Test
    void fullNatSourcesNeverCollide() {
        VirtualService s = service("sh", ForwardMethod.FULLNAT);
        Set<Long> sources = new HashSet<>();
        for (int i = 0; i < 3000; i++) {
            int id = scheduler.schedule(s, 0x0A4D0100 + (i % 7), 1024 + i, 0);
            assertThat(id).isNotEqualTo(NONE);
            assertThat(table.localAddr(id)).isIn(0x0A4D00C8, 0x0A4D00C9);
            long source = ((long) table.destAddr(id) << 32) ^ ((long) table.localAddr(id) << 16) ^ table.localPort(id);
            assertThat(sources.add(source)).as("source reused for flow %d", i).isTrue();
            assertThat(table.lookupOut(TCP, table.destAddr(id), 8080, table.localAddr(id), table.localPort(id), 0))
                    .isEqualTo(id);
        }
    }

    @Test
    void noAvailableServerDropsAndCounts() {
        VirtualService s = service("wlc", ForwardMethod.NAT);
        s.destinations().setWeight(0, 0);
        s.destinations().setWeight(1, 0);
        assertThat(scheduler.schedule(s, 0x0A4D010A, 40000, 0)).isEqualTo(NONE);
        assertThat(scheduler.noDestination()).isEqualTo(1);
    }

    @Test
    void fullNatNeedsALocalAddressGroup() {
        VirtualService s = new VirtualService(0, TCP, VIP, 80, Schedulers.create("rr", List.of()));
        assertThatThrownBy(() -> s.addRealServer(RS1, 80, 1, ForwardMethod.FULLNAT))
                .hasMessage("real server 10.77.0.11:80 uses FULLNAT but the service has no local_address_group");
        assertThatThrownBy(() -> new VirtualService(0, 1, VIP, 80, Schedulers.create("rr", List.of())))
                .hasMessage("invalid protocol: 1 (expected: 6 (TCP) or 17 (UDP))");
        assertThatThrownBy(() -> new LocalAddressPool())
                .hasMessage("invalid local_address_group: empty (expected: at least one address)");
    }

    @Test
    void serviceIdsAreReusedAndDuplicatesRefused() {
        VirtualService s = service("rr", ForwardMethod.NAT);
        assertThatThrownBy(() -> services.add(new VirtualService(services.nextId(), TCP, VIP, 80,
                Schedulers.create("rr", List.of())))).hasMessageStartingWith("duplicate virtual service: TCP 10.77.0.100:80");
        services.remove(s);
        assertThat(services.lookup(TCP, VIP, 80)).isNull();
        assertThat(services.nextId()).isEqualTo(0);
    }
}
