package io.tandem.core.net;

import io.tandem.core.linux.Errno;
import io.tandem.core.linux.Libc;
import io.tandem.core.linux.LinuxException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TUN device (the kernel's {@code Documentation/networking/tuntap.rst}):
 * {@code /dev/net/tun} attached to a new interface with {@code TUNSETIFF},
 * {@code IFF_TUN | IFF_NO_PI}, so every {@link #write} hands one bare IP
 * packet to the local stack as if it had arrived on that interface. The
 * interface exists while the descriptor is open (it is not made persistent)
 * and disappears with {@link #close()}.
 *
 * <pre>
 * struct ifreq (40 bytes): ifr_name[IFNAMSIZ = 16] | ifr_flags (short) | padding
 * </pre>
 *
 * <p>{@link #write} allocates nothing and never throws: it returns
 * {@code -errno}, for the caller to count. The device belongs to the network
 * namespace of the thread that opened it.
 */
public final class TunDevice implements AutoCloseable {
    /** {@code _IOW('T', 202, int)}. */
    static final long TUNSETIFF = 0x400454CAL;
    static final short IFF_TUN = 0x0001;
    static final short IFF_NO_PI = 0x1000;
    static final int IFNAMSIZ = 16;
    private static final int IFREQ_SIZE = 40;
    private static final int O_RDWR = 2;
    private static final String PATH = "/dev/net/tun";
    /** write(2) with the buffer passed as a raw address, so that no slice is made per packet. */
    private static final MethodHandle WRITE = Libc.errnoCall("write",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG));

    private final String name;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final int fd;

    private TunDevice(int fd, String name) {
        this.fd = fd;
        this.name = name;
    }

    /**
     * Creates the TUN interface {@code name} (1 ~ 15 characters; {@code %d}
     * lets the kernel number it, as in {@code tun%d}). The interface is down
     * until someone sets it up.
     */
    public static TunDevice open(String name) throws LinuxException {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length == 0 || bytes.length >= IFNAMSIZ || !name.matches("[A-Za-z0-9_.%-]+")) {
            throw new IllegalArgumentException("invalid interface name: \"" + name + "\" (expected: 1 ~ "
                    + (IFNAMSIZ - 1) + " letters, digits, '_', '-', '.', or %d)");
        }
        int fd = Libc.check(Libc.open(PATH, O_RDWR | Libc.O_CLOEXEC), "open(" + PATH + ", O_RDWR)");
        try (Arena call = Arena.ofConfined()) {
            MemorySegment ifreq = call.allocate(IFREQ_SIZE, 8);
            MemorySegment.copy(bytes, 0, ifreq, ValueLayout.JAVA_BYTE, 0, bytes.length);
            ifreq.set(ValueLayout.JAVA_SHORT, IFNAMSIZ, (short) (IFF_TUN | IFF_NO_PI));
            int rc = Libc.ioctl(fd, TUNSETIFF, ifreq);
            if (rc < 0) {
                Libc.close(fd);
                throw new LinuxException("ioctl(" + PATH + ", TUNSETIFF, " + name + ", IFF_TUN | IFF_NO_PI)", -rc);
            }
            return new TunDevice(fd, ifreq.getString(0, StandardCharsets.US_ASCII));
        }
    }

    /** The interface's name, as the kernel gave it. */
    public String name() {
        return name;
    }

    public boolean isOpen() {
        return !closed.get();
    }

    /**
     * Hands the IP packet of {@code length} bytes at {@code offset} of the
     * native {@code segment} to the kernel. Allocates nothing.
     *
     * @return 0 when the kernel took it, else {@code -errno} (EIO while the interface is down,
     *     EINVAL for what is no IP packet, EBADF once closed)
     */
    public int write(MemorySegment segment, long offset, int length) {
        if (!segment.isNative() || offset < 0 || length <= 0 || offset + length > segment.byteSize()) {
            return -Errno.EINVAL;
        }
        if (closed.get()) {
            return -Errno.EBADF;
        }
        MemorySegment state = Libc.callState();
        long rc;
        try {
            rc = Libc.result((long) WRITE.invokeExact(state, fd, segment.address() + offset, (long) length), state);
        } catch (Throwable t) {
            throw new AssertionError("FFM downcall failed", t);
        }
        if (rc < 0) {
            return (int) rc;
        }
        return rc == length ? 0 : -Errno.EIO;
    }

    /** Closes the descriptor, which removes the interface. Calling it again does nothing. */
    @Override
    public void close() throws LinuxException {
        if (closed.compareAndSet(false, true)) {
            Libc.check(Libc.close(fd), "close(" + PATH + " of " + name + ")");
        }
    }

    @Override
    public String toString() {
        return "TunDevice[" + name + ", fd " + fd + "]";
    }
}
