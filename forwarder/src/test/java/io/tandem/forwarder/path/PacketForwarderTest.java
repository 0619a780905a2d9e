package io.tandem.forwarder.path;

import static io.tandem.forwarder.path.LabNetwork.CIP;
import static io.tandem.forwarder.path.LabNetwork.DIP;
import static io.tandem.forwarder.path.LabNetwork.DIRECTOR_MAC;
import static io.tandem.forwarder.path.LabNetwork.LIP;
import static io.tandem.forwarder.path.LabNetwork.RIP;
import static io.tandem.forwarder.path.LabNetwork.RIP2;
import static io.tandem.forwarder.path.LabNetwork.ROUTER_MAC;
import static io.tandem.forwarder.path.LabNetwork.RS_MAC;
import static io.tandem.forwarder.path.LabNetwork.VIP;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.packet.ChecksumPolicy;
import io.tandem.core.packet.Ipv4Flyweight;
import io.tandem.core.packet.PacketParser;
import io.tandem.core.packet.ParseResult;
import io.tandem.core.packet.ParsedPacket;
import io.tandem.core.packet.TcpFlyweight;
import io.tandem.forwarder.conn.ConnectionTable;
import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.sched.Schedulers;
import io.tandem.forwarder.service.LocalAddressPool;
import io.tandem.forwarder.service.TrafficStats;
import io.tandem.forwarder.service.VirtualService;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The four modes packet by packet, as the seeds describe them, on frames built byte-exact. */
class PacketForwarderTest extends ForwarderFixture {
    private final ParsedPacket out = new ParsedPacket();
    private final PacketParser parser = new PacketParser(ChecksumPolicy.ALL);

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

    private int syn(int clientPort, long now) {
        int length = Frames.tcp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, clientPort, VIP, 80, TcpFlyweight.SYN, 0, true);
        return forwarder.process(rxBuf, 0, length, false, txBuf, 0, (int) txBuf.byteSize(), now);
    }

    private VirtualService twoRealServers() {
        VirtualService s = service(6, ForwardMethod.NAT, 8080);
        s.addRealServer(RIP2, 8080, 1, ForwardMethod.NAT);
        return s;
    }

    /**
     * conn_reuse_mode: a client that reuses the ports of a connection the real server reset
     * (CLOSE) gets a new connection, scheduled afresh; a retransmitted SYN of a live attempt
     * stays where it went.
     */
    @Test
    void aSynOnThePortsOfAFinishedConnectionIsScheduledAfresh() {
        twoRealServers();
        assertThat(sent(syn(40000, 0)).ipv4().destinationAddress()).isEqualTo(RIP);
        assertThat(sent(syn(40000, 1_000_000L)).ipv4().destinationAddress()).as("retransmission").isEqualTo(RIP);
        assertThat(forwarder.rescheduled()).isZero();
        int reset = Frames.tcp(rxBuf, LabNetwork.RS_MAC, DIRECTOR_MAC, RIP, 8080, CIP, 40000,
                TcpFlyweight.RST | TcpFlyweight.ACK, 0, true);
        assertThat(forward(reset)).isPositive();
        int old = table.lookupIn(6, CIP, 40000, VIP, 80, 2_000_000L);
        assertThat(table.state(old)).isEqualTo(io.tandem.forwarder.conn.TcpState.CLOSE);

        assertThat(sent(syn(40000, 3_000_000L)).ipv4().destinationAddress()).isEqualTo(RIP2);
        assertThat(forwarder.rescheduled()).isEqualTo(1);
        assertThat(table.size()).isEqualTo(1);
        assertThat(table.destAddr(table.lookupIn(6, CIP, 40000, VIP, 80, 3_000_000L))).isEqualTo(RIP2);
    }

    /**
     * The drill's case: the real server died and was drained while its connection entries
     * remain (expire_nodest_conn off); a client reusing one of their ports reaches the live
     * server instead of being dropped until the stale entry expires. Segments other than a
     * SYN are still dropped.
     */
    @Test
    void aSynOnThePortsOfARemovedRealServersConnectionReachesALiveOne() {
        VirtualService s = twoRealServers();
        assertThat(sent(syn(40000, 0)).ipv4().destinationAddress()).isEqualTo(RIP);
        assertThat(establishedAck(40000, 1_000_000L)).isPositive();
        s.removeRealServer(0);
        assertThat(establishedAck(40000, 2_000_000L)).isEqualTo(PacketForwarder.DROP);
        assertThat(forwarder.dropped(DropReason.DESTINATION_REMOVED)).isEqualTo(1);

        assertThat(sent(syn(40000, 3_000_000L)).ipv4().destinationAddress()).isEqualTo(RIP2);
        assertThat(forwarder.rescheduled()).isEqualTo(1);
        assertThat(s.destinations().connections(0)).as("the stale entry is gone").isZero();
        assertThat(s.destinations().connections(1)).isEqualTo(1);
    }

    /**
     * A quiesced real server (weight 0) keeps its established connections, a SYN on their
     * ports included, unless expire_nodest_conn is on, as in IPVS.
     */
    @Test
    void aSynOnThePortsOfAQuiescedServersConnectionMovesOnlyWithExpireNodestConn() {
        VirtualService s = twoRealServers();
        assertThat(sent(syn(40000, 0)).ipv4().destinationAddress()).isEqualTo(RIP);
        assertThat(establishedAck(40000, 1_000_000L)).isPositive();
        s.destinations().setWeight(0, 0);
        assertThat(sent(syn(40000, 2_000_000L)).ipv4().destinationAddress()).isEqualTo(RIP);
        assertThat(forwarder.rescheduled()).isZero();

        forwarder.expireNodestConn(true);
        assertThat(sent(syn(40000, 3_000_000L)).ipv4().destinationAddress()).isEqualTo(RIP2);
        assertThat(forwarder.rescheduled()).isEqualTo(1);
    }

    private final MemorySegment bigRx = java.lang.foreign.Arena.ofAuto().allocate(70_000);
    private final MemorySegment bigTx = java.lang.foreign.Arena.ofAuto().allocate(70_000);

    private int superFrame(int payload) {
        int length = Frames.tcp(bigRx, ROUTER_MAC, DIRECTOR_MAC, CIP, 40000, VIP, 80, TcpFlyweight.ACK, payload, true);
        for (int i = 0; i < payload; i++) {
            bigRx.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 54 + i, (byte) (i * 7));
        }
        return length;
    }

    private int processBig(int length, int flags) {
        return forwarder.process(bigRx, 0, length, flags, bigTx, 0, (int) bigTx.byteSize(), 1);
    }

    /**
     * A GSO super-frame (over the MTU) through NAT with KEEP_PARTIAL: rewritten once, its checksum
     * left as the pseudo-header sum of the new addresses; completed as the kernel completes it
     * (sum from the TCP header to the end, stored in place) it is the right checksum.
     */
    @Test
    void aSuperFrameLeavesWholeWithAPartialChecksumTheKernelCompletes() {
        service(6, ForwardMethod.NAT, 8080);
        assertThat(forward(clientSyn())).isPositive();
        int length = superFrame(6000);
        int out = processBig(length,
                PacketForwarder.PARTIAL_CHECKSUM | PacketForwarder.KEEP_PARTIAL | PacketForwarder.SUPER_FRAME);
        assertThat(out).isEqualTo(length);
        assertThat(forwarder.leftPartial()).isTrue();
        int completed = io.tandem.core.packet.InternetChecksum.checksum(bigTx, 34, length - 34);
        new TcpFlyweight().wrap(bigTx, 34).checksum(completed);
        ParsedPacket p = new ParsedPacket();
        assertThat(parser.parse(bigTx, 0, out, p)).as("every checksum verified").isEqualTo(ParseResult.OK);
        assertThat(p.ipv4().destinationAddress()).isEqualTo(RIP);
        assertThat(p.destinationPort()).isEqualTo(8080);

        assertThat(processBig(superFrame(100), PacketForwarder.PARTIAL_CHECKSUM)).isPositive();
        assertThat(forwarder.leftPartial()).as("completed here without KEEP_PARTIAL").isFalse();
        assertThat(parser.parse(bigTx, 0, 154, p)).isEqualTo(ParseResult.OK);
    }

    /** TUN's IPIP packets cannot be segmented by the kernel: a super-frame must be cut first, before any state changes. */
    @Test
    void aTunnelledSuperFrameIsSentBackToBeCutFirst() {
        VirtualService s = service(6, ForwardMethod.TUN, 80);
        assertThat(forward(clientSyn())).isPositive();
        long packets = s.stats().get(0, TrafficStats.IN_PACKETS);
        assertThat(processBig(superFrame(6000),
                PacketForwarder.PARTIAL_CHECKSUM | PacketForwarder.KEEP_PARTIAL | PacketForwarder.SUPER_FRAME))
                .isEqualTo(PacketForwarder.SEGMENT_FIRST);
        assertThat(s.stats().get(0, TrafficStats.IN_PACKETS)).isEqualTo(packets);
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
