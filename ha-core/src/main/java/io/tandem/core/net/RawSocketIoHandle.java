package io.tandem.core.net;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.tandem.core.linux.LinuxException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Puts a non-blocking {@link RawIpSocket} on a Netty epoll event loop as an
 * {@link EpollIoHandle} (Netty 4.2's I/O handle API), without a channel: when the
 * socket is readable the loop reads it with {@link RawIpSocket#receive}, which
 * reports the TTL / hop limit and packet info from the control messages (Netty's
 * {@link io.netty.channel.epoll.EpollDatagramChannel} reads with recvmsg(2) too but does
 * not surface them, and an IPv6 raw socket's hop limit is known from them only), into one
 * preallocated buffer, and hands each datagram to a {@link Receiver} on the loop's thread.
 * Nothing is allocated per datagram.
 *
 * <p>One datagram is read per readiness event. The registration is level-triggered, so
 * the next one comes on the loop's next turn, for the price of the epoll_wait(2) that
 * finds it ready; reading on until EAGAIN would instead cost every datagram of a socket
 * that receives now and then (VRRP's 100 a second) a second recvmsg(2) that finds
 * nothing. A failing recvmsg(2) is counted and handed to the {@link Receiver}, never
 * thrown into the loop. Sends go through {@link #socket()} from the same thread.
 */
public final class RawSocketIoHandle implements EpollIoHandle {
    /** The receive buffer: room for the largest IPv4 or IPv6 datagram. */
    public static final int BUFFER_SIZE = 65535;

    /** Told about each datagram, on the event loop. */
    public interface Receiver {
        /**
         * @param buffer   the datagram's bytes from offset 0 (the IPv4 header first, see
         *                 {@link ReceivedDatagram#payloadOffset()}); valid only during the call
         * @param datagram its length, sender, hop limit and packet info; reused for the next one
         */
        void received(MemorySegment buffer, ReceivedDatagram datagram);

        /** recvmsg(2) failed with something other than EAGAIN / EINTR. */
        default void receiveFailed(LinuxException e) {
        }
    }

    private final RawIpSocket socket;
    private final FileDescriptor fd;
    private final Receiver receiver;
    private final MemorySegment buffer = Arena.ofAuto().allocate(BUFFER_SIZE, 8);
    private final ReceivedDatagram datagram = new ReceivedDatagram();
    private volatile IoRegistration registration;
    private long receiveErrors;

    private RawSocketIoHandle(RawIpSocket socket, Receiver receiver) {
        if (!socket.isNonBlocking()) {
            throw new IllegalArgumentException("blocking socket: " + socket
                    + " (expected: one from RawIpSocket.openNonBlocking, epoll needs O_NONBLOCK)");
        }
        this.socket = socket;
        this.fd = new FileDescriptor(socket.fd());
        this.receiver = Objects.requireNonNull(receiver, "receiver");
    }

    /**
     * Registers {@code socket} on {@code loop} for reading; waits for the registration.
     * The handle owns the socket from then on: {@link #close()} (or the loop's shutdown)
     * closes it.
     */
    public static RawSocketIoHandle register(IoEventLoop loop, RawIpSocket socket, Receiver receiver)
            throws LinuxException, InterruptedException {
        RawSocketIoHandle handle = new RawSocketIoHandle(socket, receiver);
        var future = loop.register(handle).await();
        if (!future.isSuccess()) {
            throw new IllegalStateException("could not register " + socket + " on " + loop, future.cause());
        }
        IoRegistration registered = future.getNow();
        try {
            loop.submit(() -> {
                registered.submit(EpollIoOps.EPOLLIN);
                return null;
            }).sync();
        } catch (RuntimeException e) {
            registered.cancel();
            throw e;
        }
        handle.registration = registered;
        return handle;
    }

    public RawIpSocket socket() {
        return socket;
    }

    /** recvmsg(2) calls that failed. Read on the loop. */
    public long receiveErrors() {
        return receiveErrors;
    }

    @Override
    public FileDescriptor fd() {
        return fd;
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        EpollIoOps ops = ((EpollIoEvent) event).ops();
        if (!ops.contains(EpollIoOps.EPOLLIN) && !ops.contains(EpollIoOps.EPOLLERR)) {
            return;
        }
        try {
            if (!socket.receive(buffer, datagram)) {
                return;
            }
        } catch (LinuxException e) {
            receiveErrors++;
            receiver.receiveFailed(e);
            return;
        }
        receiver.received(buffer, datagram);
    }

    /** Takes the socket off the loop and closes it; call on the loop or after it stopped. Idempotent. */
    @Override
    public void close() throws LinuxException {
        if (registration != null && registration.isValid()) {
            registration.cancel();
        }
        socket.close();
    }

    @Override
    public String toString() {
        return "RawSocketIoHandle[" + socket + "]";
    }
}
