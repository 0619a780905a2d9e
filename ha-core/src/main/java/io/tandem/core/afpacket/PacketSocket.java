package io.tandem.core.afpacket;

import io.tandem.core.bpf.BpfProgram;
import io.tandem.core.linux.Errno;
import io.tandem.core.linux.Libc;
import io.tandem.core.linux.LinuxException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;

/**
 * An {@code AF_PACKET}, {@code SOCK_RAW} socket bound to one interface
 * (packet(7)): it sends and receives whole Ethernet frames, either one system
 * call per frame ({@link #send}, {@link #receive}) or through the TPACKET_V2
 * rings of {@link #rxRing()} and {@link #txRing()}.
 *
 * <p>{@link #open} applies a {@link PacketSocketContext} in the order the
 * kernel needs: the socket is created with protocol 0, so that no frame is
 * queued before the rings exist; then {@code PACKET_VERSION}, the qdisc and
 * outgoing options, {@code PACKET_LOSS}, the rings (receive ring first, as
 * the kernel maps them) and their single mmap(2); then {@code bind} to
 * the interface and protocol; then promiscuous membership and fanout, which
 * need a bound socket. The socket is non-blocking; {@link #poll} waits.
 *
 * <p>The interface is looked up with {@code SIOCGIFINDEX} on the socket
 * itself, so in the network namespace the socket lives in. Failing set-up
 * calls throw {@link LinuxException} naming the call, its arguments and the
 * errno; the per-frame calls return {@code -errno} instead and never allocate.
 * One thread owns a socket and its rings.
 */
public final class PacketSocket implements AutoCloseable {
    private static final int IFREQ_LENGTH = 40;
    private static final int IFREQ_IFINDEX_OFFSET = 16;
    private static final int PACKET_MREQ_LENGTH = 16;
    private static final int TPACKET_REQ_LENGTH = 16;
    private static final int IFREQ_MTU_OFFSET = 16;
    private static final int ETHERNET_HEADER_LENGTH = 14;
    private static final int SO_ERROR = 4;
    private static final int SCRATCH_LENGTH = 64;
    private static final int SCRATCH_SOCKLEN_OFFSET = 56;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT;

    private final int fd;
    private final String interfaceName;
    private final int ifIndex;
    private final int mtu;
    private final int protocol;
    private final boolean inFanout;
    private final Arena arena;
    private final MemorySegment scratch;
    private final MemorySegment pollFd;
    private final MemorySegment soError;
    private final long mappingAddress;
    private final long mappingSize;
    private final PacketRxRing rxRing;
    private final PacketTxRing txRing;
    private int lastError;
    private long errors;
    private boolean closed;

    private PacketSocket(int fd, PacketSocketContext context, int ifIndex, int mtu, Arena arena,
            MemorySegment scratch, MemorySegment mapping, long mappingSize) {
        this.fd = fd;
        this.interfaceName = context.interfaceName();
        this.ifIndex = ifIndex;
        this.mtu = mtu;
        this.protocol = context.protocol();
        this.inFanout = context.fanout() != null;
        this.arena = arena;
        this.scratch = scratch;
        this.pollFd = arena.allocate(8, 8);
        this.soError = arena.allocate(8, 8);
        this.mappingAddress = mapping == null ? 0 : mapping.address();
        this.mappingSize = mappingSize;
        RingGeometry rx = context.rxRing();
        RingGeometry tx = context.txRing();
        MemorySegment shared = mapping == null ? null : mapping.reinterpret(arena, null);
        this.rxRing = rx == null ? null : new PacketRxRing(shared.asSlice(0, rx.byteSize()), rx, this,
                context.vnetHeader());
        long txStart = rx == null ? 0 : rx.byteSize();
        this.txRing = tx == null ? null : new PacketTxRing(shared.asSlice(txStart, tx.byteSize()), tx, this,
                context.vnetHeader());
        if (txRing != null) {
            txRing.maxFrameLength(Math.min(txRing.maxFrameLength(), mtu + ETHERNET_HEADER_LENGTH));
        }
    }

    /** Opens a socket as {@code context} describes; see the class comment for the order of the steps. */
    public static PacketSocket open(PacketSocketContext context) throws LinuxException {
        context.validate();
        String ifName = context.interfaceName();
        int fd = Libc.check(Libc.socket(Libc.AF_PACKET, Libc.SOCK_RAW | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0),
                "socket(AF_PACKET, SOCK_RAW, if=" + ifName + ")");
        Arena arena = Arena.ofShared();
        MemorySegment mapping = null;
        long mappingSize = 0;
        try {
            MemorySegment scratch = arena.allocate(SCRATCH_LENGTH, 8);
            int ifIndex = interfaceIndex(fd, ifName, scratch);
            int mtu = interfaceMtu(fd, ifName, scratch);
            RingGeometry rx = context.rxRing();
            RingGeometry tx = context.txRing();
            if (rx != null || tx != null) {
                setInt(fd, AfPacket.PACKET_VERSION, AfPacket.TPACKET_V2, scratch,
                        "setsockopt(PACKET_VERSION, TPACKET_V2, if=" + ifName + ")");
            }
            if (context.vnetHeader()) {
                // before any ring: the kernel refuses it once one exists (EBUSY)
                setInt(fd, AfPacket.PACKET_VNET_HDR, 1, scratch, "setsockopt(PACKET_VNET_HDR, 1, if=" + ifName + ")");
            }
            if (context.qdiscBypass()) {
                setInt(fd, AfPacket.PACKET_QDISC_BYPASS, 1, scratch,
                        "setsockopt(PACKET_QDISC_BYPASS, 1, if=" + ifName + ")");
            }
            if (context.ignoreOutgoing()) {
                setInt(fd, AfPacket.PACKET_IGNORE_OUTGOING, 1, scratch,
                        "setsockopt(PACKET_IGNORE_OUTGOING, 1, if=" + ifName + ")");
            }
            if (tx != null) {
                // before any ring: the kernel refuses PACKET_LOSS once one exists (EBUSY)
                setInt(fd, AfPacket.PACKET_LOSS, 1, scratch, "setsockopt(PACKET_LOSS, 1, if=" + ifName + ")");
            }
            if (rx != null) {
                setRing(fd, AfPacket.PACKET_RX_RING, rx, scratch, "setsockopt(PACKET_RX_RING, " + rx + ", if=" + ifName + ")");
                mappingSize += rx.byteSize();
            }
            if (tx != null) {
                setRing(fd, AfPacket.PACKET_TX_RING, tx, scratch, "setsockopt(PACKET_TX_RING, " + tx + ", if=" + ifName + ")");
                mappingSize += tx.byteSize();
            }
            if (mappingSize > 0) {
                mapping = Libc.mmap(mappingSize, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd, 0,
                        "AF_PACKET rings, if=" + ifName);
            }
            SockaddrLl.writeBind(scratch, context.protocol(), ifIndex);
            Libc.check(Libc.bind(fd, scratch, SockaddrLl.LENGTH), "bind(AF_PACKET, if=" + ifName + ", ifindex="
                    + ifIndex + ", protocol=" + AfPacket.etherTypeName(context.protocol()) + ")");
            if (context.promiscuous()) {
                scratch.asSlice(0, PACKET_MREQ_LENGTH).fill((byte) 0);
                scratch.set(INT, 0, ifIndex);
                scratch.set(SHORT, 4, (short) AfPacket.PACKET_MR_PROMISC);
                Libc.check(Libc.setsockopt(fd, Libc.SOL_PACKET, AfPacket.PACKET_ADD_MEMBERSHIP, scratch,
                        PACKET_MREQ_LENGTH), "setsockopt(PACKET_ADD_MEMBERSHIP, PACKET_MR_PROMISC, if=" + ifName + ")");
            }
            Fanout fanout = context.fanout();
            if (fanout != null) {
                setInt(fd, AfPacket.PACKET_FANOUT, fanout.optionValue(), scratch,
                        "setsockopt(PACKET_FANOUT, " + fanout + ", if=" + ifName + ")");
                if (context.fanoutProgram() != null) {
                    setFanoutProgram(fd, context.fanoutProgram(), ifName);
                }
            }
            return new PacketSocket(fd, context, ifIndex, mtu, arena, scratch, mapping, mappingSize);
        } catch (LinuxException | RuntimeException e) {
            if (mapping != null) {
                Libc.munmap(mapping, mappingSize);
            }
            arena.close();
            Libc.close(fd);
            throw e;
        }
    }

    /**
     * Sets the classic BPF program of this socket's {@link FanoutMode#CBPF} group
     * ({@code PACKET_FANOUT_DATA}): it replaces the group's program for every member at
     * once (the kernel swaps it under RCU), so it may be set again while frames flow.
     * The kernel sends each frame to member {@code return value % members}.
     */
    public void fanoutProgram(BpfProgram program) throws LinuxException {
        if (closed) {
            throw new IllegalStateException("socket on " + interfaceName + " closed");
        }
        setFanoutProgram(fd, program, interfaceName);
    }

    private static void setFanoutProgram(int fd, BpfProgram program, String ifName) throws LinuxException {
        try (Arena call = Arena.ofConfined()) {
            Libc.check(Libc.setsockopt(fd, Libc.SOL_PACKET, AfPacket.PACKET_FANOUT_DATA, program.sockFprog(call),
                    BpfProgram.SOCK_FPROG_LENGTH), "setsockopt(PACKET_FANOUT_DATA, " + program.length()
                    + " instructions, if=" + ifName + ")");
        }
    }

    private static int interfaceIndex(int fd, String ifName, MemorySegment scratch) throws LinuxException {
        MemorySegment ifreq = scratch.asSlice(0, IFREQ_LENGTH);
        ifreq.fill((byte) 0);
        ifreq.setString(0, ifName);
        Libc.check(Libc.ioctl(fd, AfPacket.SIOCGIFINDEX, ifreq), "ioctl(SIOCGIFINDEX, if=" + ifName + ")");
        return ifreq.get(INT, IFREQ_IFINDEX_OFFSET);
    }

    private static int interfaceMtu(int fd, String ifName, MemorySegment scratch) throws LinuxException {
        MemorySegment ifreq = scratch.asSlice(0, IFREQ_LENGTH);
        ifreq.fill((byte) 0);
        ifreq.setString(0, ifName);
        Libc.check(Libc.ioctl(fd, AfPacket.SIOCGIFMTU, ifreq), "ioctl(SIOCGIFMTU, if=" + ifName + ")");
        return ifreq.get(INT, IFREQ_MTU_OFFSET);
    }

    private static void setInt(int fd, int option, int value, MemorySegment scratch, String call)
            throws LinuxException {
        scratch.set(INT, 0, value);
        Libc.check(Libc.setsockopt(fd, Libc.SOL_PACKET, option, scratch, 4), call);
    }

    private static void setRing(int fd, int option, RingGeometry ring, MemorySegment scratch, String call)
            throws LinuxException {
        // struct tpacket_req { unsigned int tp_block_size, tp_block_nr, tp_frame_size, tp_frame_nr; }
        scratch.set(INT, 0, ring.blockSize());
        scratch.set(INT, 4, ring.blockCount());
        scratch.set(INT, 8, ring.frameSize());
        scratch.set(INT, 12, ring.frameCount());
        Libc.check(Libc.setsockopt(fd, Libc.SOL_PACKET, option, scratch, TPACKET_REQ_LENGTH), call);
    }

    /**
     * Sends the first {@code length} bytes of {@code frame}, a whole Ethernet
     * frame, on the bound interface.
     *
     * @param frame a native segment
     * @return the bytes sent, or {@code -errno} ({@code -EAGAIN} when the send buffer is full)
     */
    public int send(MemorySegment frame, int length) {
        requireNative(frame);
        if (length < 0 || length > frame.byteSize()) {
            return -Errno.EINVAL;
        }
        return (int) Libc.sendto(fd, frame, length, 0, MemorySegment.NULL, 0);
    }

    /**
     * Copies the next received frame into {@code buffer} without waiting.
     *
     * @param buffer a native segment
     * @return the frame's length, which is larger than {@code buffer} when the
     *     frame was cut to fit; or {@code -errno}, {@code -EAGAIN} when none is queued
     */
    public int receive(MemorySegment buffer) {
        requireNative(buffer);
        return (int) Libc.recvfrom(fd, buffer, buffer.byteSize(), Libc.MSG_TRUNC, MemorySegment.NULL,
                MemorySegment.NULL);
    }

    private static void requireNative(MemorySegment segment) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("invalid segment: " + segment
                    + " (expected: a native segment, from an Arena or a ring)");
        }
    }

    /**
     * poll(2) on this socket for {@code events} ({@link Libc#POLLIN}, {@link Libc#POLLOUT}),
     * at most {@code timeoutMillis} (-1: no limit). A pending socket error
     * ({@code POLLERR}, such as {@code ENETDOWN} when the interface went down) is
     * read and cleared, so that the next poll waits again; see {@link #lastError()}.
     *
     * @return the returned events, 0 on time-out, or {@code -errno} ({@code -EINTR})
     */
    public int poll(short events, int timeoutMillis) {
        pollFd.set(INT, 0, fd);
        pollFd.set(SHORT, 4, events);
        pollFd.set(SHORT, 6, (short) 0);
        int rc = Libc.poll(pollFd, 1, timeoutMillis);
        if (rc <= 0) {
            return rc;
        }
        int revents = Short.toUnsignedInt(pollFd.get(SHORT, 6));
        if ((revents & Libc.POLLERR) != 0) {
            soError.set(INT, 4, 4);
            if (Libc.getsockopt(fd, Libc.SOL_SOCKET, SO_ERROR, soError, soError.asSlice(4, 4)) == 0
                    && soError.get(INT, 0) != 0) {
                lastError = soError.get(INT, 0);
                errors++;
            }
        }
        return revents;
    }

    /** The last socket error {@link #poll} cleared, as a positive errno, or 0. */
    public int lastError() {
        return lastError;
    }

    /** Socket errors {@link #poll} has cleared so far. */
    public long errors() {
        return errors;
    }

    /** The interface's hardware address, from getsockname(2) of the bound socket. */
    public byte[] macAddress() throws LinuxException {
        scratch.asSlice(0, SockaddrLl.LENGTH).fill((byte) 0);
        MemorySegment len = scratch.asSlice(SCRATCH_SOCKLEN_OFFSET, 4);
        len.set(INT, 0, SockaddrLl.LENGTH);
        Libc.check(Libc.getsockname(fd, scratch, len), "getsockname(AF_PACKET, if=" + interfaceName + ")");
        int halen = Math.min(SockaddrLl.hardwareAddressLength(scratch, 0), SockaddrLl.ADDR_CAPACITY);
        return scratch.asSlice(SockaddrLl.ADDR_OFFSET, halen).toArray(ValueLayout.JAVA_BYTE);
    }

    /** {@link #macAddress()} as {@code 02:00:5e:10:00:01}. */
    public String macAddressString() throws LinuxException {
        return HexFormat.ofDelimiter(":").formatHex(macAddress());
    }

    /** Reads and resets the kernel's counters for this socket. */
    public PacketStatistics statistics() throws LinuxException {
        scratch.set(INT, 0, 0);
        scratch.set(INT, 4, 0);
        MemorySegment len = scratch.asSlice(SCRATCH_SOCKLEN_OFFSET, 4);
        len.set(INT, 0, 8);
        Libc.check(Libc.getsockopt(fd, Libc.SOL_PACKET, AfPacket.PACKET_STATISTICS, scratch, len),
                "getsockopt(PACKET_STATISTICS, if=" + interfaceName + ")");
        return new PacketStatistics(Integer.toUnsignedLong(scratch.get(INT, 0)),
                Integer.toUnsignedLong(scratch.get(INT, 4)));
    }

    /** An {@code int} {@code SOL_PACKET} option's current value, {@code PACKET_QDISC_BYPASS} for example. */
    public int intOption(int option) throws LinuxException {
        scratch.set(INT, 0, 0);
        MemorySegment len = scratch.asSlice(SCRATCH_SOCKLEN_OFFSET, 4);
        len.set(INT, 0, 4);
        Libc.check(Libc.getsockopt(fd, Libc.SOL_PACKET, option, scratch, len),
                "getsockopt(SOL_PACKET, " + option + ", if=" + interfaceName + ")");
        return scratch.get(INT, 0);
    }

    /**
     * The id of the fanout group this socket is in ({@code getsockopt(PACKET_FANOUT)}: the id in
     * the low 16 bits), the one the kernel chose for a {@link Fanout#FLAG_UNIQUEID} group; -1 when
     * the socket is in none.
     */
    public int fanoutGroupId() throws LinuxException {
        return !inFanout ? -1 : intOption(AfPacket.PACKET_FANOUT) & 0xFFFF;
    }

    /** The receive ring; only when the context asked for one. */
    public PacketRxRing rxRing() {
        if (rxRing == null) {
            throw new IllegalStateException("no receive ring on " + this + " (expected: PacketSocketContext.rxRing(...))");
        }
        return rxRing;
    }

    /** The transmit ring; only when the context asked for one. */
    public PacketTxRing txRing() {
        if (txRing == null) {
            throw new IllegalStateException("no transmit ring on " + this + " (expected: PacketSocketContext.txRing(...))");
        }
        return txRing;
    }

    public int fd() {
        return fd;
    }

    public String interfaceName() {
        return interfaceName;
    }

    public int ifIndex() {
        return ifIndex;
    }

    /** The interface's MTU when the socket was opened. */
    public int mtu() {
        return mtu;
    }

    /** The ethertype the socket is bound to; {@link AfPacket#ETH_P_ALL} for all, 0 for none. */
    public int protocol() {
        return protocol;
    }

    /**
     * Closes the socket and unmaps its rings; the rings' frames and segments
     * are unusable afterwards (their accesses throw). Safe to call twice.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        arena.close();
        if (mappingSize > 0) {
            Libc.munmap(MemorySegment.ofAddress(mappingAddress), mappingSize);
        }
        Libc.close(fd);
    }

    @Override
    public String toString() {
        return "PacketSocket(fd=" + fd + ", if=" + interfaceName + ", ifindex=" + ifIndex + ", protocol="
                + AfPacket.etherTypeName(protocol) + ")";
    }
}
