package io.tandem.forwarder.path;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.packet.ChecksumPolicy;
import io.tandem.core.packet.Ipv4Flyweight;
import io.tandem.core.packet.PacketParser;
import io.tandem.core.packet.ParseResult;
import io.tandem.core.packet.ParsedPacket;
import io.tandem.core.packet.TcpFlyweight;
import io.tandem.forwarder.conn.ConnectionTable;
import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.conn.Timeouts;
import io.tandem.forwarder.sched.Schedulers;
import io.tandem.forwarder.service.ConnectionScheduler;
import io.tandem.forwarder.service.LocalAddressPool;
import io.tandem.forwarder.service.ServiceCounters;
import io.tandem.forwarder.service.ServiceTable;
import io.tandem.forwarder.service.TrafficStats;
import io.tandem.forwarder.service.VirtualService;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The four modes packet by packet, as the seeds describe them, on frames built byte-exact. */
class PacketForwarderTest {
    private static final int CIP = 0x0A4D010A;    // 10.77.1.10, behind the router
    private static final int ROUTER = 0x0A4D0001; // 10.77.0.1
    private static final int DIP = 0x0A4D0002;    // 10.77.0.2, director-a
    private static final int VIP = 0x0A4D0064;    // 10.77.0.100
    private static final int RIP = 0x0A4D000B;    // 10.77.0.11
    private static final int LIP = 0x0A4D00C8;    // 10.77.0.200
    private static final long ROUTER_MAC = 0x02_00_00_00_00_01L;
    private static final long DIRECTOR_MAC = 0x02_00_00_00_00_02L;
    private static final long RS_MAC = 0x02_00_00_00_00_0BL;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment rxBuf = arena.allocate(2048);
    private final MemorySegment txBuf = arena.allocate(2048);
    private final ServiceTable services = new ServiceTable();
    private final ConnectionTable table = new ConnectionTable(4096, Timeouts.ipvsDefaults(),
            new ServiceCounters(services));
    /** The lab's neighbours; allocation-free like the real one, so the allocation test measures the forwarder. */
    private final NextHops nextHops = new NextHops() {
        @Override
        public int nextHop(int destination) {
            return (destination & 0xFFFFFF00) == 0x0A4D0000 ? destination : ROUTER;
        }

        @Override
        public long macOf(int address) {
            return address == ROUTER ? ROUTER_MAC : address == RIP ? RS_MAC : UNRESOLVED;
        }
    };
    private final PacketForwarder forwarder = new PacketForwarder(services, table, new ConnectionScheduler(table),
            nextHops, DIRECTOR_MAC, DIP, 1500);
    private final ParsedPacket out = new ParsedPacket();
    private final PacketParser parser = new PacketParser(ChecksumPolicy.ALL);

    @AfterEach
    void close() {
        table.close();
        arena.close();
    }

    private VirtualService service(int protocol, ForwardMethod method, int rport) {
        VirtualService s = new VirtualService(services.nextId(), protocol, VIP, 80, Schedulers.create("rr", List.of()));
        if (method == ForwardMethod.FULLNAT) {
            s.setLocalAddresses(new LocalAddressPool(LIP));
        }
        s.addRealServer(RIP, rport, 1, method);
        services.add(s);
        return s;
    }

    private int forward(int length) {
        return forwarder.process(rxBuf, 0, length, false, txBuf, 0, (int) txBuf.byteSize(), 0);
    }

    /** Parses what was sent, verifying every checksum. */
    private ParsedPacket sent(int length) {
        assertThat(length).isPositive();
        assertThat(parser.parse(txBuf, 0, length, out)).isEqualTo(ParseResult.OK);
        return out;
    }

    private int clientSyn() {
        return Frames.tcp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, 40000, VIP, 80, TcpFlyweight.SYN, 0, true);
    }

    @Test
    void natRewritesTheDestinationAndTheReplySource() {
        VirtualService s = service(6, ForwardMethod.NAT, 8080);
        ParsedPacket p = sent(forward(clientSyn()));
        assertThat(p.ipv4().sourceAddress()).isEqualTo(CIP);
        assertThat(p.ipv4().destinationAddress()).isEqualTo(RIP);
        assertThat(p.sourcePort()).isEqualTo(40000);
        assertThat(p.destinationPort()).isEqualTo(8080);
        assertThat(p.ethernet().destination()).isEqualTo(RS_MAC);
        assertThat(p.ethernet().source()).isEqualTo(DIRECTOR_MAC);

        int reply = Frames.tcp(rxBuf, RS_MAC, DIRECTOR_MAC, RIP, 8080, CIP, 40000,
                TcpFlyweight.SYN | TcpFlyweight.ACK, 0, true);
        p = sent(forward(reply));
        assertThat(p.ipv4().sourceAddress()).isEqualTo(VIP);
        assertThat(p.sourcePort()).isEqualTo(80);
        assertThat(p.ipv4().destinationAddress()).isEqualTo(CIP);
        assertThat(p.destinationPort()).isEqualTo(40000);
        assertThat(p.ethernet().destination()).isEqualTo(ROUTER_MAC);
        assertThat(s.stats().get(0, TrafficStats.IN_PACKETS)).isEqualTo(1);
        assertThat(s.stats().get(0, TrafficStats.OUT_PACKETS)).isEqualTo(1);
        assertThat(s.stats().get(0, TrafficStats.CONNECTIONS)).isEqualTo(1);
    }

    @Test
    void directRoutingChangesOnlyTheMacAddresses() {
        service(6, ForwardMethod.DR, 80);
        int length = clientSyn();
        byte[] ipBefore = rxBuf.asSlice(14, length - 14).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        ParsedPacket p = sent(forward(length));
        assertThat(txBuf.asSlice(14, length - 14).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))
                .isEqualTo(ipBefore);
        assertThat(p.ethernet().destination()).isEqualTo(RS_MAC);
        assertThat(p.ethernet().source()).isEqualTo(DIRECTOR_MAC);
    }

    @Test
    void tunnelWrapsTheUntouchedPacketInAnOuterHeaderFromDipToRip() {
        service(6, ForwardMethod.TUN, 80);
        int length = Frames.tcp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, 40000, VIP, 80, TcpFlyweight.SYN, 100, true);
        byte[] inner = rxBuf.asSlice(14, length - 14).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        int sent = forward(length);
        assertThat(sent).isEqualTo(length + 20);
        ParsedPacket p = new ParsedPacket();
        assertThat(new PacketParser(ChecksumPolicy.IPV4_HEADER).parse(txBuf, 0, sent, p))
                .isEqualTo(ParseResult.UNSUPPORTED_PROTOCOL); // IPIP: the parser stops at a valid outer header
        Ipv4Flyweight outer = p.ipv4();
        assertThat(outer.protocol()).isEqualTo(Ipv4Flyweight.PROTOCOL_IPIP);
        assertThat(outer.sourceAddress()).isEqualTo(DIP);
        assertThat(outer.destinationAddress()).isEqualTo(RIP);
        assertThat(outer.totalLength()).isEqualTo(length - 14 + 20);
        assertThat(outer.isHeaderChecksumValid()).isTrue();
        assertThat(outer.dontFragment()).isTrue();
        assertThat(txBuf.asSlice(34, length - 14).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).isEqualTo(inner);
        assertThat(p.ethernet().destination()).isEqualTo(RS_MAC);
    }

    @Test
    void tunnelPacketsThatNoLongerFitTheMtuAreDroppedAndCounted() {
        service(6, ForwardMethod.TUN, 80);
        int length = Frames.tcp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, 40000, VIP, 80, TcpFlyweight.SYN, 1460, true);
        assertThat(forward(length)).isEqualTo(PacketForwarder.DROP);
        assertThat(forwarder.dropped(DropReason.TOO_BIG)).isEqualTo(1);
    }

    @Test
    void fullNatRewritesBothEndsAndMapsTheReplyBack() {
        service(6, ForwardMethod.FULLNAT, 8080);
        ParsedPacket p = sent(forward(clientSyn()));
        assertThat(p.ipv4().sourceAddress()).isEqualTo(LIP);
        int lport = p.sourcePort();
        assertThat(lport).isBetween(LocalAddressPool.FIRST_PORT, LocalAddressPool.LAST_PORT);
        assertThat(p.ipv4().destinationAddress()).isEqualTo(RIP);
        assertThat(p.destinationPort()).isEqualTo(8080);

        int reply = Frames.tcp(rxBuf, RS_MAC, DIRECTOR_MAC, RIP, 8080, LIP, lport,
                TcpFlyweight.SYN | TcpFlyweight.ACK, 0, true);
        p = sent(forward(reply));
        assertThat(p.ipv4().sourceAddress()).isEqualTo(VIP);
        assertThat(p.sourcePort()).isEqualTo(80);
        assertThat(p.ipv4().destinationAddress()).isEqualTo(CIP);
        assertThat(p.destinationPort()).isEqualTo(40000);
        assertThat(p.ethernet().destination()).isEqualTo(ROUTER_MAC);
    }

    @Test
    void udpThroughNat() {
        service(17, ForwardMethod.NAT, 5353);
        int length = Frames.udp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, 5000, VIP, 80, 30);
        ParsedPacket p = sent(forward(length));
        assertThat(p.ipv4().destinationAddress()).isEqualTo(RIP);
        assertThat(p.destinationPort()).isEqualTo(5353);
    }

    /** A veth passes a local sender's partial checksum on; nobody after the director completes it. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(ForwardMethod.class)
    void aPartialChecksumFromAnOffloadingSenderIsCompletedInEveryMode(ForwardMethod method) {
        service(6, method, 8080);
        int length = Frames.tcp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, 40000, VIP, 80, TcpFlyweight.SYN, 50, true);
        Frames.makeTcpChecksumPartial(rxBuf, CIP, VIP, length - 34);
        int sent = forwarder.process(rxBuf, 0, length, true, txBuf, 0, 2048, 0);
        assertThat(sent).isPositive();
        if (method == ForwardMethod.TUN) {
            // the parser verifies the inner TCP checksum in full once the outer header is taken off
            MemorySegment inner = arena.allocate(2048);
            MemorySegment.copy(txBuf, 0, inner, 0, 14);
            MemorySegment.copy(txBuf, 34, inner, 14, sent - 34);
            assertThat(parser.parse(inner, 0, sent - 20, out)).isEqualTo(ParseResult.OK);
        } else {
            sent(sent); // the parser verifies the TCP checksum in full
        }
    }

    @Test
    void trafficThatIsNotOursIsPassedAndBadTrafficIsCounted() {
        service(6, ForwardMethod.NAT, 8080);
        // another port on the VIP: not a service
        assertThat(forward(Frames.tcp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, 40000, VIP, 22, TcpFlyweight.SYN, 0,
                true))).isEqualTo(PacketForwarder.PASS);
        // a non-SYN segment of no known connection
        assertThat(forward(Frames.tcp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, 40001, VIP, 80, TcpFlyweight.ACK, 0,
                true))).isEqualTo(PacketForwarder.DROP);
        assertThat(forwarder.dropped(DropReason.NOT_SYN)).isEqualTo(1);
        // a fragment for the VIP
        int length = clientSyn();
        new Ipv4Flyweight().wrap(rxBuf, 14).flagsAndFragmentOffset(Ipv4Flyweight.FLAG_MORE_FRAGMENTS)
                .updateHeaderChecksum();
        assertThat(forward(length)).isEqualTo(PacketForwarder.DROP);
        assertThat(forwarder.dropped(DropReason.FRAGMENT)).isEqualTo(1);
        // garbage: truncated, then a bad IPv4 header checksum
        assertThat(forward(10)).isEqualTo(PacketForwarder.DROP);
        length = clientSyn();
        rxBuf.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 14 + 10, (byte) 0x55);
        assertThat(forward(length)).isEqualTo(PacketForwarder.DROP);
        assertThat(forwarder.parseCounters().count(ParseResult.TRUNCATED_ETHERNET)).isEqualTo(1);
        assertThat(forwarder.parseCounters().count(ParseResult.BAD_IPV4_CHECKSUM)).isEqualTo(1);
    }

    @Test
    void anUnresolvedNeighbourDropsAndCounts() {
        VirtualService s = new VirtualService(services.nextId(), 6, VIP, 80, Schedulers.create("rr", List.of()));
        s.addRealServer(0x0A4D0063, 80, 1, ForwardMethod.DR); // no MAC known for 10.77.0.99
        services.add(s);
        assertThat(forward(clientSyn())).isEqualTo(PacketForwarder.DROP);
        assertThat(forwarder.dropped(DropReason.NO_NEIGHBOUR)).isEqualTo(1);
    }

    @Test
    void drainingKeepsExistingFlowsAndRefusesNewOnes() {
        VirtualService s = service(6, ForwardMethod.NAT, 8080);
        assertThat(forward(clientSyn())).isPositive();
        s.destinations().setWeight(0, 0);
        assertThat(forward(Frames.tcp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, 40000, VIP, 80, TcpFlyweight.ACK, 10,
                true))).as("established flow continues").isPositive();
        assertThat(forward(Frames.tcp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, 40002, VIP, 80, TcpFlyweight.SYN, 0,
                true))).isEqualTo(PacketForwarder.DROP);
        assertThat(forwarder.dropped(DropReason.NO_DESTINATION)).isEqualTo(1);
    }

    private int establishedAck(int clientPort, long now) {
        int length = Frames.tcp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, clientPort, VIP, 80, TcpFlyweight.ACK, 10, true);
        return forwarder.process(rxBuf, 0, length, false, txBuf, 0, (int) txBuf.byteSize(), now);
    }

    /**
     * IPVS's default (expire_nodest_conn = 0, which keepalived leaves alone): a removed real
     * server's connection is kept, its packets dropped and its timer not restarted, so it expires
     * by its state's timeout; adding the real server back before then lets the flow go on.
     */
    @Test
    void aRemovedRealServersConnectionsAreKeptUntilTheyExpireAndComeBackWithIt() {
        VirtualService s = service(6, ForwardMethod.NAT, 8080);
        assertThat(forward(clientSyn())).isPositive();
        int id = table.lookupIn(6, CIP, 40000, VIP, 80, 0);
        long expires = table.expiresAt(id);
        s.removeRealServer(0);
        assertThat(establishedAck(40000, 1_000_000_000L)).isEqualTo(PacketForwarder.DROP);
        assertThat(forwarder.dropped(DropReason.DESTINATION_REMOVED)).isEqualTo(1);
        assertThat(table.lookupIn(6, CIP, 40000, VIP, 80, 1_000_000_000L)).as("entry kept").isEqualTo(id);
        assertThat(table.expiresAt(id)).as("timer not restarted").isEqualTo(expires);
        assertThat(s.destinations().connections(0)).isEqualTo(1);

        assertThat(s.addRealServer(RIP, 8080, 1, ForwardMethod.NAT)).as("its slot back").isZero();
        assertThat(establishedAck(40000, 2_000_000_000L)).as("the flow goes on").isPositive();
        assertThat(table.expiresAt(id)).isGreaterThan(expires);

        s.removeRealServer(0);
        long end = table.expiresAt(id);
        assertThat(establishedAck(40000, 3_000_000_000L)).isEqualTo(PacketForwarder.DROP);
        assertThat(table.expire(end - 1, 4096)).isZero();
        assertThat(table.expire(end + 1, 4096)).as("expired by its own timeout").isEqualTo(1);
        assertThat(s.destinations().connections(0)).isZero();
    }

    /** expire_nodest_conn = 1: the connection goes at its next packet. */
    @Test
    void withExpireNodestConnARemovedRealServersConnectionGoesAtItsNextPacket() {
        forwarder.expireNodestConn(true);
        VirtualService s = service(6, ForwardMethod.NAT, 8080);
        assertThat(forward(clientSyn())).isPositive();
        s.removeRealServer(0);
        assertThat(establishedAck(40000, 0)).isEqualTo(PacketForwarder.DROP);
        assertThat(forwarder.dropped(DropReason.DESTINATION_REMOVED)).isEqualTo(1);
        assertThat(table.lookupIn(6, CIP, 40000, VIP, 80, 0)).isEqualTo(ConnectionTable.NONE);
        assertThat(s.destinations().connections(0)).isZero();
    }

    /** STYLE.md: nothing allocated per packet. Measured with the JVM's per-thread allocation counter. */
    @Test
    void anEstablishedFlowAllocatesNothingPerPacket() {
        service(6, ForwardMethod.NAT, 8080);
        forward(clientSyn());
        int length = Frames.tcp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, 40000, VIP, 80, TcpFlyweight.ACK, 100, true);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        for (int i = 0; i < 20_000; i++) {
            forwarder.process(rxBuf, 0, length, false, txBuf, 0, 2048, i);
        }
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 100_000; i++) {
            forwarder.process(rxBuf, 0, length, false, txBuf, 0, 2048, i);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertThat(allocated).as("bytes allocated over 100,000 packets").isLessThan(100_000);
    }
}
