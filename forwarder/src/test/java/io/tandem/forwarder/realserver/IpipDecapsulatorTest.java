package io.tandem.forwarder.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.packet.Ipv4Flyweight;
import io.tandem.core.packet.PseudoHeader;
import io.tandem.core.packet.TcpFlyweight;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real server's IPIP checks, on packets written out byte by byte as the raw socket delivers them. */
class IpipDecapsulatorTest {
    private static final int CIP = 0x0A4D010A; // 10.77.1.10
    private static final int DIP = 0x0A4D0002; // 10.77.0.2
    private static final int VIP = 0x0A4D0064; // 10.77.0.100
    private static final int RIP = 0x0A4D000B; // 10.77.0.11

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment buf = arena.allocate(2048);
    private final IpipDecapsulator any = new IpipDecapsulator(new int[] {VIP}, new int[0]);

    @AfterEach
    void close() {
        arena.close();
    }

    /**
     * The frame the director sends, without its Ethernet header: an outer IPv4
     * header DIP -> RIP, protocol 4, and the client's SYN to VIP:80 with 10 bytes of data.
     */
    private int packet(int outerSource, int innerDestination, int outerTos, int innerTos) {
        byte[] outer = HexFormat.of().parseHex(
                "45" // version 4, IHL 5
                + "00" // TOS, set below
                + "0046" // total length 70: 20 + the inner 50
                + "1234" // identification
                + "4000" // DF
                + "40" // TTL 64
                + "04" // protocol 4, IP in IP
                + "0000" // header checksum, computed below
                + "00000000" // source, set below
                + "0a4d000b"); // destination: RIP
        MemorySegment.copy(outer, 0, buf, ValueLayout.JAVA_BYTE, 0, outer.length);
        new Ipv4Flyweight().wrap(buf, 0).tos(outerTos).sourceAddress(outerSource).updateHeaderChecksum();
        new Ipv4Flyweight().wrap(buf, 20).versionAndIhl(5).tos(innerTos).totalLength(50).identification(7)
                .flagsAndFragmentOffset(Ipv4Flyweight.FLAG_DONT_FRAGMENT).ttl(63)
                .protocol(Ipv4Flyweight.PROTOCOL_TCP).sourceAddress(CIP).destinationAddress(innerDestination)
                .updateHeaderChecksum();
        TcpFlyweight tcp = new TcpFlyweight().wrap(buf, 40);
        tcp.sourcePort(40000).destinationPort(80).sequenceNumber(1).acknowledgmentNumber(0).dataOffset(5)
                .flags(TcpFlyweight.SYN).window(65535).checksum(0).urgentPointer(0);
        buf.asSlice(60, 10).fill((byte) 'x');
        tcp.updateChecksum(PseudoHeader.ipv4Sum(CIP, innerDestination, Ipv4Flyweight.PROTOCOL_TCP, 30), 30);
        return 70;
    }

    private int packet() {
        return packet(DIP, VIP, 0, 0);
    }

    @Test
    void theInnerPacketIsHandedOnUntouched() {
        int length = packet();
        byte[] inner = buf.asSlice(20, 50).toArray(ValueLayout.JAVA_BYTE);
        assertThat(any.decapsulate(buf, 0, length)).isEqualTo(50);
        assertThat(any.innerOffset()).isEqualTo(20);
        assertThat(buf.asSlice(20, 50).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(inner);
        assertThat(any.decapsulated()).isEqualTo(1);
        assertThat(any.decapsulatedBytes()).isEqualTo(50);
    }

    @Test
    void aBadOuterHeaderIsDropped() {
        packet();
        buf.set(ValueLayout.JAVA_BYTE, 8, (byte) 1); // TTL changed, checksum not
        assertThat(any.decapsulate(buf, 0, 70)).isEqualTo(IpipDecapsulator.DROP);
        packet();
        assertThat(any.decapsulate(buf, 0, 19)).as("shorter than a header").isEqualTo(IpipDecapsulator.DROP);
        packet();
        new Ipv4Flyweight().wrap(buf, 0).flagsAndFragmentOffset(Ipv4Flyweight.FLAG_MORE_FRAGMENTS)
                .updateHeaderChecksum();
        assertThat(any.decapsulate(buf, 0, 70)).as("a fragment").isEqualTo(IpipDecapsulator.DROP);
        assertThat(any.dropped(DecapsulationDrop.OUTER_MALFORMED)).isEqualTo(3);
    }

    @Test
    void onlyIpInIpFromAnAcceptedDirectorToAVipIsDelivered() {
        packet();
        new Ipv4Flyweight().wrap(buf, 0).protocol(Ipv4Flyweight.PROTOCOL_UDP).updateHeaderChecksum();
        assertThat(any.decapsulate(buf, 0, 70)).isEqualTo(IpipDecapsulator.DROP);
        assertThat(any.dropped(DecapsulationDrop.NOT_IPIP)).isEqualTo(1);

        assertThat(any.decapsulate(buf, 0, packet(DIP, 0x0A4D0065, 0, 0))).as("to 10.77.0.101, no VIP")
                .isEqualTo(IpipDecapsulator.DROP);
        assertThat(any.dropped(DecapsulationDrop.NOT_A_VIP)).isEqualTo(1);

        IpipDecapsulator onlyDirectors = new IpipDecapsulator(new int[] {VIP}, new int[] {DIP, 0x0A4D0003});
        assertThat(onlyDirectors.decapsulate(buf, 0, packet(0x0A4D0063, VIP, 0, 0))).as("from 10.77.0.99")
                .isEqualTo(IpipDecapsulator.DROP);
        assertThat(onlyDirectors.dropped(DecapsulationDrop.SOURCE_NOT_ALLOWED)).isEqualTo(1);
        assertThat(onlyDirectors.decapsulate(buf, 0, packet(0x0A4D0003, VIP, 0, 0))).as("from director-b")
                .isEqualTo(50);
    }

    @Test
    void aBadInnerPacketIsDropped() {
        int length = packet();
        buf.set(ValueLayout.JAVA_BYTE, 20, (byte) 0x60); // IPv6 inside protocol 4
        assertThat(any.decapsulate(buf, 0, length)).isEqualTo(IpipDecapsulator.DROP);
        assertThat(any.dropped(DecapsulationDrop.INNER_NOT_IPV4)).isEqualTo(1);

        packet();
        new Ipv4Flyweight().wrap(buf, 20).totalLength(51).updateHeaderChecksum(); // one byte more than carried
        assertThat(any.decapsulate(buf, 0, length)).isEqualTo(IpipDecapsulator.DROP);
        packet();
        buf.set(ValueLayout.JAVA_BYTE, 20 + 8, (byte) 1); // inner TTL changed, checksum not
        assertThat(any.decapsulate(buf, 0, length)).isEqualTo(IpipDecapsulator.DROP);
        assertThat(any.dropped(DecapsulationDrop.INNER_MALFORMED)).isEqualTo(2);
        assertThat(any.decapsulated()).isZero();
    }

    @Test
    void congestionExperiencedIsCopiedInwardAsRfc6040Says() {
        // outer CE, inner ECT(0): the inner packet leaves marked CE, its header checksum still right
        int length = packet(DIP, VIP, 0x03, 0x02);
        assertThat(any.decapsulate(buf, 0, length)).isEqualTo(50);
        Ipv4Flyweight inner = new Ipv4Flyweight().wrap(buf, 20);
        assertThat(inner.ecn()).isEqualTo(3);
        assertThat(inner.isHeaderChecksumValid()).isTrue();
        // outer CE, inner not ECN-capable: dropped
        assertThat(any.decapsulate(buf, 0, packet(DIP, VIP, 0x03, 0x00))).isEqualTo(IpipDecapsulator.DROP);
        assertThat(any.dropped(DecapsulationDrop.ECN_NOT_CAPABLE)).isEqualTo(1);
        // outer ECT(0) (copied by the director), inner ECT(0): unchanged
        assertThat(any.decapsulate(buf, 0, packet(DIP, VIP, 0x02, 0x02))).isEqualTo(50);
        assertThat(new Ipv4Flyweight().wrap(buf, 20).ecn()).isEqualTo(2);
    }

    @Test
    void anInnerFragmentIsTheLocalStacksToReassemble() {
        int length = packet();
        new Ipv4Flyweight().wrap(buf, 20).flagsAndFragmentOffset(Ipv4Flyweight.FLAG_MORE_FRAGMENTS)
                .updateHeaderChecksum();
        assertThat(any.decapsulate(buf, 0, length)).isEqualTo(50);
    }

    /** STYLE.md: nothing allocated per packet. */
    @Test
    void decapsulatingAllocatesNothing() {
        int length = packet();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        long before = 0;
        long delivered = 0;
        for (int round = 0; round < 2; round++) {
            before = threads.getThreadAllocatedBytes(thread);
            delivered = 0;
            for (int i = 0; i < 100_000; i++) {
                delivered += any.decapsulate(buf, 0, length) > 0 ? 1 : 0;
            }
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertThat(allocated).as("bytes allocated over 100,000 packets").isLessThan(100_000);
        assertThat(delivered).isEqualTo(100_000);
    }
}
