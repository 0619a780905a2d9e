package io.tandem.core.netlink;

import io.tandem.core.linux.Errno;
import io.tandem.core.linux.Libc;
import io.tandem.core.linux.LinuxException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.ProtocolException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * An AF_NETLINK socket of the NETLINK_ROUTE family (netlink(7), rtnetlink(7)).
 * It sends one request at a time, numbered by sequence, and collects its reply:
 * every part of a multipart dump up to NLMSG_DONE, or the NLMSG_ERROR that
 * acknowledges a change. Errors become {@link NetlinkException}s naming the
 * operation. A socket joined to multicast groups also receives events, read
 * with {@link #receiveNow()}.
 *
 * <p>The socket belongs to the network namespace of the thread that opened it.
 */
public final class NetlinkSocket implements AutoCloseable {
    static final int SEND_BUFFER_SIZE = 16 * 1024;
    /** The kernel sends dump datagrams of at most 32 KiB; 64 KiB leaves room. */
    static final int RECEIVE_BUFFER_SIZE = 64 * 1024;
    private static final int EVENT_SOCKET_BUFFER = 1024 * 1024;
    private static final int SOCKADDR_NL_SIZE = 12;
    private static final int REPLY_TIMEOUT_MILLIS = 10_000;

    private final int fd;
    private final int portId;
    private final Arena arena;
    private final MemorySegment receiveBuffer;
    private final MemorySegment pollFd;
    private final MessageBuilder builder;
    private int seq;
    private boolean closed;

    private NetlinkSocket(int fd, int portId, Arena arena) {
        this.fd = fd;
        this.portId = portId;
        this.arena = arena;
        this.receiveBuffer = arena.allocate(RECEIVE_BUFFER_SIZE, 8);
        this.pollFd = arena.allocate(8, 4);
        this.builder = new MessageBuilder(arena.allocate(SEND_BUFFER_SIZE, 8));
    }

    /** Opens a NETLINK_ROUTE socket for requests, joined to no multicast group. */
    public static NetlinkSocket open() throws LinuxException {
        return open(new int[0]);
    }

    /**
     * Opens a NETLINK_ROUTE socket joined to the multicast {@code groups}
     * (RTNLGRP_* numbers, see {@link RtnlGroup}), with a receive buffer large
     * enough for bursts of events.
     */
    public static NetlinkSocket open(int... groups) throws LinuxException {
        int fd = Libc.check(Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Netlink.NETLINK_ROUTE),
                "socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)");
        Arena arena = Arena.ofShared();
        try {
            MemorySegment one = arena.allocateFrom(ValueLayout.JAVA_INT, 1);
            // Extended acknowledgements only add the kernel's error text; kernels without them still work.
            Libc.setsockopt(fd, Libc.SOL_NETLINK, Netlink.NETLINK_EXT_ACK, one, 4);
            Libc.setsockopt(fd, Libc.SOL_NETLINK, Netlink.NETLINK_CAP_ACK, one, 4);
            MemorySegment address = arena.allocate(SOCKADDR_NL_SIZE, 4);
            address.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_NETLINK);
            Libc.check(Libc.bind(fd, address, SOCKADDR_NL_SIZE), "bind(AF_NETLINK, NETLINK_ROUTE)");
            MemorySegment length = arena.allocateFrom(ValueLayout.JAVA_INT, SOCKADDR_NL_SIZE);
            Libc.check(Libc.getsockname(fd, address, length), "getsockname(AF_NETLINK)");
            int portId = address.get(ValueLayout.JAVA_INT, 4);
            if (groups.length > 0) {
                MemorySegment size = arena.allocateFrom(ValueLayout.JAVA_INT, EVENT_SOCKET_BUFFER);
                Libc.check(Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, size, 4),
                        "setsockopt(AF_NETLINK, SO_RCVBUF, " + EVENT_SOCKET_BUFFER + ")");
            }
            for (int group : groups) {
                MemorySegment value = arena.allocateFrom(ValueLayout.JAVA_INT, group);
                Libc.check(Libc.setsockopt(fd, Libc.SOL_NETLINK, Netlink.NETLINK_ADD_MEMBERSHIP, value, 4),
                        "setsockopt(AF_NETLINK, NETLINK_ADD_MEMBERSHIP, " + RtnlGroup.name(group) + ")");
            }
            return new NetlinkSocket(fd, portId, arena);
        } catch (LinuxException | RuntimeException e) {
            Libc.close(fd);
            arena.close();
            throw e;
        }
    }

    public int fd() {
        return fd;
    }

    /** The port id the kernel assigned to this socket (nl_pid). */
    public int portId() {
        return portId;
    }

    /**
     * Sends a dump request ({@code NLM_F_REQUEST | NLM_F_DUMP}) and hands every
     * message of the multipart reply to {@code handler}, up to NLMSG_DONE.
     *
     * @return false when the kernel flagged the dump inconsistent (NLM_F_DUMP_INTR): the
     *     table changed while it was read and the caller should dump again
     */
    public synchronized boolean dump(int type, Consumer<MessageBuilder> body, Supplier<String> call,
            ReplyHandler handler) throws IOException {
        return exchange(type, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP, true, false, body, call, handler);
    }

    /**
     * Sends a request with {@code flags | NLM_F_REQUEST | NLM_F_ACK}, hands any
     * reply message to {@code handler}, and returns once the kernel acknowledged it.
     *
     * @throws NetlinkException when the kernel answered with an error, named by {@code call}
     */
    public synchronized void execute(int type, int flags, Consumer<MessageBuilder> body, Supplier<String> call,
            ReplyHandler handler) throws IOException {
        exchange(type, flags | Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, false, true, body, call, handler);
    }

    /**
     * Builds the request {@link #execute} would send, and sends nothing: a latency-critical
     * caller runs its code once ahead of time, so that the real request does not wait for
     * class loading and linking.
     */
    public synchronized int rehearse(int type, int flags, Consumer<MessageBuilder> body) {
        ensureOpen();
        builder.begin(type, flags | Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK);
        body.accept(builder);
        return builder.finish(0, 0);
    }

    private boolean exchange(int type, int flags, boolean dump, boolean ack, Consumer<MessageBuilder> body,
            Supplier<String> call, ReplyHandler handler) throws IOException {
        ensureOpen();
        seq = seq == Integer.MAX_VALUE ? 1 : seq + 1;
        builder.begin(type, flags);
        body.accept(builder);
        int length = builder.finish(seq, 0);
        long sent = Libc.sendto(fd, builder.buffer(), length, 0, MemorySegment.NULL, 0);
        if (sent < 0) {
            throw new LinuxException("sendto(AF_NETLINK, " + call.get() + ")", (int) -sent);
        }
        PendingReply reply = new PendingReply(seq, dump, ack, call, handler);
        long deadline = System.nanoTime() + REPLY_TIMEOUT_MILLIS * 1_000_000L;
        while (!reply.complete()) {
            int waitMillis = (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
            if (!awaitReadable(waitMillis)) {
                throw new LinuxException(call.get() + " (no reply within " + REPLY_TIMEOUT_MILLIS + " ms)",
                        Errno.ETIMEDOUT);
            }
            long received = receiveNow();
            if (received == -Errno.EAGAIN || received == -Errno.EINTR) {
                continue;
            }
            if (received < 0) {
                throw new LinuxException("recvfrom(AF_NETLINK, " + call.get() + ")", (int) -received);
            }
            reply.accept(receiveBuffer, received);
        }
        return !reply.interrupted();
    }

    /** Waits up to {@code timeoutMillis} for a datagram; false on timeout. */
    public boolean awaitReadable(int timeoutMillis) throws LinuxException {
        pollFd.set(ValueLayout.JAVA_INT, 0, fd);
        pollFd.set(ValueLayout.JAVA_SHORT, 4, Libc.POLLIN);
        pollFd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
        int ready = Libc.poll(pollFd, 1, timeoutMillis);
        if (ready == -Errno.EINTR) {
            return false;
        }
        return Libc.check(ready, "poll(AF_NETLINK)") > 0;
    }

    /**
     * Reads one datagram into {@link #receiveBuffer()} without blocking.
     *
     * @return its length, or {@code -errno}: {@code -EAGAIN} when nothing is
     *     waiting, {@code -ENOBUFS} when the kernel dropped events because the
     *     socket buffer was full
     * @throws ProtocolException when the datagram did not fit the buffer
     */
    public long receiveNow() throws ProtocolException {
        long received = Libc.recvfrom(fd, receiveBuffer, RECEIVE_BUFFER_SIZE, Libc.MSG_DONTWAIT | Libc.MSG_TRUNC,
                MemorySegment.NULL, MemorySegment.NULL);
        if (received > RECEIVE_BUFFER_SIZE) {
            throw new ProtocolException("netlink datagram of " + received + " bytes truncated (expected: at most "
                    + RECEIVE_BUFFER_SIZE + ")");
        }
        return received;
    }

    /** The buffer {@link #receiveNow()} fills; valid until the next receive. */
    public MemorySegment receiveBuffer() {
        return receiveBuffer;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("netlink socket closed (fd " + fd + ")");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
            arena.close();
        }
    }
}
