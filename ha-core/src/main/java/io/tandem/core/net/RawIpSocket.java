package io.tandem.core.net;

import io.netty.util.NetUtil;
import io.tandem.core.linux.Errno;
import io.tandem.core.linux.Libc;
import io.tandem.core.linux.LinuxException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A raw IPv4 or IPv6 socket for one IP protocol (raw(7), ipv6(7)), for
 * example VRRP's 112 (RFC 5798 §5.1.1.3), bound through the FFM API.
 *
 * <p>Every socket asks the kernel for the TTL / hop limit and the packet info
 * of what it receives ({@code IP_RECVTTL} + {@code IP_PKTINFO}, or
 * {@code IPV6_RECVHOPLIMIT} + {@code IPV6_RECVPKTINFO}, RFC 3542 §6), so that
 * {@link #receive} can report them: VRRP drops any advertisement whose TTL /
 * hop limit is not 255 (RFC 5798 §7.1). An IPv4 raw socket receives the IP
 * header in front of the payload; an IPv6 raw socket receives the payload only.
 *
 * <p>{@link #receive} and {@link #send} work on buffers preallocated per
 * socket and allocate nothing per packet, so each has one thread at a time:
 * one receiving thread and one sending thread. Failing calls throw a
 * {@link LinuxException} whose call text names the option and its arguments,
 * as in {@code setsockopt(IP_ADD_MEMBERSHIP, 224.0.0.18, if=e0): ENODEV}.
 *
 * <p>A socket belongs to the network namespace of the thread that opened it;
 * interface names given to it are looked up in that namespace too.
 */
public final class RawIpSocket implements AutoCloseable {
    private static final int MSG_CTRUNC = 0x08;
    private static final int IFNAMSIZ = 16;
    private static final int IFREQ_SIZE = 40;
    private static final long SIOCGIFINDEX = 0x8933;
    private static final int IPV4_MIN_HEADER = 20;
    private static final int POLLFD_SIZE = 8;
    private static final int MAX_DATAGRAM = 65535;

    private final IpFamily family;
    private final int protocol;
    private final boolean nonBlocking;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Arena arena = Arena.ofAuto();
    private final MessageHeader header = new MessageHeader(arena);
    private final MemorySegment sendName = arena.allocate(SockAddr.MAX_SIZE, 8);
    private final MemorySegment pollFd = arena.allocate(POLLFD_SIZE, 8);
    private MemorySegment sendBuffer;
    private InetAddress lastDestination;
    private int sendNameLength;
    private volatile int fd;
    private long malformedControlMessages;

    private RawIpSocket(int fd, IpFamily family, int protocol, boolean nonBlocking) {
        this.fd = fd;
        this.family = family;
        this.protocol = protocol;
        this.nonBlocking = nonBlocking;
    }

    /** Opens a blocking {@code SOCK_RAW | SOCK_CLOEXEC} socket for {@code protocol} (1 ~ 255). */
    public static RawIpSocket open(IpFamily family, int protocol) throws LinuxException {
        return open(family, protocol, false);
    }

    /** Opens a {@code SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC} socket, as an event loop needs. */
    public static RawIpSocket openNonBlocking(IpFamily family, int protocol) throws LinuxException {
        return open(family, protocol, true);
    }

    private static RawIpSocket open(IpFamily family, int protocol, boolean nonBlocking) throws LinuxException {
        if (protocol < 1 || protocol > 255) {
            throw new IllegalArgumentException("invalid IP protocol: " + protocol + " (expected: 1 ~ 255)");
        }
        int type = Libc.SOCK_RAW | Libc.SOCK_CLOEXEC | (nonBlocking ? Libc.SOCK_NONBLOCK : 0);
        String af = family == IpFamily.IPV4 ? "AF_INET" : "AF_INET6";
        int fd = Libc.check(Libc.socket(family.addressFamily(), type, protocol),
                "socket(" + af + ", SOCK_RAW" + (nonBlocking ? " | SOCK_NONBLOCK" : "") + " | SOCK_CLOEXEC, "
                        + protocol + ")");
        RawIpSocket socket = new RawIpSocket(fd, family, protocol, nonBlocking);
        try {
            if (family == IpFamily.IPV4) {
                socket.setInt(SockOpt.IP_RECVTTL, 1, "1");
                socket.setInt(SockOpt.IP_PKTINFO, 1, "1");
            } else {
                socket.setInt(SockOpt.IPV6_RECVHOPLIMIT, 1, "1");
                socket.setInt(SockOpt.IPV6_RECVPKTINFO, 1, "1");
            }
        } catch (LinuxException e) {
            Libc.close(fd);
            throw e;
        }
        return socket;
    }

    public IpFamily family() {
        return family;
    }

    public int protocol() {
        return protocol;
    }

    public boolean isNonBlocking() {
        return nonBlocking;
    }

    public boolean isOpen() {
        return !closed.get();
    }

    /** The file descriptor, or -1 once closed or released. */
    public int fd() {
        return fd;
    }

    /** Control messages the kernel returned that could not be parsed (never expected; counted, not thrown). */
    public long malformedControlMessages() {
        return malformedControlMessages;
    }

    /** SO_BINDTODEVICE (socket(7)): only packets of {@code ifname} are received, and sent through it. */
    public void bindToDevice(String ifname) throws LinuxException {
        byte[] name = interfaceName(ifname);
        try (Arena call = Arena.ofConfined()) {
            MemorySegment value = call.allocate(name.length + 1L);
            MemorySegment.copy(name, 0, value, ValueLayout.JAVA_BYTE, 0, name.length);
            setsockopt(SockOpt.SO_BINDTODEVICE, value, ifname);
        }
    }

    /**
     * Asks for a receive buffer of {@code bytes} (the kernel doubles it for
     * its bookkeeping): SO_RCVBUFFORCE, or SO_RCVBUF capped by
     * {@code net.core.rmem_max} without CAP_NET_ADMIN. A reader that falls
     * behind for a moment then loses nothing.
     */
    public void setReceiveBufferSize(int bytes) throws LinuxException {
        if (bytes <= 0) {
            throw new IllegalArgumentException("invalid receive buffer size: " + bytes + " (expected: > 0)");
        }
        try {
            setInt(SockOpt.SO_RCVBUFFORCE, bytes, Integer.toString(bytes));
        } catch (LinuxException e) {
            if (e.errno() != Errno.EPERM) {
                throw e;
            }
            setInt(SockOpt.SO_RCVBUF, bytes, Integer.toString(bytes));
        }
    }

    /** bind(2) to a local address: only packets to it are received, and it is the source of those sent. */
    public void bind(InetAddress local) throws LinuxException {
        checkFamily(local);
        try (Arena call = Arena.ofConfined()) {
            MemorySegment addr = call.allocate(SockAddr.MAX_SIZE, 8);
            int len = SockAddr.encode(local, 0, addr);
            Libc.check(Libc.bind(fd, addr, len), "bind(" + NetUtil.toAddressString(local) + ")");
        }
    }

    /** Joins {@code group} on the interface named {@code ifname} (IP_ADD_MEMBERSHIP, IPV6_JOIN_GROUP). */
    public void joinGroup(InetAddress group, String ifname) throws LinuxException {
        SockOpt option = family == IpFamily.IPV4 ? SockOpt.IP_ADD_MEMBERSHIP : SockOpt.IPV6_JOIN_GROUP;
        String args = NetUtil.toAddressString(group) + ", if=" + ifname;
        membership(option, group, interfaceIndex(ifname, "setsockopt(" + option + ", " + args + ")"), args);
    }

    /** Joins {@code group} on the interface with index {@code ifindex}. */
    public void joinGroup(InetAddress group, int ifindex) throws LinuxException {
        SockOpt option = family == IpFamily.IPV4 ? SockOpt.IP_ADD_MEMBERSHIP : SockOpt.IPV6_JOIN_GROUP;
        membership(option, group, ifindex, NetUtil.toAddressString(group) + ", ifindex=" + ifindex);
    }

    /** Leaves {@code group} on {@code ifname} (IP_DROP_MEMBERSHIP, IPV6_LEAVE_GROUP). */
    public void leaveGroup(InetAddress group, String ifname) throws LinuxException {
        SockOpt option = family == IpFamily.IPV4 ? SockOpt.IP_DROP_MEMBERSHIP : SockOpt.IPV6_LEAVE_GROUP;
        String args = NetUtil.toAddressString(group) + ", if=" + ifname;
        membership(option, group, interfaceIndex(ifname, "setsockopt(" + option + ", " + args + ")"), args);
    }

    /** Leaves {@code group} on the interface with index {@code ifindex}. */
    public void leaveGroup(InetAddress group, int ifindex) throws LinuxException {
        SockOpt option = family == IpFamily.IPV4 ? SockOpt.IP_DROP_MEMBERSHIP : SockOpt.IPV6_LEAVE_GROUP;
        membership(option, group, ifindex, NetUtil.toAddressString(group) + ", ifindex=" + ifindex);
    }

    /** The interface multicast is sent through (IP_MULTICAST_IF with ip_mreqn, IPV6_MULTICAST_IF). */
    public void setMulticastInterface(String ifname) throws LinuxException {
        SockOpt option = family == IpFamily.IPV4 ? SockOpt.IP_MULTICAST_IF : SockOpt.IPV6_MULTICAST_IF;
        String args = "if=" + ifname;
        multicastInterface(option, interfaceIndex(ifname, "setsockopt(" + option + ", " + args + ")"), args);
    }

    public void setMulticastInterface(int ifindex) throws LinuxException {
        SockOpt option = family == IpFamily.IPV4 ? SockOpt.IP_MULTICAST_IF : SockOpt.IPV6_MULTICAST_IF;
        multicastInterface(option, ifindex, "ifindex=" + ifindex);
    }

    /** The TTL / hop limit of multicast sent (IP_MULTICAST_TTL, IPV6_MULTICAST_HOPS); VRRP needs 255. */
    public void setMulticastHopLimit(int hopLimit) throws LinuxException {
        checkHopLimit(hopLimit, 0);
        setInt(family == IpFamily.IPV4 ? SockOpt.IP_MULTICAST_TTL : SockOpt.IPV6_MULTICAST_HOPS, hopLimit,
                Integer.toString(hopLimit));
    }

    /** The TTL / hop limit of unicast sent (IP_TTL, IPV6_UNICAST_HOPS). */
    public void setUnicastHopLimit(int hopLimit) throws LinuxException {
        checkHopLimit(hopLimit, 1);
        setInt(family == IpFamily.IPV4 ? SockOpt.IP_TTL : SockOpt.IPV6_UNICAST_HOPS, hopLimit,
                Integer.toString(hopLimit));
    }

    /** Whether multicast sent is looped back to this host's own members (IP_MULTICAST_LOOP, IPV6_MULTICAST_LOOP). */
    public void setMulticastLoop(boolean loop) throws LinuxException {
        setInt(family == IpFamily.IPV4 ? SockOpt.IP_MULTICAST_LOOP : SockOpt.IPV6_MULTICAST_LOOP, loop ? 1 : 0,
                Boolean.toString(loop));
    }

    /**
     * IPv6 only: the kernel computes and verifies the checksum at byte
     * {@code offset} of the payload, over the RFC 8200 §8.1 pseudo-header
     * (IPV6_CHECKSUM, RFC 3542 §3.1); -1 turns it off. VRRPv3's is at offset 6.
     */
    public void setChecksumOffset(int offset) throws LinuxException {
        if (family != IpFamily.IPV6) {
            throw new IllegalStateException("IPV6_CHECKSUM on an IPv4 socket (expected: an IPv6 socket)");
        }
        if (offset < -1 || (offset & 1) != 0 && offset != -1) {
            throw new IllegalArgumentException("invalid checksum offset: " + offset + " (expected: -1 or even >= 0)");
        }
        setInt(SockOpt.IPV6_CHECKSUM, offset, Integer.toString(offset));
    }

    /**
     * Waits up to {@code timeoutMillis} (-1: forever) for something to read. Allocates nothing.
     *
     * @return true when a datagram (or an error) is waiting, false on timeout or signal
     */
    public boolean awaitReadable(int timeoutMillis) throws LinuxException {
        pollFd.set(ValueLayout.JAVA_INT, 0, fd);
        pollFd.set(ValueLayout.JAVA_SHORT, 4, (short) (Libc.POLLIN));
        pollFd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
        int rc = Libc.poll(pollFd, 1, timeoutMillis);
        if (rc == -Errno.EINTR) {
            return false;
        }
        if (rc < 0) {
            throw new LinuxException("poll(" + this + ", " + timeoutMillis + " ms)", -rc);
        }
        return rc > 0;
    }

    /**
     * Receives one datagram into {@code buffer} (a native segment) and fills
     * {@code into}. Allocates nothing.
     *
     * @return false when nothing is waiting (EAGAIN on a non-blocking socket) or a signal interrupted the wait
     */
    public boolean receive(MemorySegment buffer, ReceivedDatagram into) throws LinuxException {
        requireNative(buffer);
        MemorySegment msghdr = header.prepare(buffer);
        long n = Libc.recvmsg(fd, msghdr, 0);
        if (n < 0) {
            if (n == -Errno.EAGAIN || n == -Errno.EINTR) {
                return false;
            }
            throw new LinuxException("recvmsg(" + this + ")", (int) -n);
        }
        into.reset();
        int length = (int) n;
        into.length(length);
        int flags = header.flags();
        into.truncated((flags & Libc.MSG_TRUNC) != 0);
        into.controlTruncated((flags & MSG_CTRUNC) != 0);
        if (header.nameLength() >= family.sockaddrSize()) {
            into.addressLength(SockAddr.copyAddress(header.name(), into.senderBytes()));
            into.senderScopeId(SockAddr.scopeId(header.name()));
        }
        if (!ControlMessages.parse(header.control(), header.controlLength(), into)) {
            malformedControlMessages++;
        }
        if (family == IpFamily.IPV4 && length >= IPV4_MIN_HEADER) {
            into.payloadOffset(Math.min(length, (buffer.get(ValueLayout.JAVA_BYTE, 0) & 0x0F) * 4));
        }
        return true;
    }

    /**
     * Sends {@code payload} (a native segment, the whole of it) to {@code to};
     * the kernel writes the IP header. An IPv6 link-local destination needs its
     * scope id. Sending again to the same {@link InetAddress} object allocates nothing.
     *
     * @return false when the send buffer of a non-blocking socket is full (EAGAIN)
     */
    public boolean send(InetAddress to, MemorySegment payload) throws LinuxException {
        requireNative(payload);
        return sendTo(to, payload, payload.byteSize());
    }

    /** {@link #send(InetAddress, MemorySegment)} from a heap array, copied into a per-socket buffer. */
    public boolean send(InetAddress to, byte[] payload, int offset, int length) throws LinuxException {
        if (length < 0 || length > MAX_DATAGRAM) {
            throw new IllegalArgumentException("invalid datagram length: " + length + " (expected: 0 ~ "
                    + MAX_DATAGRAM + ")");
        }
        if (sendBuffer == null) {
            sendBuffer = arena.allocate(MAX_DATAGRAM, 8);
        }
        MemorySegment.copy(payload, offset, sendBuffer, ValueLayout.JAVA_BYTE, 0, length);
        return sendTo(to, sendBuffer, length);
    }

    private boolean sendTo(InetAddress to, MemorySegment payload, long length) throws LinuxException {
        if (to != lastDestination) {
            checkFamily(to);
            sendNameLength = SockAddr.encode(to, 0, sendName);
            lastDestination = to;
        }
        long n = Libc.sendto(fd, payload, length, 0, sendName, sendNameLength);
        if (n < 0) {
            if (n == -Errno.EAGAIN) {
                return false;
            }
            throw new LinuxException("sendto(" + NetUtil.toAddressString(to) + ", " + length + " bytes)", (int) -n);
        }
        return true;
    }

    /**
     * A destination for {@link #send(SendTarget, MemorySegment, long)}, encoded once: its
     * {@code sockaddr} and, when {@code source} is given, a packet-info control message
     * that makes {@code source} the packet's source address ({@code IP_PKTINFO}'s
     * {@code ipi_spec_dst}, ip(7); {@code IPV6_PKTINFO}'s {@code ipi6_addr}, RFC 3542 §6.1),
     * so the source a checksum's pseudo-header was computed with is the one on the wire.
     * {@code ifindex} (0: none) is the packet info's interface, which an IPv6 link-local
     * source needs.
     */
    public SendTarget target(InetAddress to, InetAddress source, int ifindex) {
        checkFamily(to);
        if (source != null) {
            checkFamily(source);
        }
        return new SendTarget(arena, to, source, ifindex);
    }

    /**
     * Sends the first {@code length} bytes of {@code payload} (a native segment) to
     * {@code target} with sendmsg(2); the kernel writes the IP header. Allocates nothing.
     *
     * @return false when the send buffer of a non-blocking socket is full (EAGAIN)
     */
    public boolean send(SendTarget target, MemorySegment payload, long length) throws LinuxException {
        requireNative(payload);
        if (length < 0 || length > payload.byteSize()) {
            throw new IllegalArgumentException("invalid length: " + length + " (expected: 0 ~ " + payload.byteSize()
                    + ")");
        }
        long n = Libc.sendmsg(fd, target.prepare(payload, length), 0);
        if (n < 0) {
            if (n == -Errno.EAGAIN) {
                return false;
            }
            throw new LinuxException("sendmsg(" + target + ", " + length + " bytes)", (int) -n);
        }
        return true;
    }

    /**
     * Hands the descriptor over to a new owner (such as a Netty channel) and
     * leaves this object closed without closing the descriptor.
     */
    public int releaseFd() {
        if (!closed.compareAndSet(false, true)) {
            throw new IllegalStateException("socket already closed or released: " + this);
        }
        int released = fd;
        fd = -1;
        return released;
    }

    /** Closes the descriptor; calling it again does nothing. */
    @Override
    public void close() throws LinuxException {
        if (closed.compareAndSet(false, true)) {
            int toClose = fd;
            fd = -1;
            Libc.check(Libc.close(toClose), "close(" + toClose + ")");
        }
    }

    @Override
    public String toString() {
        return "RawIpSocket[" + family + ", protocol " + protocol + ", fd " + fd + "]";
    }

    private void membership(SockOpt option, InetAddress group, int ifindex, String args) throws LinuxException {
        checkFamily(group);
        if (!group.isMulticastAddress()) {
            throw new IllegalArgumentException("not a multicast group: " + NetUtil.toAddressString(group) + " (expected: "
                    + (family == IpFamily.IPV4 ? "224.0.0.0/4" : "ff00::/8") + ")");
        }
        try (Arena call = Arena.ofConfined()) {
            setsockopt(option, groupRequest(call, group, ifindex), args);
        }
    }

    /** ip(7) {@code struct ip_mreqn} or ipv6(7) {@code struct ipv6_mreq}. */
    private static MemorySegment groupRequest(Arena call, InetAddress group, int ifindex) {
        byte[] bytes = group.getAddress();
        if (bytes.length == 4) {
            MemorySegment mreqn = call.allocate(12, 4); // imr_multiaddr, imr_address (any), imr_ifindex
            MemorySegment.copy(bytes, 0, mreqn, ValueLayout.JAVA_BYTE, 0, 4);
            mreqn.set(ValueLayout.JAVA_INT, 8, ifindex);
            return mreqn;
        }
        MemorySegment mreq = call.allocate(20, 4); // ipv6mr_multiaddr, ipv6mr_interface
        MemorySegment.copy(bytes, 0, mreq, ValueLayout.JAVA_BYTE, 0, 16);
        mreq.set(ValueLayout.JAVA_INT, 16, ifindex);
        return mreq;
    }

    private void multicastInterface(SockOpt option, int ifindex, String args) throws LinuxException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment value;
            if (family == IpFamily.IPV4) {
                value = call.allocate(12, 4); // struct ip_mreqn: only imr_ifindex matters here
                value.set(ValueLayout.JAVA_INT, 8, ifindex);
            } else {
                value = call.allocate(ValueLayout.JAVA_INT);
                value.set(ValueLayout.JAVA_INT, 0, ifindex);
            }
            setsockopt(option, value, args);
        }
    }

    /**
     * The index of the interface {@code ifname} in this socket's network
     * namespace (SIOCGIFINDEX on this socket, netdevice(7)), whichever
     * namespace the calling thread is in.
     */
    public int interfaceIndex(String ifname) throws LinuxException {
        return interfaceIndex(ifname, "ioctl(SIOCGIFINDEX, " + ifname + ")");
    }

    /** The index of {@code ifname}; an unknown name fails as {@code call}, the call it was needed for. */
    private int interfaceIndex(String ifname, String call) throws LinuxException {
        byte[] name = interfaceName(ifname);
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment ifreq = scratch.allocate(IFREQ_SIZE, 8); // ifr_name[IFNAMSIZ], then ifr_ifindex
            MemorySegment.copy(name, 0, ifreq, ValueLayout.JAVA_BYTE, 0, name.length);
            Libc.check(Libc.ioctl(fd, SIOCGIFINDEX, ifreq), call);
            return ifreq.get(ValueLayout.JAVA_INT, IFNAMSIZ);
        }
    }

    private static byte[] interfaceName(String ifname) {
        byte[] name = ifname.getBytes(StandardCharsets.US_ASCII);
        if (name.length == 0 || name.length >= IFNAMSIZ) {
            throw new IllegalArgumentException("invalid interface name: \"" + ifname + "\" (expected: 1 ~ "
                    + (IFNAMSIZ - 1) + " characters)");
        }
        return name;
    }

    private void setInt(SockOpt option, int value, String args) throws LinuxException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment segment = call.allocate(ValueLayout.JAVA_INT);
            segment.set(ValueLayout.JAVA_INT, 0, value);
            setsockopt(option, segment, args);
        }
    }

    private void setsockopt(SockOpt option, MemorySegment value, String args) throws LinuxException {
        int rc = Libc.setsockopt(fd, option.level(), option.number(), value, (int) value.byteSize());
        if (rc < 0) {
            throw new LinuxException("setsockopt(" + option + ", " + args + ")", -rc);
        }
    }

    private void checkFamily(InetAddress address) {
        if (IpFamily.of(address) != family) {
            throw new IllegalArgumentException("address " + NetUtil.toAddressString(address) + " is " + IpFamily.of(address)
                    + " (expected: " + family + " for " + this + ")");
        }
    }

    private static void checkHopLimit(int hopLimit, int min) {
        if (hopLimit < min || hopLimit > 255) {
            throw new IllegalArgumentException("invalid TTL / hop limit: " + hopLimit + " (expected: " + min
                    + " ~ 255)");
        }
    }

    private static void requireNative(MemorySegment segment) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("heap segment given (expected: a native segment the kernel can reach)");
        }
    }
}
