package io.tandem.forwarder.path;

import static io.tandem.forwarder.path.LabNetwork.DIRECTOR_MAC;
import static io.tandem.forwarder.path.LabNetwork.LIP;
import static io.tandem.forwarder.path.LabNetwork.RIP;
import static io.tandem.forwarder.path.LabNetwork.ROUTER_MAC;
import static io.tandem.forwarder.path.LabNetwork.RS_MAC;
import static io.tandem.forwarder.path.LabNetwork.VIP;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.packet.ChecksumPolicy;
import io.tandem.core.packet.EthernetFlyweight;
import io.tandem.core.packet.Ipv4Flyweight;
import io.tandem.core.packet.PacketParser;
import io.tandem.core.packet.ParseResult;
import io.tandem.core.packet.ParsedPacket;
import io.tandem.core.packet.PseudoHeader;
import io.tandem.core.packet.TcpFlyweight;
import io.tandem.core.packet.UdpFlyweight;
import io.tandem.forwarder.conn.ForwardMethod;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Property: what NAT and FULLNAT rewrite, in both directions, leaves the IPv4 header checksum and
 * the TCP or UDP checksum exactly as a full recomputation of the sent frame gives them (RFC 1624
 * eqn. 3, one fold per checksum over every changed field), and a UDP checksum of 0 ("none",
 * RFC 768) stays 0. Random clients, ports, payloads and header fields from a fixed seed.
 */
class RewriteChecksumsTest extends ForwarderFixture {
    private static final long SEED = 0x1624_F00DL;
    private static final int ROUNDS = 400;

    private final PacketParser parser = new PacketParser(ChecksumPolicy.NONE);
    private final ParsedPacket sent = new ParsedPacket();
    private final Random random = new Random(SEED);

    @ParameterizedTest
    @CsvSource({"NAT, 6", "NAT, 17", "FULLNAT, 6", "FULLNAT, 17"})
    void bothDirectionsMatchAFullRecomputation(ForwardMethod method, int protocol) {
        int rport = 1 + random.nextInt(0xFFFF);
        service(protocol, method, rport);
        boolean tcp = protocol == Ipv4Flyweight.PROTOCOL_TCP;
        for (int round = 0; round < ROUNDS; round++) {
            int client = clientAddress();
            int cport = 1 + random.nextInt(0xFFFF);
            boolean noChecksum = !tcp && random.nextInt(4) == 0;
            String what = method + " " + (tcp ? "TCP" : noChecksum ? "UDP without checksum" : "UDP") + " round " + round;

            // client -> real server: NAT dst := RIP:rport; FULLNAT also src := LIP:lport
            int length = frame(ROUTER_MAC, client, cport, VIP, 80, protocol, TcpFlyweight.SYN, noChecksum);
            ParsedPacket p = sendAndCheck(length, protocol, noChecksum, what + " request");
            int lip = method == ForwardMethod.FULLNAT ? LIP : client;
            int lport = method == ForwardMethod.FULLNAT ? p.sourcePort() : cport;
            assertThat(p.ipv4().sourceAddress()).as(what).isEqualTo(lip);
            assertThat(p.sourcePort()).as(what).isEqualTo(lport);
            assertThat(p.ipv4().destinationAddress()).as(what).isEqualTo(RIP);
            assertThat(p.destinationPort()).as(what).isEqualTo(rport);

            // real server -> client: src := VIP:80; FULLNAT also dst := CIP:cport
            length = frame(RS_MAC, RIP, rport, lip, lport, protocol, TcpFlyweight.SYN | TcpFlyweight.ACK, noChecksum);
            p = sendAndCheck(length, protocol, noChecksum, what + " reply");
            assertThat(p.ipv4().sourceAddress()).as(what).isEqualTo(VIP);
            assertThat(p.sourcePort()).as(what).isEqualTo(80);
            assertThat(p.ipv4().destinationAddress()).as(what).isEqualTo(client);
            assertThat(p.destinationPort()).as(what).isEqualTo(cport);

            // and an established flow's data, the benchmark's path
            length = frame(ROUTER_MAC, client, cport, VIP, 80, protocol, TcpFlyweight.ACK, noChecksum);
            sendAndCheck(length, protocol, noChecksum, what + " data");
        }
    }

    private ParsedPacket sendAndCheck(int length, int protocol, boolean noChecksum, String what) {
        int out = forward(length);
        assertThat(out).as(what).isEqualTo(length);
        assertThat(parser.parse(txBuf, 0, out, sent)).as(what).isEqualTo(ParseResult.OK);
        Ipv4Flyweight ip = sent.ipv4();
        assertThat(ip.headerChecksum()).as(what + ": IPv4 header checksum").isEqualTo(ip.computeHeaderChecksum());
        long pseudo = sent.pseudoHeaderSum();
        int transportLength = sent.transportLength();
        if (protocol == Ipv4Flyweight.PROTOCOL_TCP) {
            assertThat(sent.tcp().checksum()).as(what + ": TCP checksum")
                    .isEqualTo(sent.tcp().computeChecksum(pseudo, transportLength));
        } else if (noChecksum) {
            assertThat(sent.udp().checksum()).as(what + ": UDP checksum").isEqualTo(UdpFlyweight.NO_CHECKSUM);
        } else {
            assertThat(sent.udp().checksum()).as(what + ": UDP checksum")
                    .isEqualTo(sent.udp().computeChecksum(pseudo, transportLength));
        }
        return sent;
    }

    /** A client outside the lab's 10.77.0.0/24, so that its replies go through the router. */
    private int clientAddress() {
        int address = random.nextInt();
        return (address & 0xFFFFFF00) == 0x0A4D0000 ? address ^ 0x0100_0000 : address;
    }

    /** A frame with random IP identification, TTL, TCP sequence numbers and payload, every checksum in full. */
    private int frame(long srcMac, int src, int sport, int dst, int dport, int protocol, int tcpFlags,
            boolean noChecksum) {
        boolean tcp = protocol == Ipv4Flyweight.PROTOCOL_TCP;
        int payload = random.nextInt(1400);
        int header = tcp ? TcpFlyweight.MIN_HEADER_LENGTH : UdpFlyweight.HEADER_LENGTH;
        int l4 = header + payload;
        int l3 = EthernetFlyweight.HEADER_LENGTH;
        int l4Offset = l3 + Ipv4Flyweight.MIN_HEADER_LENGTH;
        byte[] bytes = new byte[payload];
        random.nextBytes(bytes);
        txBuf.fill((byte) 0);
        new EthernetFlyweight().wrap(rxBuf, 0, EthernetFlyweight.HEADER_LENGTH).destination(DIRECTOR_MAC)
                .source(srcMac).etherType(EthernetFlyweight.ETHERTYPE_IPV4);
        new Ipv4Flyweight().wrap(rxBuf, l3).versionAndIhl(Ipv4Flyweight.MIN_IHL).tos(random.nextInt(256))
                .totalLength(Ipv4Flyweight.MIN_HEADER_LENGTH + l4).identification(random.nextInt(0x10000))
                .flagsAndFragmentOffset(random.nextBoolean() ? Ipv4Flyweight.FLAG_DONT_FRAGMENT : 0)
                .ttl(1 + random.nextInt(255)).protocol(protocol).sourceAddress(src).destinationAddress(dst)
                .updateHeaderChecksum();
        java.lang.foreign.MemorySegment.copy(bytes, 0, rxBuf, java.lang.foreign.ValueLayout.JAVA_BYTE,
                l4Offset + header, payload);
        long pseudo = PseudoHeader.ipv4Sum(src, dst, protocol, l4);
        if (tcp) {
            new TcpFlyweight().wrap(rxBuf, l4Offset).sourcePort(sport).destinationPort(dport)
                    .sequenceNumber(random.nextInt()).acknowledgmentNumber(random.nextInt())
                    .dataOffset(TcpFlyweight.MIN_DATA_OFFSET).flags(tcpFlags).window(random.nextInt(0x10000))
                    .urgentPointer(0).updateChecksum(pseudo, l4);
        } else {
            UdpFlyweight udp = new UdpFlyweight().wrap(rxBuf, l4Offset).sourcePort(sport).destinationPort(dport)
                    .length(l4);
            if (noChecksum) {
                udp.checksum(UdpFlyweight.NO_CHECKSUM);
            } else {
                udp.updateChecksum(pseudo, l4);
            }
        }
        return l4Offset + l4;
    }
}
