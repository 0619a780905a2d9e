package io.tandem.forwarder.conn;

import static io.tandem.forwarder.conn.ConnectionTable.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectionTableTest {
    private static final int TCP = 6;
    private static final int UDP = 17;
    private static final int CIP = 0x0A4D010A;  // 10.77.1.10
    private static final int VIP = 0x0A4D0064;  // 10.77.0.100
    private static final int RIP = 0x0A4D000B;  // 10.77.0.11
    private static final int LIP = 0x0A4D00C8;  // 10.77.0.200
    private static final long SECOND = 1_000_000_000L;

    private final int[] active = new int[4];
    private final int[] inactive = new int[4];
    private final DestinationCounters counters = (service, dest, da, di) -> {
        active[dest] += da;
        inactive[dest] += di;
    };
    private final Timeouts timeouts = Timeouts.ipvsDefaults();
    private ConnectionTable table = new ConnectionTable(1024, timeouts, counters);

    @AfterEach
    void close() {
        table.close();
    }

    private int nat(int clientPort, long now) {
        return table.create(TCP, CIP, clientPort, VIP, 80, RIP, 8080, CIP, clientPort,
                ForwardMethod.NAT, 0, 1, NONE, now);
    }

    @Test
    void natConnectionIsFoundFromBothSides() {
        int id = nat(40000, 0);
        assertThat(table.lookupIn(TCP, CIP, 40000, VIP, 80, 1)).isEqualTo(id);
        // the reply: RIP:8080 -> CIP:40000
        assertThat(table.lookupOut(TCP, RIP, 8080, CIP, 40000, 1)).isEqualTo(id);
        assertThat(table.lookupIn(TCP, CIP, 40001, VIP, 80, 1)).isEqualTo(NONE);
        assertThat(table.lookupIn(UDP, CIP, 40000, VIP, 80, 1)).isEqualTo(NONE);
        assertThat(table.destAddr(id)).isEqualTo(RIP);
        assertThat(table.destPort(id)).isEqualTo(8080);
        assertThat(table.method(id)).isEqualTo(ForwardMethod.NAT);
    }

    /**
     * The lookups compare adjacent key fields together (the two addresses as one long, the two ports
     * as one int): random keys, with the high bits of addresses and ports set, are found from both
     * sides, and a key that differs in any one field, or has two fields swapped, is not.
     */
    @Test
    void everyKeyFieldCountsInBothLookups() {
        Random random = new Random(0x7AB1E);
        for (int round = 0; round < 500; round++) {
            int protocol = random.nextBoolean() ? TCP : UDP;
            int caddr = random.nextInt();
            int vaddr = random.nextInt();
            int daddr = random.nextInt();
            int laddr = random.nextInt();
            int cport = random.nextInt(0x10000);
            int vport = random.nextInt(0x10000);
            int dport = random.nextInt(0x10000);
            int lport = random.nextInt(0x10000);
            int id = table.create(protocol, caddr, cport, vaddr, vport, daddr, dport, laddr, lport,
                    ForwardMethod.FULLNAT, 0, 1, NONE, 0);
            assertThat(table.lookupIn(protocol, caddr, cport, vaddr, vport, 1)).isEqualTo(id);
            assertThat(table.lookupOut(protocol, daddr, dport, laddr, lport, 1)).isEqualTo(id);
            int bit = 1 << random.nextInt(32);
            int portBit = 1 << random.nextInt(16);
            assertThat(table.lookupIn(protocol ^ 0x17, caddr, cport, vaddr, vport, 1)).isEqualTo(NONE);
            assertThat(table.lookupIn(protocol, caddr ^ bit, cport, vaddr, vport, 1)).isEqualTo(NONE);
            assertThat(table.lookupIn(protocol, caddr, cport ^ portBit, vaddr, vport, 1)).isEqualTo(NONE);
            assertThat(table.lookupIn(protocol, caddr, cport, vaddr ^ bit, vport, 1)).isEqualTo(NONE);
            assertThat(table.lookupIn(protocol, caddr, cport, vaddr, vport ^ portBit, 1)).isEqualTo(NONE);
            assertThat(table.lookupOut(protocol, daddr ^ bit, dport, laddr, lport, 1)).isEqualTo(NONE);
            assertThat(table.lookupOut(protocol, daddr, dport ^ portBit, laddr, lport, 1)).isEqualTo(NONE);
            assertThat(table.lookupOut(protocol, daddr, dport, laddr ^ bit, lport, 1)).isEqualTo(NONE);
            assertThat(table.lookupOut(protocol, daddr, dport, laddr, lport ^ portBit, 1)).isEqualTo(NONE);
            if (caddr != vaddr || cport != vport) {
                assertThat(table.lookupIn(protocol, vaddr, vport, caddr, cport, 1)).isEqualTo(NONE);
            }
            // ports are compared as 16-bit values, as before
            assertThat(table.lookupIn(protocol, caddr, cport | 0x10000, vaddr, vport, 1)).isEqualTo(id);
            table.remove(id);
        }
    }

    @Test
    void fullNatRepliesAreFoundByTheLocalAddress() {
        int id = table.create(TCP, CIP, 40000, VIP, 80, RIP, 80, LIP, 61000, ForwardMethod.FULLNAT, 0, 1, NONE, 0);
        assertThat(table.lookupOut(TCP, RIP, 80, LIP, 61000, 1)).isEqualTo(id);
        assertThat(table.lookupOut(TCP, RIP, 80, CIP, 40000, 1)).isEqualTo(NONE);
        assertThat(table.localAddr(id)).isEqualTo(LIP);
        assertThat(table.localPort(id)).isEqualTo(61000);
    }

    @Test
    void tcpStatesMoveTheConnectionBetweenActiveAndInactive() {
        int id = nat(40000, 0);
        assertThat(active[1]).isEqualTo(1);
        table.onTcpSegment(id, TcpState.INPUT, TcpState.SYN, 0);
        assertThat(TcpState.name(table.state(id))).isEqualTo("SYN_RECV");
        assertThat(active[1]).isZero();
        assertThat(inactive[1]).isEqualTo(1);
        table.onTcpSegment(id, TcpState.OUTPUT, TcpState.SYN | TcpState.ACK, 0);
        table.onTcpSegment(id, TcpState.INPUT, TcpState.ACK, 0);
        assertThat(TcpState.name(table.state(id))).isEqualTo("ESTABLISHED");
        assertThat(active[1]).isEqualTo(1);
        assertThat(inactive[1]).isZero();
        assertThat(table.expiresAt(id)).isEqualTo(900 * SECOND);
        table.onTcpSegment(id, TcpState.INPUT, TcpState.FIN | TcpState.ACK, 10);
        assertThat(TcpState.name(table.state(id))).isEqualTo("CLOSE_WAIT");
        assertThat(table.expiresAt(id)).isEqualTo(10 + 60 * SECOND);
        assertThat(inactive[1]).isEqualTo(1);
    }

    @Test
    void directRoutingConnectionsUseTheInputOnlyTable() {
        int id = table.create(TCP, CIP, 40000, VIP, 80, RIP, 80, CIP, 40000, ForwardMethod.DR, 0, 2, NONE, 0);
        table.onTcpSegment(id, TcpState.INPUT, TcpState.SYN, 0);
        assertThat(TcpState.name(table.state(id))).isEqualTo("SYNACK");
        table.onTcpSegment(id, TcpState.INPUT, TcpState.ACK, 0);
        assertThat(TcpState.name(table.state(id))).isEqualTo("ESTABLISHED");
        table.onTcpSegment(id, TcpState.INPUT, TcpState.FIN | TcpState.ACK, 0);
        assertThat(TcpState.name(table.state(id))).isEqualTo("FIN_WAIT");
        assertThat(active[2] + inactive[2]).isEqualTo(1);
    }

    @Test
    void expiredEntriesDisappearOnLookupAndOnSweep() {
        int a = nat(40000, 0);
        int b = nat(40001, 0);
        table.onTcpSegment(a, TcpState.INPUT, TcpState.SYN, 0); // SYN_RECV: 60 s
        table.onTcpSegment(b, TcpState.INPUT, TcpState.SYN, 0);
        assertThat(table.lookupIn(TCP, CIP, 40000, VIP, 80, 60 * SECOND - 1)).isEqualTo(a);
        assertThat(table.lookupIn(TCP, CIP, 40000, VIP, 80, 60 * SECOND)).isEqualTo(NONE);
        assertThat(table.size()).isEqualTo(1);
        assertThat(table.expire(60 * SECOND, 16)).isEqualTo(1);
        assertThat(table.size()).isZero();
        assertThat(active[1] + inactive[1]).isZero();
    }

    @Test
    void udpEntriesLiveForTheUdpTimeoutAndCountInactive() {
        int id = table.create(UDP, CIP, 5353, VIP, 53, RIP, 53, CIP, 5353, ForwardMethod.NAT, 0, 3, NONE, 0);
        assertThat(inactive[3]).isEqualTo(1);
        table.onUdpDatagram(id, 100 * SECOND);
        assertThat(table.lookupIn(UDP, CIP, 5353, VIP, 53, 399 * SECOND)).isEqualTo(id);
        assertThat(table.lookupIn(UDP, CIP, 5353, VIP, 53, 400 * SECOND)).isEqualTo(NONE);
        assertThat(inactive[3]).isZero();
    }

    @Test
    void lvsTimeoutsOverrideTheDefaults() {
        Timeouts t = timeouts.withLvsTimeouts(Duration.ofSeconds(50), Duration.ZERO, Duration.ofSeconds(5));
        assertThat(t.tcpNanos(TcpState.ESTABLISHED)).isEqualTo(50 * SECOND);
        assertThat(t.tcpNanos(TcpState.FIN_WAIT)).isEqualTo(120 * SECOND);
        assertThat(t.udpNanos()).isEqualTo(5 * SECOND);
    }

    @Test
    void aTemplateOutlivesItsTimeoutWhileItsConnectionsLive() {
        int template = table.createTemplate(CIP & 0xFFFFFF00, VIP, 80, RIP, 80, 0, 1, 360 * SECOND, 0);
        int conn = table.create(TCP, CIP, 40000, VIP, 80, RIP, 80, CIP, 40000, ForwardMethod.DR, 0, 1, template, 0);
        table.onTcpSegment(conn, TcpState.INPUT, TcpState.SYN, 0);
        table.onTcpSegment(conn, TcpState.INPUT, TcpState.ACK, 0); // ESTABLISHED: 900 s
        assertThat(table.lookupTemplate(CIP & 0xFFFFFF00, VIP, 80, 500 * SECOND)).isEqualTo(template);
        table.remove(conn);
        assertThat(table.lookupTemplate(CIP & 0xFFFFFF00, VIP, 80, 500 * SECOND)).isEqualTo(template);
        // renewed at 500 s when it was found expired but still in use: gone 360 s later
        assertThat(table.lookupTemplate(CIP & 0xFFFFFF00, VIP, 80, 860 * SECOND)).isEqualTo(NONE);
        assertThat(table.size()).isZero();
    }

    @Test
    void aFullTableRefusesAndCounts() {
        try (ConnectionTable small = new ConnectionTable(2, timeouts, counters)) {
            assertThat(small.create(TCP, CIP, 1, VIP, 80, RIP, 80, CIP, 1, ForwardMethod.NAT, 0, 0, NONE, 0))
                    .isNotEqualTo(NONE);
            assertThat(small.create(TCP, CIP, 2, VIP, 80, RIP, 80, CIP, 2, ForwardMethod.NAT, 0, 0, NONE, 0))
                    .isNotEqualTo(NONE);
            assertThat(small.create(TCP, CIP, 3, VIP, 80, RIP, 80, CIP, 3, ForwardMethod.NAT, 0, 0, NONE, 0))
                    .isEqualTo(NONE);
            assertThat(small.tableFull()).isEqualTo(1);
        }
    }

    @Test
    void removingTwiceIsAnError() {
        int id = nat(40000, 0);
        table.remove(id);
        assertThatThrownBy(() -> table.remove(id)).hasMessage("connection " + id + " is not in the table");
    }

    /** Random churn against a HashMap model: every chain stays consistent. */
    @Test
    void randomChurnMatchesAModel() {
        table.close();
        table = new ConnectionTable(4096, timeouts, DestinationCounters.NONE);
        Map<Long, Integer> model = new HashMap<>();
        Random random = new Random(42);
        for (int step = 0; step < 200_000; step++) {
            int client = 0x0A000000 | random.nextInt(64);
            int port = 1024 + random.nextInt(64);
            long key = ((long) client << 16) | port;
            int found = table.lookupIn(TCP, client, port, VIP, 80, 0);
            Integer expected = model.get(key);
            assertThat(found).isEqualTo(expected == null ? NONE : expected);
            if (found == NONE) {
                int id = table.create(TCP, client, port, VIP, 80, RIP, 80, client, port,
                        ForwardMethod.NAT, 0, 0, NONE, 0);
                assertThat(id).isNotEqualTo(NONE);
                model.put(key, id);
                assertThat(table.lookupOut(TCP, RIP, 80, client, port, 0)).isEqualTo(id);
            } else if (random.nextBoolean()) {
                table.remove(found);
                model.remove(key);
            }
            assertThat(table.size()).isEqualTo(model.size());
        }
    }

    @Test
    void aConnectionCostsAtMost128Bytes() {
        assertThat(table.bytesPerConnection()).isLessThanOrEqualTo(128);
        try (ConnectionTable big = new ConnectionTable(10_000_000, timeouts, DestinationCounters.NONE)) {
            assertThat(big.bytesPerConnection()).isLessThanOrEqualTo(128);
        }
    }
}
