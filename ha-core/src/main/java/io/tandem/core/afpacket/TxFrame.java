package io.tandem.core.afpacket;

import java.lang.foreign.MemorySegment;

/**
 * A view of the transmit-ring slot that {@link PacketTxRing#claim()} returned
 * last: write a whole Ethernet frame at offset 0 of {@link #data()}, then
 * {@link #commit(int)} it. One view per ring, reused, so nothing is allocated
 * per frame.
 */
public final class TxFrame {
    private final PacketTxRing ring;
    private MemorySegment data;

    TxFrame(PacketTxRing ring) {
        this.ring = ring;
    }

    void wrap(MemorySegment data) {
        this.data = data;
    }

    /** Where the frame goes: offset 0 is the first byte of the Ethernet header. */
    public MemorySegment data() {
        return data;
    }

    /** The largest frame the slot holds. */
    public int capacity() {
        return (int) data.byteSize();
    }

    /**
     * Describes the frame to the kernel (a socket with {@code PACKET_VNET_HDR} only): see
     * {@link VirtioNetHeader}. Without a call the frame is plain: no segmentation, a complete checksum.
     */
    public void describe(int flags, int gsoType, int headerLength, int gsoSize, int checksumStart,
            int checksumOffset) {
        ring.describe(flags, gsoType, headerLength, gsoSize, checksumStart, checksumOffset);
    }

    /**
     * Marks the first {@code length} bytes of {@link #data()} as a frame to
     * send at the next {@link PacketTxRing#flush()}.
     *
     * @return false, and the frame is counted as rejected and not sent, when
     *     {@code length} is not 14 ~ {@link #capacity()} or exceeds
     *     {@link PacketTxRing#maxFrameLength()} (by more than a VLAN tag, for a tagged frame)
     */
    public boolean commit(int length) {
        return ring.commit(this, length);
    }
}
