package io.tandem.forwarder.path;

import static io.tandem.forwarder.path.LabNetwork.CIP;
import static io.tandem.forwarder.path.LabNetwork.DIRECTOR_MAC;
import static io.tandem.forwarder.path.LabNetwork.LIP;
import static io.tandem.forwarder.path.LabNetwork.RIP;
import static io.tandem.forwarder.path.LabNetwork.ROUTER_MAC;
import static io.tandem.forwarder.path.LabNetwork.RS_MAC;
import static io.tandem.forwarder.path.LabNetwork.VIP;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.packet.ChecksumPolicy;
import io.tandem.core.packet.Ipv4Flyweight;
import io.tandem.core.packet.PacketParser;
import io.tandem.core.packet.ParseResult;
import io.tandem.core.packet.ParsedPacket;
import io.tandem.core.packet.PseudoHeader;
import io.tandem.core.packet.TcpFlyweight;
import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.service.VirtualService;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * TOA (TCP option 254): FULLNAT gives the client's address and port to the
 * real server in the handshake, as Alibaba's LVS and DPVS do.
 */
class TcpOptionAddressTest extends ForwarderFixture {
    private static final int CLIENT_PORT = 40000;
    /** A Linux SYN's options: MSS 1460, SACK permitted, timestamps, NOP, window scale 7. */
    private static final byte[] SYN_OPTIONS = {2, 4, 0x05, (byte) 0xB4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3,
            7};
    private static final int TCP_AT = Frames.ETH + Frames.IP;

    private final PacketParser parser = new PacketParser(ChecksumPolicy.ALL);
    private final ParsedPacket out = new ParsedPacket();

    /** A segment from the client with {@code options} (a multiple of 4 bytes) and {@code payload} bytes. */
    private int fromClient(int flags, byte[] options, int payload) {
        int length = Frames.tcp(rxBuf, ROUTER_MAC, DIRECTOR_MAC, CIP, CLIENT_PORT, VIP, 80, flags,
                options.length + payload, true);
        MemorySegment.copy(MemorySegment.ofArray(options), 0, rxBuf, TCP_AT + 20, options.length);
        TcpFlyweight tcp = new TcpFlyweight().wrap(rxBuf, TCP_AT);
        tcp.dataOffset(5 + options.length / 4).checksum(0);
        int l4 = length - TCP_AT;
        tcp.updateChecksum(PseudoHeader.ipv4Sum(CIP, VIP, Ipv4Flyweight.PROTOCOL_TCP, l4), l4);
        return length;
    }

    private VirtualService fullNat(boolean toa) {
        VirtualService s = service(6, ForwardMethod.FULLNAT, 8080);
        s.setToa(toa);
        return s;
    }

    /** Parses what was sent, every checksum verified. */
    private ParsedPacket sent(int length) {
        assertThat(length).isPositive();
        assertThat(parser.parse(txBuf, 0, length, out)).isEqualTo(ParseResult.OK);
        return out;
    }

    private byte[] sentTcpBytes(int from, int count) {
        return txBuf.asSlice(TCP_AT + from, count).toArray(ValueLayout.JAVA_BYTE);
    }

    private static byte[] toa(int address, int port) {
        return new byte[] {(byte) 254, 8, (byte) (port >>> 8), (byte) port, (byte) (address >>> 24),
                (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
    }

    /** The server's SYN-ACK to the local address and port the client's SYN was given. */
    private void synAckFromTheRealServer(int localPort) {
        int length = Frames.tcp(rxBuf, RS_MAC, DIRECTOR_MAC, RIP, 8080, LIP, localPort,
                TcpFlyweight.SYN | TcpFlyweight.ACK, 0, true);
        assertThat(forward(length)).isPositive();
    }

    @Test
    void theSynCarriesTheClientsAddressRightAfterTheFixedHeader() {
        fullNat(true);
        int length = fromClient(TcpFlyweight.SYN, SYN_OPTIONS, 0);
        ParsedPacket p = sent(forward(length));

        assertThat(p.ipv4().sourceAddress()).isEqualTo(LIP);
        assertThat(p.ipv4().destinationAddress()).isEqualTo(RIP);
        assertThat(p.destinationPort()).isEqualTo(8080);
        assertThat(p.ipv4().totalLength()).isEqualTo(length - Frames.ETH + TcpOptionAddress.LENGTH);
        assertThat(p.tcp().headerLength()).isEqualTo(20 + SYN_OPTIONS.length + TcpOptionAddress.LENGTH);
        assertThat(p.tcp().flags()).isEqualTo(TcpFlyweight.SYN);
        assertThat(sentTcpBytes(20, 8)).isEqualTo(toa(CIP, CLIENT_PORT));
        assertThat(sentTcpBytes(28, SYN_OPTIONS.length)).as("the client's own options, after it")
                .isEqualTo(SYN_OPTIONS);
        assertThat(forwarder.toaAdded()).isEqualTo(1);
    }

    @Test
    void theAckThatCompletesTheHandshakeCarriesItAndLaterSegmentsDoNot() {
        fullNat(true);
        ParsedPacket p = sent(forward(fromClient(TcpFlyweight.SYN, SYN_OPTIONS, 0)));
        int localPort = p.sourcePort();
        synAckFromTheRealServer(localPort);

        int ack = fromClient(TcpFlyweight.ACK, new byte[0], 0);
        p = sent(forward(ack));
        assertThat(p.tcp().headerLength()).isEqualTo(28);
        assertThat(sentTcpBytes(20, 8)).isEqualTo(toa(CIP, CLIENT_PORT));
        assertThat(p.sourcePort()).isEqualTo(localPort);

        int data = fromClient(TcpFlyweight.ACK | 0x08, new byte[0], 100);
        assertThat(forward(data)).as("established: the segment as it came").isEqualTo(data);
        assertThat(sent(data).tcp().headerLength()).isEqualTo(20);
        assertThat(forwarder.toaAdded()).isEqualTo(2);
        assertThat(forwarder.toaNoRoom()).isZero();
    }

    @Test
    void etherPaddingAfterAShortAckIsNotCarriedIntoTheTcpSegment() {
        fullNat(true);
        synAckFromTheRealServer(sent(forward(fromClient(TcpFlyweight.SYN, SYN_OPTIONS, 0))).sourcePort());
        int ack = fromClient(TcpFlyweight.ACK, new byte[0], 0); // 54 bytes: a wire pads it to 60
        rxBuf.asSlice(ack, 6).fill((byte) 0xEE);
        int length = forward(ack + 6);
        assertThat(length).isEqualTo(ack + TcpOptionAddress.LENGTH);
        assertThat(sent(length).transportLength()).isEqualTo(28);
    }

    @Test
    void aSegmentWithoutRoomGoesOnWithoutTheOptionAndIsCounted() {
        fullNat(true);
        byte[] full = new byte[40]; // a 60-byte TCP header: nothing more fits
        System.arraycopy(SYN_OPTIONS, 0, full, 0, SYN_OPTIONS.length);
        java.util.Arrays.fill(full, SYN_OPTIONS.length, full.length, (byte) 1); // NOPs
        int length = fromClient(TcpFlyweight.SYN, full, 0);
        ParsedPacket p = sent(forward(length));
        assertThat(p.tcp().headerLength()).isEqualTo(60);
        assertThat(sentTcpBytes(20, 40)).isEqualTo(full);

        synAckFromTheRealServer(p.sourcePort());
        int fullSizeAck = fromClient(TcpFlyweight.ACK, new byte[0], 1460); // 1500 bytes: the MTU
        assertThat(forward(fullSizeAck)).isEqualTo(fullSizeAck);
        assertThat(forwarder.toaNoRoom()).isEqualTo(2);
        assertThat(forwarder.toaAdded()).isZero();
    }

    @Test
    void withoutToaNothingIsInserted() {
        fullNat(false);
        int length = fromClient(TcpFlyweight.SYN, SYN_OPTIONS, 0);
        assertThat(forward(length)).isEqualTo(length);
        assertThat(sent(length).tcp().headerLength()).isEqualTo(40);
        assertThat(forwarder.toaAdded() + forwarder.toaNoRoom()).isZero();
    }

    @Test
    void outsideFullNatNothingIsInserted() {
        service(6, ForwardMethod.NAT, 8080).setToa(true);
        int length = fromClient(TcpFlyweight.SYN, SYN_OPTIONS, 0);
        assertThat(forward(length)).isEqualTo(length);
        assertThat(sent(length).tcp().headerLength()).isEqualTo(40);
        assertThat(forwarder.toaAdded() + forwarder.toaNoRoom()).isZero();
    }
}
