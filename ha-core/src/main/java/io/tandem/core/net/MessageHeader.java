package io.tandem.core.net;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One socket's preallocated {@code struct msghdr} for recvmsg(2), with its
 * single {@code struct iovec}, sender-address buffer and control buffer, so
 * that receiving allocates nothing. Not thread-safe: one receiving thread.
 *
 * <pre>
 * struct msghdr (LP64, 56 bytes)       struct iovec (16 bytes)
 *  0 msg_name        void *             0 iov_base void *
 *  8 msg_namelen     socklen_t          8 iov_len  size_t
 * 16 msg_iov         struct iovec *
 * 24 msg_iovlen      size_t
 * 32 msg_control     void *
 * 40 msg_controllen  size_t
 * 48 msg_flags       int
 * </pre>
 */
final class MessageHeader {
    static final int MSGHDR_SIZE = 56;
    static final long NAME = 0;
    static final long NAMELEN = 8;
    static final long IOV = 16;
    static final long IOVLEN = 24;
    static final long CONTROL = 32;
    static final long CONTROLLEN = 40;
    static final long FLAGS = 48;

    static final int IOVEC_SIZE = 16;
    static final long IOV_BASE = 0;
    static final long IOV_LEN = 8;

    private final MemorySegment msghdr;
    private final MemorySegment iovec;
    private final MemorySegment name;
    private final MemorySegment control;

    MessageHeader(Arena arena) {
        msghdr = arena.allocate(MSGHDR_SIZE, 8);
        iovec = arena.allocate(IOVEC_SIZE, 8);
        name = arena.allocate(SockAddr.MAX_SIZE, 8);
        control = arena.allocate(ControlMessages.BUFFER_SIZE, 8);
        msghdr.set(ValueLayout.ADDRESS, NAME, name);
        msghdr.set(ValueLayout.ADDRESS, IOV, iovec);
        msghdr.set(ValueLayout.JAVA_LONG, IOVLEN, 1L);
        msghdr.set(ValueLayout.ADDRESS, CONTROL, control);
    }

    /** Points the iovec at {@code buffer} and resets the lengths the kernel overwrites; returns the msghdr. */
    MemorySegment prepare(MemorySegment buffer) {
        iovec.set(ValueLayout.ADDRESS, IOV_BASE, buffer);
        iovec.set(ValueLayout.JAVA_LONG, IOV_LEN, buffer.byteSize());
        msghdr.set(ValueLayout.JAVA_INT, NAMELEN, SockAddr.MAX_SIZE);
        msghdr.set(ValueLayout.JAVA_LONG, CONTROLLEN, ControlMessages.BUFFER_SIZE);
        msghdr.set(ValueLayout.JAVA_INT, FLAGS, 0);
        return msghdr;
    }

    MemorySegment name() {
        return name;
    }

    int nameLength() {
        return msghdr.get(ValueLayout.JAVA_INT, NAMELEN);
    }

    MemorySegment control() {
        return control;
    }

    long controlLength() {
        return msghdr.get(ValueLayout.JAVA_LONG, CONTROLLEN);
    }

    int flags() {
        return msghdr.get(ValueLayout.JAVA_INT, FLAGS);
    }
}
