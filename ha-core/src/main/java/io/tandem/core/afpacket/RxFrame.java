package io.tandem.core.afpacket;

import java.lang.foreign.MemorySegment;

/**
 * A view of the receive-ring frame that {@link PacketRxRing#next()} returned
 * last. There is one view per ring, reused for every frame, so nothing is
 * allocated per frame; it is valid until {@link #release()} or the ring's
 * next {@code next()}, whichever comes first.
 */
public final class RxFrame {
    private final PacketRxRing ring;
    private MemorySegment memory;
    private long header;
    private MemorySegment data;
    private int status;
    private int length;
    private long vnetHeader;

    RxFrame(PacketRxRing ring) {
        this.ring = ring;
    }

    void wrap(MemorySegment memory, long header, int status, int length, MemorySegment data) {
        wrap(memory, header, status, length, data, -1);
    }

    void wrap(MemorySegment memory, long header, int status, int length, MemorySegment data, long vnetHeader) {
        this.vnetHeader = vnetHeader;
        this.memory = memory;
        this.header = header;
        this.status = status;
        this.length = length;
        this.data = data;
    }

    /**
     * The frame's bytes: offset 0 is the first byte of the Ethernet header and
     * bytes {@code 0 ~ length() - 1} are the frame; the segment may extend
     * further, up to the end of the ring slot.
     */
    public MemorySegment data() {
        return data;
    }

    /** Bytes of the frame in {@link #data()}. */
    public int length() {
        return length;
    }

    /** The frame's length on the wire; larger than {@link #length()} when the slot was too small. */
    public int wireLength() {
        return Tpacket2Header.len(memory, header);
    }

    public boolean isTruncated() {
        return length < wireLength();
    }

    /** {@code tp_status}: {@link Tpacket2Header#TP_STATUS_USER} and its flags. */
    public int status() {
        return status;
    }

    /** True when the interface took an 802.1Q tag off the frame: {@link #data()} no longer holds it. */
    public boolean hasVlan() {
        return (status & Tpacket2Header.TP_STATUS_VLAN_VALID) != 0;
    }

    /** The tag control information (PCP, DEI, VID) of the removed tag, or 0 without one. */
    public int vlanTci() {
        return hasVlan() ? Tpacket2Header.vlanTci(memory, header) : 0;
    }

    /** The removed tag's protocol identifier (0x8100 or 0x88a8), or 0 without a tag. */
    public int vlanTpid() {
        if (!hasVlan()) {
            return 0;
        }
        return (status & Tpacket2Header.TP_STATUS_VLAN_TPID_VALID) != 0
                ? Tpacket2Header.vlanTpid(memory, header)
                : AfPacket.ETH_P_8021Q;
    }

    /** {@code sll_pkttype}: {@link AfPacket#PACKET_HOST}, {@link AfPacket#PACKET_OUTGOING} and so on. */
    public int packetType() {
        return Tpacket2Header.packetType(memory, header);
    }

    /** When the kernel received the frame, in nanoseconds since the epoch. */
    public long timestampNanos() {
        return Tpacket2Header.sec(memory, header) * 1_000_000_000L + Tpacket2Header.nsec(memory, header);
    }

    /** True when the socket has {@code PACKET_VNET_HDR}: the accessors below read the frame's header. */
    public boolean hasVnetHeader() {
        return vnetHeader >= 0;
    }

    /** {@link VirtioNetHeader#gsoType}: {@link VirtioNetHeader#GSO_NONE} for a plain frame (or without the header). */
    public int gsoType() {
        return vnetHeader < 0 ? VirtioNetHeader.GSO_NONE : VirtioNetHeader.gsoType(memory, vnetHeader);
    }

    /** Payload bytes per segment of a GSO super-frame; 0 for a plain frame. */
    public int gsoSize() {
        return vnetHeader < 0 ? 0 : VirtioNetHeader.gsoSize(memory, vnetHeader);
    }

    /** {@link VirtioNetHeader#flags}: 0 without the header. */
    public int vnetFlags() {
        return vnetHeader < 0 ? 0 : VirtioNetHeader.flags(memory, vnetHeader);
    }

    /** Hands the frame's slot back to the kernel; the view is invalid afterwards. */
    public void release() {
        ring.release(this);
    }

    long header() {
        return header;
    }
}
