package io.tandem.core.afpacket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The receive ring's cursor and frame view over hand-made TPACKET_V2 frames, standing in for the kernel. */
class PacketRxRingTest {
    private static final int FRAME_SIZE = 256;
    private static final int MAC = 66;   // TPACKET_ALIGN(TPACKET2_HDRLEN + 16) - 14, as the kernel puts it for SOCK_RAW

    private final RingGeometry geometry = RingGeometry.of(FRAME_SIZE, 4, 1024);
    private Arena arena;
    private MemorySegment memory;
    private PacketRxRing ring;

    @BeforeEach
    void setUp() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "frames below are written little-endian");
        arena = Arena.ofConfined();
        memory = arena.allocate(geometry.byteSize(), 16);
        ring = new PacketRxRing(memory, geometry, null);
    }

    @AfterEach
    void tearDown() {
        if (arena != null) {
            arena.close();
        }
    }

    /** Writes frame {@code slot} as the kernel would: a header, a sockaddr_ll, then the frame at {@code mac}. */
    private void kernelWrites(int slot, int status, int len, int snaplen, int mac, int vlanTci, byte... frame) {
        long f = geometry.frameOffset(slot);
        putLe32(f + 4, len);                                // tp_len
        putLe32(f + 8, snaplen);                            // tp_snaplen
        putLe16(f + 12, mac);                               // tp_mac
        putLe16(f + 14, mac + 14);                          // tp_net
        putLe32(f + 16, 1_700_000_000);                     // tp_sec
        putLe32(f + 20, 123_456_789);                       // tp_nsec
        putLe16(f + 24, vlanTci);                           // tp_vlan_tci
        putLe16(f + 26, 0x88A8);                            // tp_vlan_tpid
        putLe16(f + 32, 17);                                // sll_family AF_PACKET
        memory.set(ValueLayout.JAVA_BYTE, f + 32 + 10, (byte) AfPacket.PACKET_OTHERHOST); // sll_pkttype
        MemorySegment.copy(frame, 0, memory, ValueLayout.JAVA_BYTE, f + mac, frame.length);
        putLe32(f, status);                                 // tp_status last: hands the frame over
    }

    private void putLe32(long offset, int value) {
        for (int i = 0; i < 4; i++) {
            memory.set(ValueLayout.JAVA_BYTE, offset + i, (byte) (value >>> (8 * i)));
        }
    }

    private void putLe16(long offset, int value) {
        memory.set(ValueLayout.JAVA_BYTE, offset, (byte) value);
        memory.set(ValueLayout.JAVA_BYTE, offset + 1, (byte) (value >>> 8));
    }

    private int statusOf(int slot) {
        return memory.get(ValueLayout.JAVA_INT, geometry.frameOffset(slot));
    }

    private static byte[] ethernet(int marker) {
        byte[] frame = new byte[60];
        for (int i = 0; i < 6; i++) {
            frame[i] = (byte) 0xFF;                          // destination: broadcast
            frame[6 + i] = (byte) (0x02 + i);                // source 02:03:04:05:06:07
        }
        frame[12] = (byte) 0x88;                             // ethertype 0x88b5
        frame[13] = (byte) 0xB5;
        frame[14] = (byte) marker;                           // payload
        return frame;
    }

    /** PACKET_VNET_HDR: the virtio-net header sits just before the frame; without it the frame reads as plain. */
    @Test
    void theVirtioNetHeaderBeforeAFrameDescribesIt() {
        PacketRxRing vnetRing = new PacketRxRing(memory, geometry, null, true);
        int mac = 80;
        long f = geometry.frameOffset(0);
        VirtioNetHeader.write(memory, f + mac - VirtioNetHeader.LENGTH, VirtioNetHeader.F_NEEDS_CSUM,
                VirtioNetHeader.GSO_TCPV4, 66, 1448, 34, 16);
        kernelWrites(0, Tpacket2Header.TP_STATUS_USER, 60, 60, mac, 0, ethernet(1));
        RxFrame frame = vnetRing.next();
        assertThat(frame.hasVnetHeader()).isTrue();
        assertThat(frame.gsoType()).isEqualTo(VirtioNetHeader.GSO_TCPV4);
        assertThat(frame.gsoSize()).isEqualTo(1448);
        assertThat(frame.vnetFlags()).isEqualTo(VirtioNetHeader.F_NEEDS_CSUM);
        frame.release();

        kernelWrites(0, Tpacket2Header.TP_STATUS_USER, 60, 60, mac, 0, ethernet(2)); // the same slot, another socket
        RxFrame plain = ring.next();
        assertThat(plain.hasVnetHeader()).isFalse();
        assertThat(plain.gsoType()).isEqualTo(VirtioNetHeader.GSO_NONE);
        assertThat(plain.gsoSize()).isZero();
    }

    @Test
    void emptyRingHasNoFrame() {
        assertThat(ring.next()).isNull();
        assertThat(ring.isReady()).isFalse();
    }

    @Test
    void frameViewReadsTheHeaderAndTheFrame() {
        kernelWrites(0, Tpacket2Header.TP_STATUS_USER | Tpacket2Header.TP_STATUS_VLAN_VALID
                | Tpacket2Header.TP_STATUS_VLAN_TPID_VALID, 60, 60, MAC, 0x2005, ethernet(7));

        RxFrame frame = ring.next();

        assertThat(frame).isNotNull();
        assertThat(frame.length()).isEqualTo(60);
        assertThat(frame.wireLength()).isEqualTo(60);
        assertThat(frame.isTruncated()).isFalse();
        assertThat(frame.hasVlan()).isTrue();
        assertThat(frame.vlanTci()).isEqualTo(0x2005);
        assertThat(frame.vlanTpid()).isEqualTo(0x88A8);
        assertThat(frame.packetType()).isEqualTo(AfPacket.PACKET_OTHERHOST);
        assertThat(frame.timestampNanos()).isEqualTo(1_700_000_000_123_456_789L);
        assertThat(frame.data().asSlice(0, 60).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(ethernet(7));
        assertThat(statusOf(0)).isNotZero();

        frame.release();

        assertThat(statusOf(0)).isEqualTo(Tpacket2Header.TP_STATUS_KERNEL);
        assertThat(ring.next()).isNull();
        assertThat(ring.received()).isEqualTo(1);
    }

    @Test
    void untaggedFrameHasNoVlan() {
        kernelWrites(0, Tpacket2Header.TP_STATUS_USER, 60, 60, MAC, 0x0FFF, ethernet(1));

        RxFrame frame = ring.next();

        assertThat(frame.hasVlan()).isFalse();
        assertThat(frame.vlanTci()).isZero();
        assertThat(frame.vlanTpid()).isZero();
    }

    @Test
    void cursorFollowsTheKernelRoundTheRing() {
        for (int round = 0; round < 3; round++) {
            for (int slot = 0; slot < 4; slot++) {
                kernelWrites(slot, Tpacket2Header.TP_STATUS_USER, 60, 60, MAC, 0, ethernet(round * 4 + slot));
            }
            for (int slot = 0; slot < 4; slot++) {
                RxFrame frame = ring.next();
                assertThat(frame.data().get(ValueLayout.JAVA_BYTE, 14)).isEqualTo((byte) (round * 4 + slot));
                frame.release();
            }
            assertThat(ring.next()).isNull();
        }
        assertThat(ring.received()).isEqualTo(12);
    }

    @Test
    void nextReleasesTheFrameStillHeld() {
        kernelWrites(0, Tpacket2Header.TP_STATUS_USER, 60, 60, MAC, 0, ethernet(1));
        kernelWrites(1, Tpacket2Header.TP_STATUS_USER, 60, 60, MAC, 0, ethernet(2));

        ring.next();
        RxFrame second = ring.next();

        assertThat(statusOf(0)).isEqualTo(Tpacket2Header.TP_STATUS_KERNEL);
        assertThat(statusOf(1)).isEqualTo(Tpacket2Header.TP_STATUS_USER);
        assertThat(second.data().get(ValueLayout.JAVA_BYTE, 14)).isEqualTo((byte) 2);
    }

    @Test
    void frameOutsideItsSlotIsCountedAndSkipped() {
        kernelWrites(0, Tpacket2Header.TP_STATUS_USER, 250, 250, MAC, 0, ethernet(1)); // 66 + 250 > 256
        kernelWrites(1, Tpacket2Header.TP_STATUS_USER, 60, 60, 20, 0, ethernet(2));    // tp_mac inside the header
        kernelWrites(2, Tpacket2Header.TP_STATUS_USER, 60, 60, MAC, 0, ethernet(3));

        RxFrame frame = ring.next();

        assertThat(frame.data().get(ValueLayout.JAVA_BYTE, 14)).isEqualTo((byte) 3);
        assertThat(ring.malformed()).isEqualTo(2);
        assertThat(statusOf(0)).isEqualTo(Tpacket2Header.TP_STATUS_KERNEL);
        assertThat(statusOf(1)).isEqualTo(Tpacket2Header.TP_STATUS_KERNEL);
    }

    @Test
    void truncatedFrameIsHandedOverAndCounted() {
        kernelWrites(0, Tpacket2Header.TP_STATUS_USER, 1500, 60, MAC, 0, ethernet(1));

        RxFrame frame = ring.next();

        assertThat(frame.isTruncated()).isTrue();
        assertThat(frame.length()).isEqualTo(60);
        assertThat(frame.wireLength()).isEqualTo(1500);
        assertThat(ring.truncated()).isEqualTo(1);
    }

    @Test
    void slotSliceIsMadeOnceAndReused() {
        kernelWrites(0, Tpacket2Header.TP_STATUS_USER, 60, 60, MAC, 0, ethernet(1));
        MemorySegment first = ring.next().data();
        for (int slot = 1; slot < 4; slot++) {
            kernelWrites(slot, Tpacket2Header.TP_STATUS_USER, 60, 60, MAC, 0, ethernet(1));
            ring.next();
        }
        kernelWrites(0, Tpacket2Header.TP_STATUS_USER, 60, 60, MAC, 0, ethernet(1));

        assertThat(ring.next().data()).isSameAs(first);
        assertThat(first.address()).isEqualTo(memory.address() + MAC);
        assertThat(first.byteSize()).isEqualTo(FRAME_SIZE - MAC);
    }
}
