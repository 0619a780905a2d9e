package io.tandem.core.afpacket;

import io.tandem.core.linux.Libc;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A TPACKET_V2 {@code PACKET_TX_RING}: the owner fills free slots
 * ({@link Tpacket2Header#TP_STATUS_AVAILABLE}), marks them
 * {@link Tpacket2Header#TP_STATUS_SEND_REQUEST}, and one
 * {@code sendto(fd, NULL, 0, MSG_DONTWAIT)} per batch makes the kernel send
 * every marked slot in ring order; a slot becomes free again once its frame
 * has left ({@code TP_STATUS_SENDING} in between).
 *
 * <pre>{@code
 * TxFrame frame;
 * while (more() && (frame = ring.claim()) != null) {
 *     frame.commit(write(frame.data()));
 * }
 * ring.flush();                // one system call for the whole batch
 * }</pre>
 *
 * <p>{@link TxFrame#commit} refuses, and counts, a frame longer than the
 * slot or than the interface's MTU plus its Ethernet header (plus 4 bytes
 * when it carries an 802.1Q tag), the limit the kernel applies. The socket
 * also sets {@code PACKET_LOSS}, so a frame the kernel refuses anyway (the
 * MTU shrank since {@link #maxFrameLength(int)}) is dropped and its slot
 * freed instead of stopping the ring. Nothing is allocated per frame; only
 * one thread may use a ring.
 *
 * <p>The kernel sends a slot's data without copying it (its pages become the
 * skb's fragments, {@code tpacket_fill_skb}) and frees the slot when that skb
 * is orphaned or freed ({@code tpacket_destruct_skb}): after a NIC's transmit
 * completion, or, on a veth, as the frame crosses into the peer's namespace
 * ({@code __dev_forward_skb} copies the fragments and scrubs the skb of its
 * socket). So a receiver that stops reading, or a queue on the way to it,
 * holds no slot; only a queue on the director's own interface does (its
 * qdisc), and that one delays every flow's frames alike.
 */
public final class PacketTxRing {
    /** The shortest frame accepted: an Ethernet header. */
    public static final int MIN_FRAME_LENGTH = 14;
    private static final int VLAN_HLEN = 4;
    private static final ValueLayout.OfShort BE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final MemorySegment memory;
    private final RingGeometry geometry;
    private final PacketSocket socket;
    private final TxFrame frame = new TxFrame(this);
    private final MemorySegment[] slotData;
    /** 0, or the {@link VirtioNetHeader}'s length before each frame. */
    private final int vnetHeader;
    private int maxFrameLength;
    private int cursor;
    private int pending;
    private long committed;
    private long rejected;
    private long kickFailures;

    PacketTxRing(MemorySegment memory, RingGeometry geometry, PacketSocket socket) {
        this(memory, geometry, socket, false);
    }

    /** @param vnetHeader each frame is sent after a {@link VirtioNetHeader} ({@code PACKET_VNET_HDR}) */
    PacketTxRing(MemorySegment memory, RingGeometry geometry, PacketSocket socket, boolean vnetHeader) {
        this.vnetHeader = vnetHeader ? VirtioNetHeader.LENGTH : 0;
        if (memory.byteSize() < geometry.byteSize()) {
            throw new IllegalArgumentException("invalid ring memory: " + memory.byteSize()
                    + " bytes (expected: >= " + geometry.byteSize() + " for " + geometry + ")");
        }
        this.memory = memory;
        this.geometry = geometry;
        this.socket = socket;
        this.slotData = new MemorySegment[geometry.frameCount()];
        int capacity = geometry.frameSize() - Tpacket2Header.TX_DATA_OFFSET - this.vnetHeader;
        this.maxFrameLength = capacity;
        for (int i = 0; i < slotData.length; i++) {
            slotData[i] = memory.asSlice(geometry.frameOffset(i) + Tpacket2Header.TX_DATA_OFFSET + this.vnetHeader,
                    capacity);
        }
    }

    /**
     * The next free slot, or {@code null} while the kernel still owns it (the
     * ring is full: {@link #flush()}, then {@link #awaitSlot}). Claiming again
     * before {@link TxFrame#commit} returns the same slot.
     */
    public TxFrame claim() {
        long header = geometry.frameOffset(cursor);
        int status = Tpacket2Header.statusAcquire(memory, header);
        if (status == Tpacket2Header.TP_STATUS_WRONG_FORMAT) {
            rejected++;
            Tpacket2Header.statusRelease(memory, header, Tpacket2Header.TP_STATUS_AVAILABLE);
        } else if (status != Tpacket2Header.TP_STATUS_AVAILABLE) {
            return null;
        }
        frame.wrap(slotData[cursor]);
        if (vnetHeader > 0) {
            VirtioNetHeader.clear(memory, vnetHeaderAt(cursor));
        }
        return frame;
    }

    boolean commit(TxFrame committedFrame, int length) {
        if (committedFrame != frame || frame.data() != slotData[cursor]) {
            throw new IllegalStateException("commit of a frame that is not the ring's claimed slot");
        }
        boolean superFrame = vnetHeader > 0
                && VirtioNetHeader.gsoType(memory, vnetHeaderAt(cursor)) != VirtioNetHeader.GSO_NONE;
        if (length < MIN_FRAME_LENGTH || length > frame.capacity() || length > maxFrameLength && !superFrame
                && (length > maxFrameLength + VLAN_HLEN
                        || frame.data().get(BE_SHORT, 12) != (short) AfPacket.ETH_P_8021Q)) {
            rejected++;
            return false;
        }
        long header = geometry.frameOffset(cursor);
        Tpacket2Header.len(memory, header, length + vnetHeader);
        Tpacket2Header.statusRelease(memory, header, Tpacket2Header.TP_STATUS_SEND_REQUEST);
        cursor = cursor + 1 == geometry.frameCount() ? 0 : cursor + 1;
        pending++;
        committed++;
        return true;
    }

    /**
     * Kicks the kernel to send every committed frame: one non-blocking
     * {@code sendto} with no buffer. Does nothing when none is pending.
     *
     * @return the bytes the kernel sent, or {@code -errno} (counted in
     *     {@link #kickFailures()}); frames not sent stay committed and go with the next kick
     */
    public long flush() {
        if (pending == 0) {
            return 0;
        }
        long rc = Libc.sendto(socket.fd(), MemorySegment.NULL, 0, Libc.MSG_DONTWAIT, MemorySegment.NULL, 0);
        if (rc < 0) {
            kickFailures++;
            return rc;
        }
        pending = 0;
        return rc;
    }

    /**
     * Waits with poll(2), at most {@code timeoutMillis} (-1: no limit), until
     * the slot {@link #claim()} would return is free. Returns at once when it is.
     */
    public boolean awaitSlot(int timeoutMillis) {
        if (isSlotFree()) {
            return true;
        }
        socket.poll(Libc.POLLOUT, timeoutMillis);
        return isSlotFree();
    }

    private boolean isSlotFree() {
        int status = Tpacket2Header.statusAcquire(memory, geometry.frameOffset(cursor));
        return status == Tpacket2Header.TP_STATUS_AVAILABLE || status == Tpacket2Header.TP_STATUS_WRONG_FORMAT;
    }

    /**
     * Sets the longest untagged frame {@link TxFrame#commit} accepts: the
     * interface's MTU plus its 14-byte Ethernet header. {@link PacketSocket#open}
     * sets it from the MTU at that time; the owner updates it when the MTU changes.
     */
    public void maxFrameLength(int length) {
        if (length < MIN_FRAME_LENGTH) {
            throw new IllegalArgumentException("invalid max frame length: " + length
                    + " (expected: >= " + MIN_FRAME_LENGTH + ")");
        }
        this.maxFrameLength = length;
    }

    public int maxFrameLength() {
        return maxFrameLength;
    }

    private long vnetHeaderAt(int slot) {
        return geometry.frameOffset(slot) + Tpacket2Header.TX_DATA_OFFSET;
    }

    /**
     * Describes the claimed frame to the kernel before {@link TxFrame#commit}: a GSO super-frame to
     * segment ({@code gsoType}, {@code gsoSize}; such a frame may exceed the MTU) and a partial
     * checksum to complete ({@link VirtioNetHeader#F_NEEDS_CSUM}). Claiming resets it to a plain frame.
     *
     * @throws IllegalStateException when the socket has no {@code PACKET_VNET_HDR}
     */
    void describe(int flags, int gsoType, int headerLength, int gsoSize, int checksumStart, int checksumOffset) {
        if (vnetHeader == 0) {
            throw new IllegalStateException("no virtio-net header on this ring (expected: vnetHeader(true) at open)");
        }
        VirtioNetHeader.write(memory, vnetHeaderAt(cursor), flags, gsoType, headerLength, gsoSize, checksumStart,
                checksumOffset);
    }

    /** True when frames carry a {@link VirtioNetHeader}. */
    public boolean hasVnetHeader() {
        return vnetHeader > 0;
    }

    /** Committed frames not yet kicked. */
    public int pending() {
        return pending;
    }

    public RingGeometry geometry() {
        return geometry;
    }

    /** Frames committed so far. */
    public long committed() {
        return committed;
    }

    /** Frames refused: a bad length at commit, or a slot the kernel marked {@code TP_STATUS_WRONG_FORMAT}. */
    public long rejected() {
        return rejected;
    }

    /** Kicks that failed (the {@code -errno} was returned by {@link #flush()}). */
    public long kickFailures() {
        return kickFailures;
    }
}
