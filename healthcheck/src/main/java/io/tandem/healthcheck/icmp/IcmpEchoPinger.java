package io.tandem.healthcheck.icmp;

import io.tandem.core.linux.Errno;
import io.tandem.core.linux.Libc;
import io.tandem.core.linux.LinuxException;
import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.FailureReason;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends ICMP echo requests (RFC 792) and matches the replies, for every
 * PING_CHECK, on one dedicated poller thread: Netty has no ICMP channel, so
 * this thread owns one non-blocking ICMP socket and an eventfd, and waits in
 * poll(2) for replies, new requests or the next deadline. Callers only queue
 * requests and get a future; nothing blocks them.
 *
 * <p>The socket is Linux's unprivileged "ping socket" (SOCK_DGRAM,
 * IPPROTO_ICMP; allowed by {@code net.ipv4.ping_group_range}), where the
 * kernel owns the identifier and filters replies; when that is refused, a raw
 * ICMP socket (root), which sees all ICMP and so matches the identifier and
 * also reports the destination unreachable errors that quote our requests.
 * The socket lives in the network namespace of the thread calling
 * {@link #open()}. IPv4 only.
 */
public final class IcmpEchoPinger implements AutoCloseable {
    private static final int IPPROTO_ICMP = 1;
    private static final int EFD_NONBLOCK = 0x800;
    private static final int EFD_CLOEXEC = 0x80000;
    private static final int SOCKADDR_IN_LENGTH = 16;
    private static final int RECV_BUFFER = 2048;
    private static final MethodHandle EVENTFD = Libc.errnoCall("eventfd",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final ValueLayout.OfShort BE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final int socket;
    private final int wakeup;
    private final boolean raw;
    private final int identifier;
    private final Queue<Request> incoming = new ConcurrentLinkedQueue<>();
    private final Map<Integer, Request> pending = new HashMap<>();
    private final Thread poller;
    private volatile boolean running = true;
    private int nextSequence;
    private long received;
    private long ignored;

    private record Request(Inet4Address target, long deadlineNanos, CompletableFuture<CheckResult> result) {
    }

    private IcmpEchoPinger(int socket, int wakeup, boolean raw) {
        this.socket = socket;
        this.wakeup = wakeup;
        this.raw = raw;
        this.identifier = ThreadLocalRandom.current().nextInt(1 << 16);
        this.nextSequence = ThreadLocalRandom.current().nextInt(1 << 16);
        this.poller = Thread.ofPlatform().daemon().name("tandem-icmp-poller").unstarted(this::pollLoop);
    }

    /** Opens the socket in the calling thread's network namespace and starts the poller. */
    public static IcmpEchoPinger open() throws LinuxException {
        int type = Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC;
        int fd = Libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM | type, IPPROTO_ICMP);
        boolean raw = false;
        if (fd == -Errno.EACCES || fd == -Errno.EPERM) {
            fd = Libc.check(Libc.socket(Libc.AF_INET, Libc.SOCK_RAW | type, IPPROTO_ICMP),
                    "socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) after the ping socket was refused");
            raw = true;
        } else {
            Libc.check(fd, "socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)");
        }
        int efd;
        try {
            MemorySegment st = Libc.callState();
            efd = Libc.check(Libc.result((int) EVENTFD.invokeExact(st, 0, EFD_NONBLOCK | EFD_CLOEXEC), st),
                    "eventfd(0, EFD_NONBLOCK|EFD_CLOEXEC)");
        } catch (LinuxException | RuntimeException | Error e) {
            Libc.close(fd);
            throw e;
        } catch (Throwable t) {
            Libc.close(fd);
            throw new AssertionError("FFM downcall failed", t);
        }
        IcmpEchoPinger pinger = new IcmpEchoPinger(fd, efd, raw);
        pinger.poller.start();
        return pinger;
    }

    /** True when the kernel refused a ping socket and the raw socket is used. */
    public boolean raw() {
        return raw;
    }

    /** Sends one echo request to {@code target}; the result is a reply, an unreachable, or a timeout. */
    public CompletionStage<CheckResult> ping(InetAddress target, Duration timeout) {
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        if (!(target instanceof Inet4Address v4)) {
            result.complete(CheckResult.failed(FailureReason.CONNECT_ERROR,
                    "cannot ping " + target.getHostAddress() + " (expected: an IPv4 address)"));
            return result;
        }
        if (!running) {
            result.complete(CheckResult.failed(FailureReason.INTERNAL_ERROR, "ICMP pinger closed"));
            return result;
        }
        incoming.add(new Request(v4, System.nanoTime() + timeout.toNanos(), result));
        signal();
        return result;
    }

    private void signal() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = arena.allocate(ValueLayout.JAVA_LONG);
            one.set(ValueLayout.JAVA_LONG, 0, 1L);
            Libc.write(wakeup, one, 8);
        }
    }

    private void pollLoop() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(16, 8);
            MemorySegment buf = arena.allocate(RECV_BUFFER, 8);
            MemorySegment addr = arena.allocate(SOCKADDR_IN_LENGTH, 4);
            MemorySegment addrLen = arena.allocate(ValueLayout.JAVA_INT);
            while (running) {
                Request r;
                while ((r = incoming.poll()) != null) {
                    send(r, buf, addr);
                }
                long now = System.nanoTime();
                expire(now);
                int timeoutMs = nextTimeoutMillis(now);
                fds.set(ValueLayout.JAVA_INT, 0, socket);
                fds.set(ValueLayout.JAVA_SHORT, 4, Libc.POLLIN);
                fds.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
                fds.set(ValueLayout.JAVA_INT, 8, wakeup);
                fds.set(ValueLayout.JAVA_SHORT, 12, Libc.POLLIN);
                fds.set(ValueLayout.JAVA_SHORT, 14, (short) 0);
                int n = Libc.poll(fds, 2, timeoutMs);
                if (n <= 0) {
                    continue;
                }
                if (fds.get(ValueLayout.JAVA_SHORT, 14) != 0) {
                    Libc.read(wakeup, buf, 8);
                }
                if (fds.get(ValueLayout.JAVA_SHORT, 6) != 0) {
                    receiveAll(buf, addr, addrLen);
                }
            }
        } finally {
            failAll("ICMP pinger closed");
        }
    }

    private void send(Request r, MemorySegment buf, MemorySegment addr) {
        int sequence = nextSequence;
        for (int i = 0; i < 65536 && pending.containsKey(sequence); i++) {
            sequence = (sequence + 1) & 0xFFFF;
        }
        nextSequence = (sequence + 1) & 0xFFFF;
        IcmpEcho.writeRequest(buf, identifier, sequence, System.nanoTime());
        writeSockaddr(addr, r.target);
        long rc = Libc.sendto(socket, buf, IcmpEcho.REQUEST_LENGTH, 0, addr, SOCKADDR_IN_LENGTH);
        if (rc < 0) {
            int errno = (int) -rc;
            FailureReason reason = errno == Errno.ENETUNREACH || errno == Errno.EHOSTUNREACH
                    ? FailureReason.UNREACHABLE : FailureReason.CONNECT_ERROR;
            r.result.complete(CheckResult.failed(reason, new LinuxException(
                    "sendto(ICMP echo, " + r.target.getHostAddress() + ")", errno).getMessage()));
            return;
        }
        pending.put(sequence, r);
    }

    private void receiveAll(MemorySegment buf, MemorySegment addr, MemorySegment addrLen) {
        while (true) {
            addrLen.set(ValueLayout.JAVA_INT, 0, SOCKADDR_IN_LENGTH);
            long n = Libc.recvfrom(socket, buf, RECV_BUFFER, Libc.MSG_DONTWAIT, addr, addrLen);
            if (n < 0) {
                return;
            }
            received++;
            if (!match(buf, (int) n, addr.get(ValueLayout.JAVA_INT_UNALIGNED, 4))) {
                ignored++;
            }
        }
    }

    /** Matches one received message to a pending request; false when it is not ours. */
    private boolean match(MemorySegment buf, int length, int sourceRaw) {
        int icmp = 0;
        if (raw) {
            icmp = IcmpEcho.ipv4HeaderLength(buf, 0, length);
            if (icmp < 0) {
                return false;
            }
        }
        if (length - icmp < IcmpEcho.HEADER_LENGTH) {
            return false;
        }
        int type = IcmpEcho.type(buf, icmp);
        if (type == IcmpEcho.TYPE_ECHO_REPLY) {
            if (raw && IcmpEcho.identifier(buf, icmp) != identifier) {
                return false;
            }
            Request r = pending.get(IcmpEcho.sequence(buf, icmp));
            if (r == null || sourceRaw != addressRaw(r.target)) {
                return false;
            }
            pending.remove(IcmpEcho.sequence(buf, icmp));
            return r.result.complete(CheckResult.ok());
        }
        if (raw && (type == IcmpEcho.TYPE_DEST_UNREACHABLE || type == IcmpEcho.TYPE_TIME_EXCEEDED)) {
            int inner = IcmpEcho.quotedEchoRequest(buf, icmp, length);
            if (inner < 0 || IcmpEcho.identifier(buf, inner) != identifier) {
                return false;
            }
            Request r = pending.remove(IcmpEcho.sequence(buf, inner));
            return r != null && r.result.complete(CheckResult.failed(FailureReason.UNREACHABLE, "ICMP type " + type
                    + " code " + IcmpEcho.code(buf, icmp) + " for " + r.target.getHostAddress()));
        }
        return false;
    }

    private void expire(long now) {
        for (Iterator<Request> it = pending.values().iterator(); it.hasNext(); ) {
            Request r = it.next();
            if (now - r.deadlineNanos >= 0) {
                it.remove();
                r.result.complete(CheckResult.failed(FailureReason.TIMEOUT,
                        "no echo reply from " + r.target.getHostAddress() + " in time"));
            }
        }
    }

    private int nextTimeoutMillis(long now) {
        long next = Long.MAX_VALUE;
        for (Request r : pending.values()) {
            next = Math.min(next, r.deadlineNanos - now);
        }
        return next == Long.MAX_VALUE ? -1 : (int) Math.max(1, Math.min(60_000, (next + 999_999) / 1_000_000));
    }

    private static void writeSockaddr(MemorySegment addr, Inet4Address target) {
        addr.fill((byte) 0);
        addr.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_INET);
        addr.set(BE_SHORT, 2, (short) 0);
        addr.set(ValueLayout.JAVA_INT_UNALIGNED, 4, addressRaw(target));
    }

    /** The address as the 4 bytes of a sockaddr_in read in native order. */
    private static int addressRaw(Inet4Address a) {
        return MemorySegment.ofArray(a.getAddress()).get(ValueLayout.JAVA_INT_UNALIGNED, 0);
    }

    private void failAll(String why) {
        pending.values().forEach(r -> r.result.complete(CheckResult.failed(FailureReason.INTERNAL_ERROR, why)));
        pending.clear();
        Request r;
        while ((r = incoming.poll()) != null) {
            r.result.complete(CheckResult.failed(FailureReason.INTERNAL_ERROR, why));
        }
    }

    /** Messages received on the socket, and those that matched no request (other hosts' ICMP, late replies). */
    public long received() {
        return received;
    }

    public long ignored() {
        return ignored;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        signal();
        poller.join();
        Libc.close(socket);
        Libc.close(wakeup);
    }
}
