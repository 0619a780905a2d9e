package io.tandem.forwarder.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.core.packet.Ipv4Flyweight;
import io.tandem.core.packet.PseudoHeader;
import io.tandem.core.packet.TcpFlyweight;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * A 64 KiB-class TCP frame (what GRO or a veth neighbour's TSO hands an
 * AF_PACKET socket) cut into MTU-sized segments: each one a valid segment
 * whose payloads, put back together, are the original's.
 */
class TcpSegmenterTest {
    private static final long CLIENT_MAC = 0x02_00_00_00_00_0AL;
    private static final long DIRECTOR_MAC = 0x02_00_00_00_00_02L;
    private static final int CLIENT = 0x0A4D010A; // 10.77.1.10
    private static final int VIP = 0x0A4D0064; // 10.77.0.100
    private static final int MTU = 1500;
    private static final int PAYLOAD = 4000;

    private final Arena arena = Arena.ofAuto();
    private final MemorySegment frame = arena.allocate(70_000);
    private final MemorySegment out = arena.allocate(2048);

    @Test
    void cutsAnOversizeSegmentIntoValidSegmentsThatCarryThePayloadInOrder() {
        int length = Frames.tcp(frame, CLIENT_MAC, DIRECTOR_MAC, CLIENT, 40000, VIP, 80,
                TcpFlyweight.ACK | TcpFlyweight.PSH | TcpFlyweight.FIN | TcpFlyweight.CWR, PAYLOAD, true);
        for (int i = 0; i < PAYLOAD; i++) { // a payload whose every byte says where it was
            frame.set(ValueLayout.JAVA_BYTE, Frames.ETH + Frames.IP + 20 + i, (byte) (i * 7));
        }
        // the reserve keeps room for TUN's outer header: 1500 - 20 - 20 (IP) - 20 (TCP) = 1440 a segment
        TcpSegmenter segmenter = new TcpSegmenter(MTU, 20);

        int count = segmenter.begin(frame, 0, length);

        assertThat(count).isEqualTo(3);
        assertThat(segmenter.maxPayload()).isEqualTo(1440);
        int[] sizes = {1440, 1440, 1120};
        int carried = 0;
        for (int i = 0; i < count; i++) {
            int written = segmenter.write(i, out, 0, (int) out.byteSize());
            assertThat(written).as("segment %d", i).isEqualTo(Frames.ETH + Frames.IP + 20 + sizes[i]);
            Ipv4Flyweight ip = new Ipv4Flyweight().wrap(out, Frames.ETH);
            assertThat(ip.totalLength()).isEqualTo(Frames.IP + 20 + sizes[i]);
            assertThat(ip.totalLength() + 20).as("fits the MTU with TUN's outer header").isLessThanOrEqualTo(MTU);
            assertThat(ip.identification()).isEqualTo(7 + i);
            assertThat(ip.dontFragment()).isTrue();
            assertThat(ip.isHeaderChecksumValid()).isTrue();
            assertThat(ip.sourceAddress()).isEqualTo(CLIENT);
            assertThat(ip.destinationAddress()).isEqualTo(VIP);
            TcpFlyweight tcp = new TcpFlyweight().wrap(out, Frames.ETH + Frames.IP);
            assertThat(tcp.sequenceNumber()).isEqualTo(1000 + carried);
            assertThat(tcp.sourcePort()).isEqualTo(40000);
            assertThat(tcp.isChecksumValid(PseudoHeader.ipv4Sum(CLIENT, VIP, Ipv4Flyweight.PROTOCOL_TCP,
                    20 + sizes[i]), 20 + sizes[i])).as("TCP checksum of segment %d", i).isTrue();
            int flags = tcp.flags();
            assertThat(flags & TcpFlyweight.ACK).isNotZero();
            assertThat((flags & TcpFlyweight.CWR) != 0).as("CWR on the first only").isEqualTo(i == 0);
            assertThat((flags & TcpFlyweight.FIN) != 0).as("FIN on the last only").isEqualTo(i == count - 1);
            assertThat((flags & TcpFlyweight.PSH) != 0).as("PSH on the last only").isEqualTo(i == count - 1);
            for (int b = 0; b < sizes[i]; b++) {
                assertThat(out.get(ValueLayout.JAVA_BYTE, Frames.ETH + Frames.IP + 20 + b))
                        .isEqualTo((byte) ((carried + b) * 7));
            }
            carried += sizes[i];
        }
        assertThat(carried).isEqualTo(PAYLOAD);
    }

    @Test
    void keepsTcpOptionsInEverySegment() {
        int length = Frames.tcp(frame, CLIENT_MAC, DIRECTOR_MAC, CLIENT, 40000, VIP, 80, TcpFlyweight.ACK, 3000, true);
        // 12 bytes of options (NOP, NOP, timestamps) moved in front of the payload
        MemorySegment.copy(frame, Frames.ETH + Frames.IP + 20, frame, Frames.ETH + Frames.IP + 32, 3000);
        byte[] options = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2};
        MemorySegment.copy(MemorySegment.ofArray(options), 0, frame, Frames.ETH + Frames.IP + 20, 12);
        new Ipv4Flyweight().wrap(frame, Frames.ETH).totalLength(Frames.IP + 32 + 3000).updateHeaderChecksum();
        new TcpFlyweight().wrap(frame, Frames.ETH + Frames.IP).dataOffset(8);
        TcpSegmenter segmenter = new TcpSegmenter(MTU, 0);

        int count = segmenter.begin(frame, 0, length + 12);

        assertThat(count).isEqualTo(3); // 1448 + 1448 + 104
        assertThat(segmenter.maxPayload()).isEqualTo(1448);
        int last = segmenter.write(2, out, 0, (int) out.byteSize());
        assertThat(last).isEqualTo(Frames.ETH + Frames.IP + 32 + 104);
        TcpFlyweight tcp = new TcpFlyweight().wrap(out, Frames.ETH + Frames.IP);
        assertThat(tcp.headerLength()).isEqualTo(32);
        assertThat(tcp.findOption(TcpFlyweight.OPTION_TIMESTAMPS)).isNotNegative();
        assertThat(tcp.isChecksumValid(PseudoHeader.ipv4Sum(CLIENT, VIP, Ipv4Flyweight.PROTOCOL_TCP, 32 + 104),
                32 + 104)).isTrue();
    }

    @Test
    void leavesAloneWhatItMustNotCut() {
        TcpSegmenter segmenter = new TcpSegmenter(MTU, 0);

        int small = Frames.tcp(frame, CLIENT_MAC, DIRECTOR_MAC, CLIENT, 40000, VIP, 80, TcpFlyweight.ACK, 1400, true);
        assertThat(segmenter.begin(frame, 0, small)).as("already fits").isZero();

        int syn = Frames.tcp(frame, CLIENT_MAC, DIRECTOR_MAC, CLIENT, 40000, VIP, 80, TcpFlyweight.SYN, 3000, true);
        assertThat(segmenter.begin(frame, 0, syn)).as("SYN").isZero();

        int rst = Frames.tcp(frame, CLIENT_MAC, DIRECTOR_MAC, CLIENT, 40000, VIP, 80,
                TcpFlyweight.RST | TcpFlyweight.ACK, 3000, true);
        assertThat(segmenter.begin(frame, 0, rst)).as("RST").isZero();

        int udp = Frames.udp(frame, CLIENT_MAC, DIRECTOR_MAC, CLIENT, 40000, VIP, 53, 3000);
        assertThat(segmenter.begin(frame, 0, udp)).as("UDP").isZero();

        int truncated = Frames.tcp(frame, CLIENT_MAC, DIRECTOR_MAC, CLIENT, 40000, VIP, 80, TcpFlyweight.ACK, 3000,
                true);
        assertThat(segmenter.begin(frame, 0, truncated - 100)).as("IP length beyond the frame").isZero();
        assertThatThrownBy(() -> segmenter.write(0, out, 0, 2048)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void refusesAnMtuWithNoRoomForASegment() {
        assertThatThrownBy(() -> new TcpSegmenter(120, 20))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid mtu 120");
    }
}
