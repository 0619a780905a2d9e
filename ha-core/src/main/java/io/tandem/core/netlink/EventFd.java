package io.tandem.core.netlink;

import io.tandem.core.linux.Libc;
import io.tandem.core.linux.LinuxException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** An eventfd(2) that wakes a thread blocked in poll(2), so that it can stop. */
final class EventFd implements AutoCloseable {
    private static final int EFD_CLOEXEC = 0x80000;
    private static final int EFD_NONBLOCK = 0x800;
    private static final MethodHandle EVENTFD = Libc.errnoCall("eventfd",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment counter = arena.allocate(ValueLayout.JAVA_LONG);

    EventFd() throws LinuxException {
        MemorySegment state = Libc.callState();
        int rc;
        try {
            rc = (int) EVENTFD.invokeExact(state, 0, EFD_CLOEXEC | EFD_NONBLOCK);
        } catch (Throwable t) {
            arena.close();
            throw new AssertionError("FFM downcall failed", t);
        }
        int result = Libc.result(rc, state);
        if (result < 0) {
            arena.close();
        }
        fd = Libc.check(result, "eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)");
    }

    int fd() {
        return fd;
    }

    /** Makes the descriptor readable, waking any poll on it. */
    synchronized void signal() throws LinuxException {
        counter.set(ValueLayout.JAVA_LONG, 0, 1L);
        Libc.check(Libc.write(fd, counter, 8), "write(eventfd " + fd + ")");
    }

    @Override
    public synchronized void close() {
        Libc.close(fd);
        arena.close();
    }
}
