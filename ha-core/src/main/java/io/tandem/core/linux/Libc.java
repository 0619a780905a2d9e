package io.tandem.core.linux;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The C library calls Tandem needs, bound once through the FFM API.
 *
 * <p>Every binding returns the kernel's convention: a non-negative result, or
 * {@code -errno} on failure (errno is captured by the linker, so nothing is
 * lost between the call and the check). Nothing here allocates, so the
 * forwarder's hot path can call {@link #sendto} and {@link #recvfrom} per
 * packet. Control-path callers turn failures into a {@link LinuxException}
 * naming the call with {@link #check(int, String)}.
 */
public final class Libc {
    public static final int AF_UNSPEC = 0;
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int AF_NETLINK = 16;
    public static final int AF_PACKET = 17;

    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;

    public static final int SOL_SOCKET = 1;
    public static final int SOL_IP = 0;
    public static final int SOL_IPV6 = 41;
    public static final int SOL_PACKET = 263;
    public static final int SOL_NETLINK = 270;

    public static final int SO_REUSEADDR = 2;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_BINDTODEVICE = 25;
    public static final int SO_ATTACH_FILTER = 26;
    public static final int SO_RCVBUFFORCE = 33;

    public static final int MSG_DONTWAIT = 0x40;
    public static final int MSG_TRUNC = 0x20;

    public static final short POLLIN = 0x1;
    public static final short POLLOUT = 0x4;
    public static final short POLLERR = 0x8;

    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_LOCKED = 0x2000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ThreadLocal<MemorySegment> STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CALL_STATE));

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final AddressLayout PTR = ValueLayout.ADDRESS;

    private static final MethodHandle SOCKET = errnoCall("socket", FunctionDescriptor.of(INT, INT, INT, INT));
    private static final MethodHandle CLOSE = errnoCall("close", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle BIND = errnoCall("bind", FunctionDescriptor.of(INT, INT, PTR, INT));
    private static final MethodHandle CONNECT = errnoCall("connect", FunctionDescriptor.of(INT, INT, PTR, INT));
    private static final MethodHandle SETSOCKOPT =
            errnoCall("setsockopt", FunctionDescriptor.of(INT, INT, INT, INT, PTR, INT));
    private static final MethodHandle GETSOCKOPT =
            errnoCall("getsockopt", FunctionDescriptor.of(INT, INT, INT, INT, PTR, PTR));
    private static final MethodHandle GETSOCKNAME =
            errnoCall("getsockname", FunctionDescriptor.of(INT, INT, PTR, PTR));
    private static final MethodHandle SENDTO =
            errnoCall("sendto", FunctionDescriptor.of(LONG, INT, PTR, LONG, INT, PTR, INT));
    private static final MethodHandle RECVFROM =
            errnoCall("recvfrom", FunctionDescriptor.of(LONG, INT, PTR, LONG, INT, PTR, PTR));
    private static final MethodHandle SENDMSG = errnoCall("sendmsg", FunctionDescriptor.of(LONG, INT, PTR, INT));
    private static final MethodHandle RECVMSG = errnoCall("recvmsg", FunctionDescriptor.of(LONG, INT, PTR, INT));
    private static final MethodHandle READ = errnoCall("read", FunctionDescriptor.of(LONG, INT, PTR, LONG));
    private static final MethodHandle WRITE = errnoCall("write", FunctionDescriptor.of(LONG, INT, PTR, LONG));
    private static final MethodHandle POLL = errnoCall("poll", FunctionDescriptor.of(INT, PTR, LONG, INT));
    private static final MethodHandle IOCTL = errnoCall("ioctl", FunctionDescriptor.of(INT, INT, LONG, PTR));
    private static final MethodHandle MMAP =
            errnoCall("mmap", FunctionDescriptor.of(PTR, PTR, LONG, INT, INT, INT, LONG));
    private static final MethodHandle MUNMAP = errnoCall("munmap", FunctionDescriptor.of(INT, PTR, LONG));
    private static final MethodHandle IF_NAMETOINDEX =
            errnoCall("if_nametoindex", FunctionDescriptor.of(INT, PTR));
    private static final MethodHandle SETNS = errnoCall("setns", FunctionDescriptor.of(INT, INT, INT));
    private static final MethodHandle OPEN = errnoCall("open", FunctionDescriptor.of(INT, PTR, INT));
    private static final MethodHandle GETPID = plainCall("getpid", FunctionDescriptor.of(INT));
    private static final MethodHandle GETTID = plainCall("gettid", FunctionDescriptor.of(INT));

    private Libc() {
    }

    private static MethodHandle plainCall(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LOOKUP.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
        return LINKER.downcallHandle(symbol, descriptor);
    }

    /**
     * Binds another libc function whose errno is captured, for classes that
     * need a call this one does not bind. Invoke the handle with
     * {@link #callState()} as its first argument and pass the raw result
     * through {@link #result(int, MemorySegment)}.
     */
    public static MethodHandle errnoCall(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LOOKUP.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
        return LINKER.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("errno"));
    }

    /** This thread's call-state segment, where the linker stores errno. */
    public static MemorySegment callState() {
        return STATE.get();
    }

    /** {@code rc}, or {@code -errno} from {@code state} when {@code rc} is negative. */
    public static int result(int rc, MemorySegment state) {
        return rc >= 0 ? rc : -(int) ERRNO.get(state, 0L);
    }

    /** {@link #result(int, MemorySegment)} for {@code ssize_t} results. */
    public static long result(long rc, MemorySegment state) {
        return rc >= 0 ? rc : -(int) ERRNO.get(state, 0L);
    }

    private static AssertionError linkageFailure(Throwable t) {
        return new AssertionError("FFM downcall failed", t);
    }

    /**
     * Throws when {@code rc} is a {@code -errno} result.
     *
     * @param call the call and its arguments as the message should show them,
     *     for example {@code "bind(AF_PACKET, if=veth0)"}
     * @return {@code rc} when it is not an error
     */
    public static int check(int rc, String call) throws LinuxException {
        if (rc < 0) {
            throw new LinuxException(call, -rc);
        }
        return rc;
    }

    /** {@link #check(int, String)} for {@code ssize_t} results. */
    public static long check(long rc, String call) throws LinuxException {
        if (rc < 0) {
            throw new LinuxException(call, (int) -rc);
        }
        return rc;
    }

    public static int socket(int domain, int type, int protocol) {
        MemorySegment st = STATE.get();
        try {
            return result((int) SOCKET.invokeExact(st, domain, type, protocol), st);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    public static int close(int fd) {
        MemorySegment st = STATE.get();
        try {
            return result((int) CLOSE.invokeExact(st, fd), st);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    public static int bind(int fd, MemorySegment addr, int addrLen) {
        MemorySegment st = STATE.get();
        try {
            return result((int) BIND.invokeExact(st, fd, addr, addrLen), st);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    public static int connect(int fd, MemorySegment addr, int addrLen) {
        MemorySegment st = STATE.get();
        try {
            return result((int) CONNECT.invokeExact(st, fd, addr, addrLen), st);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    public static int setsockopt(int fd, int level, int name, MemorySegment value, int valueLen) {
        MemorySegment st = STATE.get();
        try {
            return result((int) SETSOCKOPT.invokeExact(st, fd, level, name, value, valueLen), st);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /** {@code valueLen} points at a socklen_t holding the buffer size on entry, the value's size on return. */
    public static int getsockopt(int fd, int level, int name, MemorySegment value, MemorySegment valueLen) {
        MemorySegment st = STATE.get();
        try {
            return result((int) GETSOCKOPT.invokeExact(st, fd, level, name, value, valueLen), st);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    public static int getsockname(int fd, MemorySegment addr, MemorySegment addrLen) {
        MemorySegment st = STATE.get();
        try {
            return result((int) GETSOCKNAME.invokeExact(st, fd, addr, addrLen), st);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /** {@code addr} may be {@link MemorySegment#NULL} with {@code addrLen} 0 for a connected or bound socket. */
    public static long sendto(int fd, MemorySegment buf, long len, int flags, MemorySegment addr, int addrLen) {
        MemorySegment st = STATE.get();
        try {
            return result((long) SENDTO.invokeExact(st, fd, buf, len, flags, addr, addrLen), st);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /** {@code addr} and {@code addrLen} may both be {@link MemorySegment#NULL}. */
    public static long recvfrom(int fd, MemorySegment buf, long len, int flags, MemorySegment addr,
            MemorySegment addrLen) {
        MemorySegment st = STATE.get();
        try {
            return result((long) RECVFROM.invokeExact(st, fd, buf, len, flags, addr, addrLen), st);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    public static long sendmsg(int fd, MemorySegment msghdr, int flags) {
        MemorySegment st = STATE.get();
        try {
            return result((long) SENDMSG.invokeExact(st, fd, msghdr, flags), st);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    public static long recvmsg(int fd, MemorySegment msghdr, int flags) {
        MemorySegment st = STATE.get();
        try {
            return result((long) RECVMSG.invokeExact(st, fd, msghdr, flags), st);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    public static long read(int fd, MemorySegment buf, long len) {
        MemorySegment st = STATE.get();
        try {
            return result((long) READ.invokeExact(st, fd, buf, len), st);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    public static long write(int fd, MemorySegment buf, long len) {
        MemorySegment st = STATE.get();
        try {
            return result((long) WRITE.invokeExact(st, fd, buf, len), st);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /** {@code fds} is an array of {@code struct pollfd {int fd; short events; short revents;}}. */
    public static int poll(MemorySegment fds, long nfds, int timeoutMillis) {
        MemorySegment st = STATE.get();
        try {
            return result((int) POLL.invokeExact(st, fds, nfds, timeoutMillis), st);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    public static int ioctl(int fd, long request, MemorySegment arg) {
        MemorySegment st = STATE.get();
        try {
            return result((int) IOCTL.invokeExact(st, fd, request, arg), st);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /**
     * Maps {@code len} bytes of {@code fd}. Returns a segment of that size, or
     * throws: mmap is never on a per-packet path.
     */
    public static MemorySegment mmap(long len, int prot, int flags, int fd, long offset, String what)
            throws LinuxException {
        MemorySegment st = STATE.get();
        MemorySegment addr;
        try {
            addr = (MemorySegment) MMAP.invokeExact(st, MemorySegment.NULL, len, prot, flags, fd, offset);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
        if (addr.address() == -1L) {
            throw new LinuxException("mmap(" + what + ", len=" + len + ", fd=" + fd + ")",
                    (int) ERRNO.get(st, 0L));
        }
        return addr.reinterpret(len);
    }

    public static int munmap(MemorySegment addr, long len) {
        MemorySegment st = STATE.get();
        try {
            return result((int) MUNMAP.invokeExact(st, addr, len), st);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /** The interface index of {@code name}, or throws {@code if_nametoindex(name): ENODEV}. */
    public static int ifNameToIndex(String name) throws LinuxException {
        MemorySegment st = STATE.get();
        try (Arena arena = Arena.ofConfined()) {
            int index = (int) IF_NAMETOINDEX.invokeExact(st, arena.allocateFrom(name));
            if (index == 0) {
                throw new LinuxException("if_nametoindex(" + name + ")", (int) ERRNO.get(st, 0L));
            }
            return index;
        } catch (LinuxException e) {
            throw e;
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /** setns(2): moves the calling thread into the namespace {@code fd} refers to. */
    public static int setns(int fd, int nstype) {
        MemorySegment st = STATE.get();
        try {
            return result((int) SETNS.invokeExact(st, fd, nstype), st);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    public static final int O_RDONLY = 0;
    public static final int O_CLOEXEC = 0x80000;
    public static final int CLONE_NEWNET = 0x40000000;

    /** open(2); returns the descriptor or {@code -errno}. */
    public static int open(String path, int flags) {
        MemorySegment st = STATE.get();
        try (Arena arena = Arena.ofConfined()) {
            return result((int) OPEN.invokeExact(st, arena.allocateFrom(path), flags), st);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    public static int getpid() {
        try {
            return (int) GETPID.invokeExact();
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    public static int gettid() {
        try {
            return (int) GETTID.invokeExact();
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }
}
