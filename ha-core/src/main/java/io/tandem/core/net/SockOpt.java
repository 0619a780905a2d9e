package io.tandem.core.net;

import io.tandem.core.linux.Libc;

/**
 * The socket options {@link RawIpSocket} sets, with their level and number
 * from {@code <linux/in.h>}, {@code <linux/in6.h>} and
 * {@code <asm-generic/socket.h>}; the constant's name is what error messages
 * show. Options that also name a control message type ({@code IP_TTL},
 * {@code IP_PKTINFO}, {@code IPV6_HOPLIMIT}, {@code IPV6_PKTINFO}) share its number.
 */
public enum SockOpt {
    SO_BINDTODEVICE(Libc.SOL_SOCKET, 25),
    /** socket(7): the receive buffer, capped by {@code net.core.rmem_max}. */
    SO_RCVBUF(Libc.SOL_SOCKET, Libc.SO_RCVBUF),
    /** socket(7): the receive buffer past {@code rmem_max}, with CAP_NET_ADMIN. */
    SO_RCVBUFFORCE(Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE),

    /** ip(7): the TTL of unicast packets sent; also the cmsg type carrying a received TTL. */
    IP_TTL(Libc.SOL_IP, 2),
    /** ip(7): the cmsg type carrying {@code struct in_pktinfo}. */
    IP_PKTINFO(Libc.SOL_IP, 8),
    IP_RECVTTL(Libc.SOL_IP, 12),
    IP_MULTICAST_IF(Libc.SOL_IP, 32),
    IP_MULTICAST_TTL(Libc.SOL_IP, 33),
    IP_MULTICAST_LOOP(Libc.SOL_IP, 34),
    IP_ADD_MEMBERSHIP(Libc.SOL_IP, 35),
    IP_DROP_MEMBERSHIP(Libc.SOL_IP, 36),

    /** ipv6(7) / RFC 3542 §3.1: the offset of the checksum field the kernel computes on raw sockets. */
    IPV6_CHECKSUM(Libc.SOL_IPV6, 7),
    IPV6_UNICAST_HOPS(Libc.SOL_IPV6, 16),
    IPV6_MULTICAST_IF(Libc.SOL_IPV6, 17),
    IPV6_MULTICAST_HOPS(Libc.SOL_IPV6, 18),
    IPV6_MULTICAST_LOOP(Libc.SOL_IPV6, 19),
    /** RFC 3493 §5.2 (Linux also calls it IPV6_ADD_MEMBERSHIP). */
    IPV6_JOIN_GROUP(Libc.SOL_IPV6, 20),
    /** RFC 3493 §5.2 (Linux also calls it IPV6_DROP_MEMBERSHIP). */
    IPV6_LEAVE_GROUP(Libc.SOL_IPV6, 21),
    /** RFC 3542 §6.1. */
    IPV6_RECVPKTINFO(Libc.SOL_IPV6, 49),
    /** RFC 3542 §6.1: the cmsg type carrying {@code struct in6_pktinfo}. */
    IPV6_PKTINFO(Libc.SOL_IPV6, 50),
    /** RFC 3542 §6.3. */
    IPV6_RECVHOPLIMIT(Libc.SOL_IPV6, 51),
    /** RFC 3542 §6.3: the cmsg type carrying the received hop limit. */
    IPV6_HOPLIMIT(Libc.SOL_IPV6, 52);

    private final int level;
    private final int number;

    SockOpt(int level, int number) {
        this.level = level;
        this.number = number;
    }

    public int level() {
        return level;
    }

    public int number() {
        return number;
    }
}
