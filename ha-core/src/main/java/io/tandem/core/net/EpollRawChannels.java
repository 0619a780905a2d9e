package io.tandem.core.net;

import io.netty.channel.epoll.EpollDatagramChannel;

/**
 * Carries a {@link RawIpSocket} as a Netty {@link EpollDatagramChannel}, so a
 * protocol such as VRRP can run its codec in a pipeline on an epoll event loop.
 *
 * <p>{@code EpollDatagramChannel(int fd)} adopts any datagram-like descriptor:
 * it reads with recvmsg(2) and hands each datagram on as a
 * {@link io.netty.channel.socket.DatagramPacket} whose sender is the
 * {@code msg_name} the kernel filled, and writes a {@code DatagramPacket} with
 * sendto(2)/sendmmsg(2) to its recipient. Neither path looks at the socket
 * type, so a {@code SOCK_RAW} descriptor works. What a raw socket changes:
 * <ul>
 *   <li>An IPv4 packet read carries its IP header before the payload (raw(7));
 *       an IPv6 one does not. Sender ports are always 0.</li>
 *   <li>A recipient's port must be 0 or, for IPv6, the socket's protocol (the
 *       kernel rejects any other with EINVAL).</li>
 *   <li>Netty's read path does not surface control messages: the TTL / hop
 *       limit of an IPv6 packet is not available through the channel. Where it
 *       is needed (VRRP, RFC 5798 §7.1), IPv4 reads it from the header and IPv6
 *       uses {@link RawIpSocket#receive} instead.</li>
 *   <li>The constructor sets {@code IP_MULTICAST_ALL} off, so the socket gets
 *       multicast only for groups joined on it: join them on the
 *       {@link RawIpSocket} before adopting it.</li>
 * </ul>
 */
public final class EpollRawChannels {
    private EpollRawChannels() {
    }

    /**
     * Wraps {@code socket}'s descriptor in an unregistered channel, which owns
     * it from then on (closing the channel closes it); {@code socket} is left
     * released. Register the channel on an epoll event loop to use it.
     *
     * @throws IllegalArgumentException when the socket is blocking: an epoll loop would stall on its reads
     */
    public static EpollDatagramChannel adopt(RawIpSocket socket) {
        if (!socket.isNonBlocking()) {
            throw new IllegalArgumentException("blocking socket: " + socket
                    + " (expected: one from RawIpSocket.openNonBlocking, epoll needs O_NONBLOCK)");
        }
        return new EpollDatagramChannel(socket.releaseFd());
    }
}
