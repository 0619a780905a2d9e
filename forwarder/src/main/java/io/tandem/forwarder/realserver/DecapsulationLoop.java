package io.tandem.forwarder.realserver;

import io.tandem.core.linux.Errno;
import io.tandem.core.linux.LinuxException;
import io.tandem.core.net.RawIpSocket;
import io.tandem.core.net.ReceivedDatagram;
import io.tandem.core.net.TunDevice;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One thread that moves IP-in-IP packets from a raw socket (IP protocol 4)
 * through an {@link IpipDecapsulator} into a {@link TunDevice}: the kernel
 * delivers each inner packet to the local stack as if it had arrived on the
 * TUN interface. The kernel reassembles fragmented outer packets before the
 * raw socket sees them. Nothing is allocated per packet; what cannot be
 * received or delivered is counted and the loop goes on.
 *
 * <p>The counters belong to the loop's thread: it reports them itself every
 * {@code statsNanos} when they changed, and {@link #summary()} may be read
 * once the thread has ended.
 */
public final class DecapsulationLoop implements Runnable {
    /** The largest IPv4 packet, plus one byte so that a longer one shows as truncated. */
    static final int BUFFER_SIZE = 65536;
    private static final int BATCH = 64;
    private static final int POLL_MILLIS = 100;

    private final RawIpSocket socket;
    private final TunDevice tun;
    private final IpipDecapsulator decapsulator;
    private final LongSupplier nanoClock;
    private final long statsNanos;
    private final Consumer<String> report;
    private final MemorySegment buffer = Arena.ofAuto().allocate(BUFFER_SIZE, 8);
    private final ReceivedDatagram datagram = new ReceivedDatagram();
    private volatile boolean running = true;
    private long received;
    private long receiveErrors;
    private long lastReported;
    private long nextReport;

    public DecapsulationLoop(RawIpSocket socket, TunDevice tun, IpipDecapsulator decapsulator,
            LongSupplier nanoClock, long statsNanos, Consumer<String> report) {
        this.socket = socket;
        this.tun = tun;
        this.decapsulator = decapsulator;
        this.nanoClock = nanoClock;
        this.statsNanos = statsNanos;
        this.report = report;
        this.nextReport = nanoClock.getAsLong() + statsNanos;
    }

    @Override
    public void run() {
        while (running) {
            try {
                if (socket.awaitReadable(POLL_MILLIS)) {
                    drain();
                }
            } catch (LinuxException e) {
                receiveErrors++;
                if (e.errno() == Errno.EBADF || !socket.isOpen()) {
                    return;
                }
            }
            maybeReport();
        }
    }

    /** Receives and delivers up to a batch of packets; returns how many were received. */
    int drain() throws LinuxException {
        int n = 0;
        while (n < BATCH && socket.receive(buffer, datagram)) {
            n++;
            received++;
            if (datagram.truncated()) {
                decapsulator.count(DecapsulationDrop.TRUNCATED);
                continue;
            }
            int length = decapsulator.decapsulate(buffer, 0, datagram.length());
            if (length > 0 && tun.write(buffer, decapsulator.innerOffset(), length) != 0) {
                decapsulator.count(DecapsulationDrop.DELIVERY_FAILED);
            }
        }
        return n;
    }

    private void maybeReport() {
        if (statsNanos <= 0) {
            return;
        }
        long now = nanoClock.getAsLong();
        if (now - nextReport < 0) {
            return;
        }
        nextReport = now + statsNanos;
        if (received != lastReported) {
            lastReported = received;
            report.accept(summary());
        }
    }

    /** Stops {@link #run()} within one poll interval. */
    public void stop() {
        running = false;
    }

    public IpipDecapsulator decapsulator() {
        return decapsulator;
    }

    /** One line: {@code received 10, decapsulated 9 (5400 bytes), receive errors 0, dropped: not_a_vip 1}. */
    public String summary() {
        StringBuilder s = new StringBuilder("decapsulation: received ").append(received)
                .append(", decapsulated ").append(decapsulator.decapsulated())
                .append(" (").append(decapsulator.decapsulatedBytes()).append(" bytes)")
                .append(", receive errors ").append(receiveErrors)
                .append(", socket buffer overflows ").append(RawSocketDrops.of(socket.fd())).append(", dropped:");
        boolean any = false;
        for (DecapsulationDrop d : DecapsulationDrop.values()) {
            long n = decapsulator.dropped(d);
            if (n > 0) {
                s.append(' ').append(d.label()).append(' ').append(n);
                any = true;
            }
        }
        return any ? s.toString() : s.append(" none").toString();
    }
}
