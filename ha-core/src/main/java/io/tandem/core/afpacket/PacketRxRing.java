package io.tandem.core.afpacket;

import io.tandem.core.linux.Libc;
import java.lang.foreign.MemorySegment;

/**
 * A TPACKET_V2 {@code PACKET_RX_RING}: the kernel writes received frames into
 * shared memory and flips each slot's {@code tp_status} to
 * {@link Tpacket2Header#TP_STATUS_USER}; the owner reads the slot and hands
 * it back by writing {@link Tpacket2Header#TP_STATUS_KERNEL}. The kernel fills
 * slots in ring order, so the ring is read with one cursor:
 *
 * <pre>{@code
 * RxFrame frame;
 * while ((frame = ring.next()) != null) {
 *     handle(frame.data(), frame.length());
 *     frame.release();
 * }
 * ring.await(timeoutMillis);   // poll(2) when the ring is empty
 * }</pre>
 *
 * <p>Nothing is allocated per frame. Only one thread may use a ring. Frames
 * whose header makes no sense are released and counted, never thrown.
 */
public final class PacketRxRing {
    private final MemorySegment memory;
    private final RingGeometry geometry;
    private final PacketSocket socket;
    private final RxFrame frame = new RxFrame(this);
    private final MemorySegment[] slotData;
    private final int[] slotDataMac;
    private final boolean vnetHeader;
    private int cursor;
    private boolean held;
    private long received;
    private long truncated;
    private long malformed;

    /**
     * @param memory the ring's part of the mapping, {@link RingGeometry#byteSize()} bytes
     * @param socket the socket {@link #await} polls
     */
    PacketRxRing(MemorySegment memory, RingGeometry geometry, PacketSocket socket) {
        this(memory, geometry, socket, false);
    }

    /** @param vnetHeader each frame is preceded by a {@link VirtioNetHeader} ({@code PACKET_VNET_HDR}) */
    PacketRxRing(MemorySegment memory, RingGeometry geometry, PacketSocket socket, boolean vnetHeader) {
        this.vnetHeader = vnetHeader;
        if (memory.byteSize() < geometry.byteSize()) {
            throw new IllegalArgumentException("invalid ring memory: " + memory.byteSize()
                    + " bytes (expected: >= " + geometry.byteSize() + " for " + geometry + ")");
        }
        this.memory = memory;
        this.geometry = geometry;
        this.socket = socket;
        this.slotData = new MemorySegment[geometry.frameCount()];
        this.slotDataMac = new int[geometry.frameCount()];
    }

    /**
     * The next frame the kernel has handed over, or {@code null} when there is
     * none yet. A frame still held from the previous call is released first.
     */
    public RxFrame next() {
        if (held) {
            release(frame);
        }
        int frameSize = geometry.frameSize();
        while (true) {
            long header = geometry.frameOffset(cursor);
            int status = Tpacket2Header.statusAcquire(memory, header);
            if ((status & Tpacket2Header.TP_STATUS_USER) == 0) {
                return null;
            }
            int slot = cursor;
            cursor = cursor + 1 == geometry.frameCount() ? 0 : cursor + 1;
            int mac = Tpacket2Header.mac(memory, header);
            int snaplen = Tpacket2Header.snaplen(memory, header);
            if (mac < Tpacket2Header.TPACKET2_HDRLEN + (vnetHeader ? VirtioNetHeader.LENGTH : 0) || snaplen < 0 || mac + (long) snaplen > frameSize) {
                malformed++;
                Tpacket2Header.statusRelease(memory, header, Tpacket2Header.TP_STATUS_KERNEL);
                continue;
            }
            received++;
            if (snaplen < Tpacket2Header.len(memory, header)) {
                truncated++;
            }
            frame.wrap(memory, header, status, snaplen, dataOf(slot, header, mac),
                    vnetHeader ? header + mac - VirtioNetHeader.LENGTH : -1);
            held = true;
            return frame;
        }
    }

    /** The slot's bytes from {@code mac} on; a slot's slice is made once and kept while its offset holds. */
    private MemorySegment dataOf(int slot, long header, int mac) {
        MemorySegment data = slotData[slot];
        if (data == null || slotDataMac[slot] != mac) {
            data = memory.asSlice(header + mac, geometry.frameSize() - mac);
            slotData[slot] = data;
            slotDataMac[slot] = mac;
        }
        return data;
    }

    void release(RxFrame released) {
        if (held && released == frame) {
            Tpacket2Header.statusRelease(memory, frame.header(), Tpacket2Header.TP_STATUS_KERNEL);
            held = false;
        }
    }

    /** True when {@link #next()} would return a frame now; no system call. */
    public boolean isReady() {
        if (held) {
            return true;
        }
        long header = geometry.frameOffset(cursor);
        return (Tpacket2Header.statusAcquire(memory, header) & Tpacket2Header.TP_STATUS_USER) != 0;
    }

    /**
     * Waits with poll(2) until a frame is ready, at most {@code timeoutMillis}
     * (-1: no limit). Returns at once when one is ready already.
     *
     * @return true when a frame is ready, false on time-out or interruption by a signal
     */
    public boolean await(int timeoutMillis) {
        if (isReady()) {
            return true;
        }
        int revents = socket.poll(Libc.POLLIN, timeoutMillis);
        return revents > 0 && isReady();
    }

    public RingGeometry geometry() {
        return geometry;
    }

    /** Frames handed to the owner so far. */
    public long received() {
        return received;
    }

    /** Frames cut short because they did not fit a slot (still handed to the owner, see {@link RxFrame#isTruncated()}). */
    public long truncated() {
        return truncated;
    }

    /** Frames skipped because their header was inconsistent. */
    public long malformed() {
        return malformed;
    }
}
