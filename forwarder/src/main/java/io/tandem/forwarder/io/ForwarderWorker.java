package io.tandem.forwarder.io;

import io.tandem.core.afpacket.AfPacket;
import io.tandem.core.afpacket.PacketRxRing;
import io.tandem.core.afpacket.PacketSocket;
import io.tandem.core.afpacket.PacketTxRing;
import io.tandem.core.afpacket.RxFrame;
import io.tandem.core.afpacket.Tpacket2Header;
import io.tandem.core.afpacket.TxFrame;
import io.tandem.core.afpacket.VirtioNetHeader;
import io.tandem.forwarder.conn.ConnectionTable;
import io.tandem.forwarder.path.DropReason;
import io.tandem.forwarder.path.PacketForwarder;
import io.tandem.forwarder.path.TcpSegmenter;
import io.tandem.forwarder.sync.WorkerSync;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One forwarding thread (an Agrona-style agent): it owns an AF_PACKET socket
 * with a receive and a transmit ring, a {@link PacketForwarder} and its
 * connection table. {@link #doWork()} drains the control commands, takes a
 * batch of received frames, sends what the forwarder wrote with one kick per
 * batch, and sweeps a few connection entries for expiry; it reads the clock
 * once per cycle. Other threads change its state only through {@link #execute}.
 *
 * <p>The socket is a tap: the kernel keeps its own copy of every frame, and
 * the steering rules drop the copies of the frames the forwarder carries. So
 * a frame the forwarder leaves alone ({@link PacketForwarder#PASS}) needs no
 * re-injection.
 *
 * <p>A frame larger than the link's MTU (a GRO aggregate, or a veth
 * neighbour's TSO frame) goes out whole when the socket has virtio-net
 * headers ({@code PACKET_VNET_HDR}): rewritten once, its transport checksum
 * left partial, and described as a TCP GSO super-frame of the received
 * segment size, which the kernel (or the device) segments, or a veth hands on
 * whole. Otherwise, and for TUN (the kernel cannot segment what the director
 * encapsulated), a {@link TcpSegmenter} cuts it into segments that fit, each
 * carried on its own. A frame that fits the MTU leaves with a complete
 * checksum (a local sender's partial one is completed here), as it would on a
 * wire and as a capture on the real server shows it. A frame the receive ring truncated is
 * counted ({@link DropReason#TRUNCATED}), never forwarded in part.
 */
public final class ForwarderWorker implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ForwarderWorker.class);
    /** Frames taken per cycle before the transmit ring is kicked. */
    public static final int BATCH = 64;
    /** Connection entries swept for expiry per cycle. */
    public static final int EXPIRE_BUDGET = 256;
    private static final int ETHERNET_HEADER = 14;

    private final PacketSocket socket;
    private final PacketForwarder forwarder;
    private final ConnectionTable table;
    private final LongSupplier nanoClock;
    private final WorkerSync sync;
    private final Queue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final TcpSegmenter segmenter;
    /** Where one segment of a cut frame is written before the forwarder rewrites it into a transmit frame. */
    private final MemorySegment segmentBuffer;
    private final int maxFrame;
    private volatile boolean running = true;

    private long received;
    private long transmitted;
    private long passed;
    private long dropped;
    private long transmitRingFull;
    private long segmented;
    private long offloaded;

    public ForwarderWorker(PacketSocket socket, PacketForwarder forwarder, ConnectionTable table,
            LongSupplier nanoClock) {
        this(socket, forwarder, table, nanoClock, null);
    }

    /** @param sync connection sync's worker side, run every cycle (null: no sync) */
    public ForwarderWorker(PacketSocket socket, PacketForwarder forwarder, ConnectionTable table,
            LongSupplier nanoClock, WorkerSync sync) {
        this.sync = sync;
        if (socket.rxRing() == null || socket.txRing() == null) {
            throw new IllegalArgumentException("forwarder socket " + socket + " needs a receive and a transmit ring");
        }
        this.socket = socket;
        this.forwarder = forwarder;
        this.table = table;
        this.nanoClock = nanoClock;
        this.maxFrame = ETHERNET_HEADER + forwarder.mtu();
        // TUN adds an outer IPv4 header to each segment: keep room for it
        this.segmenter = new TcpSegmenter(forwarder.mtu(), PacketForwarder.IPIP_HEADER);
        this.segmentBuffer = Arena.ofAuto().allocate(maxFrame, 64);
    }

    /** Runs {@code command} on the worker thread at the start of its next cycle. */
    public void execute(Runnable command) {
        commands.add(command);
    }

    /** One cycle; returns how much work it did (0: idle). */
    public int doWork() {
        int work = 0;
        for (Runnable command; (command = commands.poll()) != null; work++) {
            command.run();
        }
        long now = nanoClock.getAsLong();
        PacketRxRing rx = socket.rxRing();
        PacketTxRing tx = socket.txRing();
        for (int n = 0; n < BATCH; n++) {
            RxFrame frame = rx.next();
            if (frame == null) {
                break;
            }
            work++;
            received++;
            try {
                handle(frame, tx, now);
            } catch (RuntimeException e) {
                internalError(e);
            } finally {
                frame.release();
            }
        }
        if (tx.pending() > 0) {
            tx.flush();
        }
        if (sync != null) {
            work += sync.doWork(now);
        }
        return work + table.expire(now, EXPIRE_BUDGET);
    }

    /** One received frame: passed, dropped, cut into segments or rewritten into a transmit frame. */
    private void handle(RxFrame frame, PacketTxRing tx, long now) {
        if (frame.packetType() != AfPacket.PACKET_HOST || frame.hasVlan()) {
            passed++;
            return;
        }
        if (frame.isTruncated()) {
            forwarder.countDrop(DropReason.TRUNCATED);
            dropped++;
            return;
        }
        boolean offload = tx.hasVnetHeader();
        boolean superFrame = frame.length() > maxFrame;
        if (superFrame && !(offload && (frame.gsoType() & ~VirtioNetHeader.GSO_ECN) == VirtioNetHeader.GSO_TCPV4)) {
            forwardSegments(frame, tx, now);
            return;
        }
        TxFrame out = claim(tx);
        if (out == null) {
            return;
        }
        boolean partial = superFrame || (frame.status() & Tpacket2Header.TP_STATUS_CSUMNOTREADY) != 0
                || (frame.vnetFlags() & VirtioNetHeader.F_NEEDS_CSUM) != 0;
        // only a super-frame keeps its checksum partial: a frame that fits leaves complete, as on a wire
        int flags = (partial ? PacketForwarder.PARTIAL_CHECKSUM : 0)
                | (superFrame ? PacketForwarder.SUPER_FRAME | PacketForwarder.KEEP_PARTIAL : 0);
        int length = forwarder.process(frame.data(), 0, frame.length(), flags, out.data(), 0, out.capacity(), now);
        if (length == PacketForwarder.SEGMENT_FIRST) {
            forwardSegments(frame, tx, now);
            return;
        }
        if (length > 0 && forwarder.leftPartial()) {
            describe(out, frame.gsoType(), frame.gsoSize());
            offloaded++;
        }
        count(length, out);
    }

    /**
     * Tells the kernel to complete the transport checksum the forwarder left partial (from the
     * transport header to the end, stored at the checksum field) and, for a super-frame, to segment it.
     */
    private static void describe(TxFrame out, int gsoType, int gsoSize) {
        MemorySegment data = out.data();
        int transport = ETHERNET_HEADER + (data.get(ValueLayout.JAVA_BYTE, ETHERNET_HEADER) & 0x0F) * 4;
        boolean tcp = data.get(ValueLayout.JAVA_BYTE, ETHERNET_HEADER + 9) == 6;
        int headers = transport + (tcp
                ? ((data.get(ValueLayout.JAVA_BYTE, transport + 12) >> 4) & 0x0F) * 4 : 8);
        out.describe(VirtioNetHeader.F_NEEDS_CSUM, gsoType, headers, gsoSize, transport, tcp ? 16 : 6);
    }

    /**
     * A bug met while handling a frame: the frame is dropped and counted, the loop goes on (an
     * uncommitted transmit frame is simply claimed again). Logged at the 1st, 2nd, 4th, 8th ... time.
     */
    private void internalError(RuntimeException e) {
        forwarder.countDrop(DropReason.INTERNAL_ERROR);
        dropped++;
        long n = forwarder.dropped(DropReason.INTERNAL_ERROR);
        if (Long.bitCount(n) == 1) {
            LOG.error("forwarder: a frame raised {} (dropped; {} so far)", e, n, e);
        }
    }

    /** A transmit frame, kicking the ring once if it is full; null (counted) when it stays full. */
    private TxFrame claim(PacketTxRing tx) {
        TxFrame out = tx.claim();
        if (out == null) {
            tx.flush();
            out = tx.claim();
        }
        if (out == null) {
            transmitRingFull++;
        }
        return out;
    }

    /** Counts what the forwarder did with a frame and commits the transmit frame it wrote. */
    private boolean count(int length, TxFrame out) {
        if (length > 0) {
            out.commit(length);
            transmitted++;
            return true;
        }
        if (length == PacketForwarder.PASS) {
            passed++;
        } else {
            dropped++;
        }
        return false;
    }

    /**
     * A frame larger than the MTU: cut into segments that fit, each processed as a frame of its own
     * (with a complete checksum). When the first segment is not the forwarder's, the whole frame is
     * the kernel's.
     */
    private void forwardSegments(RxFrame frame, PacketTxRing tx, long now) {
        int count = segmenter.begin(frame.data(), 0, frame.length());
        if (count == 0) {
            forwarder.countDrop(DropReason.OVERSIZE);
            dropped++;
            return;
        }
        segmented++;
        for (int i = 0; i < count; i++) {
            int length = segmenter.write(i, segmentBuffer, 0, (int) segmentBuffer.byteSize());
            TxFrame out = claim(tx);
            if (out == null) {
                return;
            }
            int result = forwarder.process(segmentBuffer, 0, length, false, out.data(), 0, out.capacity(), now);
            if (!count(result, out) && result == PacketForwarder.PASS) {
                return;
            }
        }
    }

    @Override
    public void run() {
        PacketRxRing rx = socket.rxRing();
        long failures = 0;
        while (running) {
            try {
                if (doWork() == 0) {
                    rx.await(1);
                }
            } catch (RuntimeException e) {
                // a command, the sync or the expiry raised (a frame's own failure is handled in doWork):
                // the worker keeps polling rather than leave the VIPs' traffic stranded
                if (Long.bitCount(++failures) == 1) {
                    LOG.error("forwarder worker: {} ({} so far); polling on", e, failures, e);
                }
            }
        }
    }

    /** Stops {@link #run()} after its current cycle. */
    public void stop() {
        running = false;
    }

    public PacketForwarder forwarder() {
        return forwarder;
    }

    public long received() {
        return received;
    }

    public long transmitted() {
        return transmitted;
    }

    public long passed() {
        return passed;
    }

    public long dropped() {
        return dropped;
    }

    /** Frames larger than the MTU that were cut into segments. */
    public long segmented() {
        return segmented;
    }

    /** Frames larger than the MTU sent whole, for the kernel to segment. */
    public long offloaded() {
        return offloaded;
    }

    public long transmitRingFull() {
        return transmitRingFull;
    }

    /**
     * Kicks of the transmit ring the kernel refused ({@code sendto} failed, e.g. {@code ENOBUFS} when the
     * socket's send buffer is full of frames still queued on the interface); their frames go with the next.
     */
    public long transmitKickFailures() {
        return socket.txRing().kickFailures();
    }

    @Override
    public void close() {
        stop();
        socket.close();
    }
}
