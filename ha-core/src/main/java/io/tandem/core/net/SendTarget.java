package io.tandem.core.net;

import io.netty.util.NetUtil;
import io.tandem.core.linux.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * One destination of {@link RawIpSocket#send(SendTarget, MemorySegment, long)}, made by
 * {@link RawIpSocket#target}: a preallocated {@code struct msghdr} (see
 * {@link MessageHeader}) with its iovec, the destination's sockaddr and, when a source
 * is given, one packet-info control message that sets the source address (ip(7)
 * {@code IP_PKTINFO}: {@code ipi_spec_dst}; RFC 3542 §6.1 {@code IPV6_PKTINFO}:
 * {@code ipi6_addr}) and the outgoing interface. Sending only points the iovec at the
 * payload, so it allocates nothing. Not thread-safe: the socket's sending thread.
 *
 * <pre>
 * struct in_pktinfo (12 bytes)        struct in6_pktinfo (20 bytes)
 *  0 ipi_ifindex   int                 0 ipi6_addr    16 bytes: source
 *  4 ipi_spec_dst  4 bytes: source    16 ipi6_ifindex int
 *  8 ipi_addr      (ignored on send)
 * </pre>
 */
public final class SendTarget {
    static final long IN_PKTINFO_SPEC_DST = 4;

    private final InetAddress destination;
    private final InetAddress source;
    private final MemorySegment msghdr;
    private final MemorySegment iovec;

    SendTarget(Arena arena, InetAddress destination, InetAddress source, int ifindex) {
        this.destination = destination;
        this.source = source;
        msghdr = arena.allocate(MessageHeader.MSGHDR_SIZE, 8);
        iovec = arena.allocate(MessageHeader.IOVEC_SIZE, 8);
        MemorySegment name = arena.allocate(SockAddr.MAX_SIZE, 8);
        int nameLength = SockAddr.encode(destination, 0, name);
        msghdr.set(ValueLayout.ADDRESS, MessageHeader.NAME, name);
        msghdr.set(ValueLayout.JAVA_INT, MessageHeader.NAMELEN, nameLength);
        msghdr.set(ValueLayout.ADDRESS, MessageHeader.IOV, iovec);
        msghdr.set(ValueLayout.JAVA_LONG, MessageHeader.IOVLEN, 1L);
        if (source != null) {
            MemorySegment control = packetInfo(arena, source, ifindex);
            msghdr.set(ValueLayout.ADDRESS, MessageHeader.CONTROL, control);
            msghdr.set(ValueLayout.JAVA_LONG, MessageHeader.CONTROLLEN, control.byteSize());
        }
    }

    /** The control buffer with one IP_PKTINFO or IPV6_PKTINFO message (zeroed memory from the arena). */
    private static MemorySegment packetInfo(Arena arena, InetAddress source, int ifindex) {
        boolean v4 = source instanceof Inet4Address;
        int dataLength = v4 ? ControlMessages.IN_PKTINFO_SIZE : ControlMessages.IN6_PKTINFO_SIZE;
        MemorySegment control = arena.allocate(ControlMessages.space(dataLength), 8);
        control.set(ValueLayout.JAVA_LONG, ControlMessages.LEN, ControlMessages.HEADER_SIZE + dataLength);
        control.set(ValueLayout.JAVA_INT, ControlMessages.LEVEL, v4 ? Libc.SOL_IP : Libc.SOL_IPV6);
        control.set(ValueLayout.JAVA_INT, ControlMessages.TYPE,
                v4 ? SockOpt.IP_PKTINFO.number() : SockOpt.IPV6_PKTINFO.number());
        long data = ControlMessages.HEADER_SIZE;
        byte[] address = source.getAddress();
        if (v4) {
            control.set(ValueLayout.JAVA_INT, data + ControlMessages.IN_PKTINFO_IFINDEX, ifindex);
            MemorySegment.copy(address, 0, control, ValueLayout.JAVA_BYTE, data + IN_PKTINFO_SPEC_DST, 4);
        } else {
            MemorySegment.copy(address, 0, control, ValueLayout.JAVA_BYTE, data + ControlMessages.IN6_PKTINFO_ADDR, 16);
            control.set(ValueLayout.JAVA_INT, data + ControlMessages.IN6_PKTINFO_IFINDEX, ifindex);
        }
        return control;
    }

    /** Points the iovec at {@code payload}'s first {@code length} bytes; returns the msghdr. */
    MemorySegment prepare(MemorySegment payload, long length) {
        iovec.set(ValueLayout.ADDRESS, MessageHeader.IOV_BASE, payload);
        iovec.set(ValueLayout.JAVA_LONG, MessageHeader.IOV_LEN, length);
        msghdr.set(ValueLayout.JAVA_INT, MessageHeader.FLAGS, 0);
        return msghdr;
    }

    public InetAddress destination() {
        return destination;
    }

    /** The source address set with packet info, or null when the kernel chooses it. */
    public InetAddress source() {
        return source;
    }

    @Override
    public String toString() {
        return NetUtil.toAddressString(destination) + (source == null ? "" : " from " + NetUtil.toAddressString(source));
    }
}
