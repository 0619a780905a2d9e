package io.tandem.core.afpacket;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The transmit ring's claim and commit over plain memory, the test standing in for the kernel. */
class PacketTxRingTest {
    private final RingGeometry geometry = RingGeometry.of(256, 4, 1024);
    private Arena arena;
    private MemorySegment memory;
    private PacketTxRing ring;

    @BeforeEach
    void setUp() {
        arena = Arena.ofConfined();
        memory = arena.allocate(geometry.byteSize(), 16);
        ring = new PacketTxRing(memory, geometry, null);
    }

    @AfterEach
    void tearDown() {
        arena.close();
    }

    private int statusOf(int slot) {
        return memory.get(ValueLayout.JAVA_INT, geometry.frameOffset(slot));
    }

    private void kernelSent(int slot) {
        memory.set(ValueLayout.JAVA_INT, geometry.frameOffset(slot), Tpacket2Header.TP_STATUS_AVAILABLE);
    }

    @Test
    void claimedSlotStartsAfterTheHeaderAndCommitHandsItOver() {
        TxFrame frame = ring.claim();

        assertThat(frame.data().address()).isEqualTo(memory.address() + Tpacket2Header.TX_DATA_OFFSET);
        assertThat(frame.capacity()).isEqualTo(256 - 32);
        frame.data().set(ValueLayout.JAVA_BYTE, 0, (byte) 0xAB);

        assertThat(frame.commit(60)).isTrue();

        assertThat(statusOf(0)).isEqualTo(Tpacket2Header.TP_STATUS_SEND_REQUEST);
        assertThat(memory.get(ValueLayout.JAVA_INT, Tpacket2Header.LEN_OFFSET)).isEqualTo(60);
        assertThat(memory.get(ValueLayout.JAVA_BYTE, 32)).isEqualTo((byte) 0xAB);
        assertThat(ring.pending()).isEqualTo(1);
        assertThat(ring.claim().data().address()).isEqualTo(memory.address() + 256 + 32);
    }

    @Test
    void fullRingHasNoSlotUntilTheKernelFreesOne() {
        for (int i = 0; i < 4; i++) {
            assertThat(ring.claim().commit(64)).isTrue();
        }

        assertThat(ring.claim()).isNull();
        assertThat(ring.pending()).isEqualTo(4);

        kernelSent(0);

        assertThat(ring.claim().data().address()).isEqualTo(memory.address() + 32);
    }

    @Test
    void badLengthIsRejectedAndTheSlotStaysClaimable() {
        TxFrame frame = ring.claim();

        assertThat(frame.commit(13)).isFalse();
        assertThat(frame.commit(256 - 32 + 1)).isFalse();

        assertThat(ring.rejected()).isEqualTo(2);
        assertThat(ring.pending()).isZero();
        assertThat(statusOf(0)).isEqualTo(Tpacket2Header.TP_STATUS_AVAILABLE);
        assertThat(ring.claim().data()).isSameAs(frame.data());
        assertThat(frame.commit(256 - 32)).isTrue();
    }

    @Test
    void slotTheKernelRefusedIsCountedAndReused() {
        memory.set(ValueLayout.JAVA_INT, 0, Tpacket2Header.TP_STATUS_WRONG_FORMAT);

        TxFrame frame = ring.claim();

        assertThat(frame).isNotNull();
        assertThat(ring.rejected()).isEqualTo(1);
        assertThat(statusOf(0)).isEqualTo(Tpacket2Header.TP_STATUS_AVAILABLE);
    }

    @Test
    void flushWithNothingPendingMakesNoCall() {
        assertThat(ring.flush()).isZero();   // the ring has no socket here: a system call would fail
    }

    @Test
    void claimsWrapRoundTheRing() {
        for (int i = 0; i < 10; i++) {
            TxFrame frame = ring.claim();
            assertThat(frame.data().address())
                    .isEqualTo(memory.address() + geometry.frameOffset(i % 4) + Tpacket2Header.TX_DATA_OFFSET);
            assertThat(frame.commit(60)).isTrue();
            kernelSent(i % 4);
        }
        assertThat(ring.committed()).isEqualTo(10);
    }

    @Test
    void frameLongerThanTheMtuIsRejectedUnlessTheExtraIsAVlanTag() {
        RingGeometry large = RingGeometry.of(2048, 2, 4096);
        MemorySegment slots = arena.allocate(large.byteSize(), 16);
        PacketTxRing mtuRing = new PacketTxRing(slots, large, null);
        mtuRing.maxFrameLength(1500 + 14);
        TxFrame frame = mtuRing.claim();
        frame.data().set(TestFrames.BE_SHORT, 12, (short) AfPacket.ETH_P_IP);

        assertThat(frame.commit(1515)).as("untagged, one byte over").isFalse();

        frame.data().set(TestFrames.BE_SHORT, 12, (short) AfPacket.ETH_P_8021Q);
        assertThat(frame.commit(1519)).as("tagged, one byte over").isFalse();
        assertThat(frame.commit(1518)).as("tagged, at the limit").isTrue();
        assertThat(mtuRing.claim().commit(1514)).as("untagged, at the limit").isTrue();
        assertThat(mtuRing.rejected()).isEqualTo(2);
    }

    /**
     * PACKET_VNET_HDR: each slot starts with a virtio-net header that claim resets to a plain frame,
     * tp_len counts it, and only a frame described as a GSO super-frame may pass the MTU.
     */
    @Test
    void withVirtioNetHeadersEachFrameFollowsItsHeaderAndOnlySuperFramesPassTheMtu() {
        RingGeometry large = RingGeometry.of(4096, 2, 8192);
        MemorySegment slots = arena.allocate(large.byteSize(), 16);
        PacketTxRing vnetRing = new PacketTxRing(slots, large, null, true);
        vnetRing.maxFrameLength(1500 + 14);
        long header = Tpacket2Header.TX_DATA_OFFSET;
        slots.set(ValueLayout.JAVA_BYTE, header + 1, (byte) VirtioNetHeader.GSO_TCPV4); // left by an earlier frame

        TxFrame frame = vnetRing.claim();
        assertThat(frame.data().address()).isEqualTo(slots.address() + header + VirtioNetHeader.LENGTH);
        assertThat(frame.capacity()).isEqualTo(4096 - 32 - VirtioNetHeader.LENGTH);
        assertThat(VirtioNetHeader.gsoType(slots, header)).as("reset at claim").isEqualTo(VirtioNetHeader.GSO_NONE);
        assertThat(frame.commit(3000)).as("a plain frame over the MTU").isFalse();

        frame.describe(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, 54, 1448, 34, 16);
        assertThat(frame.commit(3000)).as("a super-frame").isTrue();
        assertThat(slots.get(ValueLayout.JAVA_INT, Tpacket2Header.LEN_OFFSET)).isEqualTo(3000 + VirtioNetHeader.LENGTH);
        assertThat(VirtioNetHeader.flags(slots, header)).isEqualTo(VirtioNetHeader.F_NEEDS_CSUM);
        assertThat(VirtioNetHeader.gsoSize(slots, header)).isEqualTo(1448);
        assertThat(VirtioNetHeader.headerLength(slots, header)).isEqualTo(54);
        assertThat(VirtioNetHeader.checksumStart(slots, header)).isEqualTo(34);
        assertThat(VirtioNetHeader.checksumOffset(slots, header)).isEqualTo(16);
        assertThat(vnetRing.rejected()).isEqualTo(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ring.claim().describe(0, 0, 0, 0, 0, 0))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void maxFrameLengthIsChecked() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ring.maxFrameLength(13))
                .hasMessage("invalid max frame length: 13 (expected: >= 14)");
        assertThat(ring.maxFrameLength()).isEqualTo(256 - 32);
    }
}
