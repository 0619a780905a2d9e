package io.tandem.core.netlink;

import io.tandem.core.linux.Errno;
import io.tandem.core.linux.Libc;
import io.tandem.core.linux.LinuxException;
import io.tandem.core.netlink.NetlinkEvent.EventsLost;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.ProtocolException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Link, address and neighbour events from the rtnetlink multicast groups
 * (rtnetlink(7)), delivered as {@link NetlinkEvent}s. Either {@link #start}
 * a thread of its own, or call {@link #poll} from one thread. {@link #close}
 * wakes and stops either cleanly. Open it in the network namespace to watch:
 * its sockets stay there.
 */
public final class RtNetlinkEvents implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RtNetlinkEvents.class);

    private enum State { OPEN, STARTED, CLOSED }

    private final NetlinkSocket socket;
    private final RtNetlink requests;
    private final EventFd wakeup;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment pollFds = arena.allocate(16, 4);
    private final ReentrantLock pollLock = new ReentrantLock();
    private final MessageCursor cursor = new MessageCursor();
    private final EventDecoder decoder = new EventDecoder();
    private final boolean watchesLinks;
    private volatile State state = State.OPEN;
    private volatile long malformed;
    private Thread thread;

    private RtNetlinkEvents(NetlinkSocket socket, RtNetlink requests, EventFd wakeup, boolean watchesLinks) {
        this.socket = socket;
        this.requests = requests;
        this.wakeup = wakeup;
        this.watchesLinks = watchesLinks;
    }

    /** Subscribes to links, IPv4 and IPv6 addresses and neighbours. */
    public static RtNetlinkEvents open() throws IOException {
        return open(Set.of(RtnlGroup.LINK, RtnlGroup.IPV4_IFADDR, RtnlGroup.IPV6_IFADDR, RtnlGroup.NEIGH));
    }

    /**
     * Subscribes to {@code groups} in the calling thread's network namespace.
     * With {@link RtnlGroup#LINK}, the current links are read after joining, so
     * that the first change of each is reported as up or down correctly.
     */
    public static RtNetlinkEvents open(Set<RtnlGroup> groups) throws IOException {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("no rtnetlink group to watch (expected: at least one)");
        }
        NetlinkSocket socket = NetlinkSocket.open(groups.stream().mapToInt(RtnlGroup::number).toArray());
        RtNetlink requests = null;
        EventFd wakeup = null;
        try {
            requests = RtNetlink.open();
            wakeup = new EventFd();
            RtNetlinkEvents events = new RtNetlinkEvents(socket, requests, wakeup, groups.contains(RtnlGroup.LINK));
            if (events.watchesLinks) {
                events.decoder.seed(requests.listLinks());
            }
            return events;
        } catch (IOException | RuntimeException e) {
            socket.close();
            if (requests != null) {
                requests.close();
            }
            if (wakeup != null) {
                wakeup.close();
            }
            throw e;
        }
    }

    /** Starts a daemon thread that delivers every event to {@code listener} until {@link #close}. */
    public synchronized void start(NetlinkListener listener) {
        if (state != State.OPEN) {
            throw new IllegalStateException("rtnetlink events already " + state.name().toLowerCase()
                    + " (expected: open, not yet started)");
        }
        state = State.STARTED;
        thread = Thread.ofPlatform().daemon().name("rtnetlink-events").start(() -> run(listener));
    }

    private void run(NetlinkListener listener) {
        while (state == State.STARTED) {
            try {
                poll(-1, listener);
            } catch (IOException | RuntimeException e) {
                if (state == State.STARTED) {
                    LOG.error("rtnetlink events: {}", e.getMessage(), e);
                }
            }
        }
    }

    /**
     * Waits up to {@code timeout} for events and delivers those that arrived.
     *
     * @return the number of events delivered; 0 on timeout or when closed
     */
    public int poll(Duration timeout, NetlinkListener listener) throws IOException {
        return poll((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()), listener);
    }

    private int poll(int timeoutMillis, NetlinkListener listener) throws IOException {
        if (!pollLock.tryLock()) {
            throw new IllegalStateException("rtnetlink events are already polled by another thread");
        }
        try {
            if (state == State.CLOSED) {
                return 0;
            }
            setPollFd(0, socket.fd());
            setPollFd(8, wakeup.fd());
            int ready = Libc.poll(pollFds, 2, timeoutMillis);
            if (ready == -Errno.EINTR || ready == 0) {
                return 0;
            }
            Libc.check(ready, "poll(AF_NETLINK events)");
            if (state == State.CLOSED || pollFds.get(ValueLayout.JAVA_SHORT, 14) != 0) {
                return 0;
            }
            return drain(listener);
        } finally {
            pollLock.unlock();
        }
    }

    private void setPollFd(long at, int fd) {
        pollFds.set(ValueLayout.JAVA_INT, at, fd);
        pollFds.set(ValueLayout.JAVA_SHORT, at + 4, Libc.POLLIN);
        pollFds.set(ValueLayout.JAVA_SHORT, at + 6, (short) 0);
    }

    private int drain(NetlinkListener listener) throws IOException {
        int delivered = 0;
        while (state != State.CLOSED) {
            long received = socket.receiveNow();
            if (received == -Errno.EAGAIN || received == -Errno.EINTR) {
                return delivered;
            }
            if (received == -Errno.ENOBUFS) {
                delivered += resynchronise(listener);
                continue;
            }
            if (received < 0) {
                throw new LinuxException("recvfrom(AF_NETLINK events)", (int) -received);
            }
            cursor.wrap(socket.receiveBuffer(), received);
            try {
                while (state != State.CLOSED && cursor.next()) {
                    NetlinkEvent event = decoder.decode(cursor);
                    if (event != null) {
                        deliver(listener, event);
                        delivered++;
                    }
                }
            } catch (ProtocolException e) {
                malformed++;
                LOG.warn("rtnetlink events: malformed message skipped: {}", e.getMessage());
            }
        }
        return delivered;
    }

    /** After ENOBUFS: reads the links again, reports what changed unseen, then {@link EventsLost}. */
    private int resynchronise(NetlinkListener listener) throws IOException {
        List<NetlinkEvent> missed = watchesLinks ? decoder.resynchronise(requests.listLinks()) : List.of();
        missed.forEach(event -> deliver(listener, event));
        deliver(listener, new EventsLost());
        return missed.size() + 1;
    }

    private static void deliver(NetlinkListener listener, NetlinkEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.error("rtnetlink event listener failed on {}", event, e);
        }
    }

    /** Messages that could not be parsed and were skipped. */
    public long malformed() {
        return malformed;
    }

    /** Stops the thread (or a blocked {@link #poll}) and closes the sockets. Safe to call twice. */
    @Override
    public void close() throws IOException {
        Thread running;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            running = thread;
        }
        wakeup.signal();
        if (running != null && running != Thread.currentThread()) {
            try {
                running.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pollLock.lock();
        try {
            socket.close();
            requests.close();
            wakeup.close();
            arena.close();
        } finally {
            pollLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "rtnetlink events (port " + socket.portId() + ", " + state + ")";
    }
}
