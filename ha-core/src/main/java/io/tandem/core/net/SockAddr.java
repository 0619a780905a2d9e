package io.tandem.core.net;

import io.tandem.core.linux.Libc;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/**
 * Encodes and decodes {@code struct sockaddr_in} and {@code struct sockaddr_in6}
 * (ip(7), ipv6(7)) in a {@link MemorySegment}.
 *
 * <pre>
 * sockaddr_in  (16 bytes)            sockaddr_in6 (28 bytes)
 *  0 sin_family  u16 host order       0 sin6_family   u16 host order
 *  2 sin_port    u16 big-endian       2 sin6_port     u16 big-endian
 *  4 sin_addr    4 bytes              4 sin6_flowinfo u32 big-endian
 *  8 sin_zero    8 bytes              8 sin6_addr     16 bytes
 *                                    24 sin6_scope_id u32 host order
 * </pre>
 *
 * <p>The {@code copy...} and {@code port}/{@code scopeId} readers allocate
 * nothing, for per-packet use; {@link #decode} builds JDK address objects, for
 * the control path.
 */
public final class SockAddr {
    public static final int SOCKADDR_IN_SIZE = 16;
    public static final int SOCKADDR_IN6_SIZE = 28;
    /** Room for either kind. */
    public static final int MAX_SIZE = SOCKADDR_IN6_SIZE;

    static final long FAMILY = 0;
    static final long PORT = 2;
    static final long IN_ADDR = 4;
    static final long IN6_FLOWINFO = 4;
    static final long IN6_ADDR = 8;
    static final long IN6_SCOPE_ID = 24;

    private static final ValueLayout.OfShort HOST_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfShort BE_SHORT = HOST_SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt HOST_INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfInt BE_INT = HOST_INT.withOrder(ByteOrder.BIG_ENDIAN);

    private SockAddr() {
    }

    /** Writes {@code address} into {@code dst} and returns the length to pass to the kernel. */
    public static int encode(InetSocketAddress address, MemorySegment dst) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address: " + address + " (expected: an IP address)");
        }
        return encode(address.getAddress(), address.getPort(), dst);
    }

    /**
     * Writes {@code address} and {@code port} into {@code dst}; an
     * {@link Inet6Address} carries its scope id along.
     *
     * @return 16 for IPv4, 28 for IPv6
     */
    public static int encode(InetAddress address, int port, MemorySegment dst) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("invalid port: " + port + " (expected: 0 ~ 65535)");
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            checkRoom(dst, SOCKADDR_IN_SIZE);
            dst.asSlice(0, SOCKADDR_IN_SIZE).fill((byte) 0);
            dst.set(HOST_SHORT, FAMILY, (short) Libc.AF_INET);
            dst.set(BE_SHORT, PORT, (short) port);
            MemorySegment.copy(bytes, 0, dst, ValueLayout.JAVA_BYTE, IN_ADDR, 4);
            return SOCKADDR_IN_SIZE;
        }
        checkRoom(dst, SOCKADDR_IN6_SIZE);
        dst.asSlice(0, SOCKADDR_IN6_SIZE).fill((byte) 0);
        dst.set(HOST_SHORT, FAMILY, (short) Libc.AF_INET6);
        dst.set(BE_SHORT, PORT, (short) port);
        MemorySegment.copy(bytes, 0, dst, ValueLayout.JAVA_BYTE, IN6_ADDR, 16);
        dst.set(HOST_INT, IN6_SCOPE_ID, ((Inet6Address) address).getScopeId());
        return SOCKADDR_IN6_SIZE;
    }

    /** The address and port in {@code src}, of {@code length} bytes as the kernel returned them. */
    public static InetSocketAddress decode(MemorySegment src, int length) {
        return new InetSocketAddress(decodeAddress(src, length), port(src));
    }

    /** The address in {@code src}; an IPv6 address with a scope id keeps it. */
    public static InetAddress decodeAddress(MemorySegment src, int length) {
        byte[] bytes = new byte[checkedAddressLength(src, length)];
        copyAddress(src, bytes);
        try {
            if (bytes.length == 4) {
                return InetAddress.getByAddress(bytes);
            }
            int scopeId = scopeId(src);
            return scopeId != 0 ? Inet6Address.getByAddress(null, bytes, scopeId) : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("address of " + bytes.length + " bytes rejected", e);
        }
    }

    /** {@code sin_family} / {@code sin6_family}. */
    public static int family(MemorySegment src) {
        return src.get(HOST_SHORT, FAMILY) & 0xFFFF;
    }

    /** The port, host order (raw sockets report 0 as the sender's). */
    public static int port(MemorySegment src) {
        return src.get(BE_SHORT, PORT) & 0xFFFF;
    }

    /** {@code sin6_scope_id}, 0 for IPv4. */
    public static int scopeId(MemorySegment src) {
        return family(src) == Libc.AF_INET6 ? src.get(HOST_INT, IN6_SCOPE_ID) : 0;
    }

    /** {@code sin6_flowinfo}, 0 for IPv4. */
    public static int flowInfo(MemorySegment src) {
        return family(src) == Libc.AF_INET6 ? src.get(BE_INT, IN6_FLOWINFO) : 0;
    }

    /**
     * Copies the 4 or 16 address bytes into {@code dst} (network order) without
     * allocating, and returns how many were copied.
     */
    public static int copyAddress(MemorySegment src, byte[] dst) {
        int family = family(src);
        if (family == Libc.AF_INET) {
            MemorySegment.copy(src, ValueLayout.JAVA_BYTE, IN_ADDR, dst, 0, 4);
            return 4;
        }
        if (family == Libc.AF_INET6) {
            MemorySegment.copy(src, ValueLayout.JAVA_BYTE, IN6_ADDR, dst, 0, 16);
            return 16;
        }
        throw new IllegalArgumentException("invalid address family: " + family
                + " (expected: AF_INET " + Libc.AF_INET + " or AF_INET6 " + Libc.AF_INET6 + ")");
    }

    private static int checkedAddressLength(MemorySegment src, int length) {
        int family = family(src);
        int expected = family == Libc.AF_INET ? SOCKADDR_IN_SIZE : family == Libc.AF_INET6 ? SOCKADDR_IN6_SIZE : -1;
        if (expected < 0) {
            throw new IllegalArgumentException("invalid address family: " + family
                    + " (expected: AF_INET " + Libc.AF_INET + " or AF_INET6 " + Libc.AF_INET6 + ")");
        }
        if (length < expected) {
            throw new IllegalArgumentException("sockaddr too short: " + length + " bytes (expected: " + expected
                    + " for family " + family + ")");
        }
        return expected == SOCKADDR_IN_SIZE ? 4 : 16;
    }

    private static void checkRoom(MemorySegment dst, int size) {
        if (dst.byteSize() < size) {
            throw new IllegalArgumentException("sockaddr buffer too small: " + dst.byteSize() + " bytes (expected: >= "
                    + size + ")");
        }
    }
}
