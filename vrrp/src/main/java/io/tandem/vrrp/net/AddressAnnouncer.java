package io.tandem.vrrp.net;

import io.tandem.core.afpacket.PacketSocket;
import io.tandem.core.afpacket.PacketSocketContext;
import io.tandem.core.linux.LinuxException;
import io.tandem.core.packet.ArpFlyweight;
import io.tandem.core.packet.EthernetFlyweight;
import io.tandem.core.packet.Icmpv6Flyweight;
import io.tandem.core.packet.Ipv6Flyweight;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.function.Function;

/**
 * Announces addresses on one interface: a {@link GratuitousArp} for each IPv4 address, an
 * {@link UnsolicitedNeighborAdvertisement} for each IPv6 one, sent through a send-only
 * AF_PACKET socket (protocol 0: it receives nothing). One frame buffer, reused; not
 * thread-safe: use it from the instances' event loop.
 */
public final class AddressAnnouncer implements AutoCloseable {
    private final PacketSocket socket;
    private final long mac;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment frame = arena.allocate(128);
    private final EthernetFlyweight ethernet = new EthernetFlyweight();
    private final ArpFlyweight arp = new ArpFlyweight();
    private final Ipv6Flyweight ipv6 = new Ipv6Flyweight();
    private final Icmpv6Flyweight icmpv6 = new Icmpv6Flyweight();
    private long sent;
    private long failed;

    private AddressAnnouncer(PacketSocket socket, long mac) {
        this.socket = socket;
        this.mac = mac;
    }

    /** Opens the socket on {@code interfaceName}, in the calling thread's network namespace. */
    public static AddressAnnouncer open(String interfaceName) throws LinuxException {
        PacketSocket socket = PacketSocket.open(new PacketSocketContext().interfaceName(interfaceName).protocol(0));
        try {
            long mac = 0;
            for (byte b : socket.macAddress()) {
                mac = mac << 8 | (b & 0xFF);
            }
            return new AddressAnnouncer(socket, mac);
        } catch (LinuxException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Sends {@code repeat} frames for each address {@code address} maps to; returns how many went out.
     * With {@code repeat} 0 the frames are built and nothing is sent (a rehearsal).
     */
    public <T> int announce(List<T> addresses, Function<T, InetAddress> address, int repeat) {
        int count = 0;
        for (T item : addresses) {
            int length = switch (address.apply(item)) {
                case Inet4Address v4 -> GratuitousArp.write(frame, mac, v4, ethernet, arp);
                case Inet6Address v6 -> UnsolicitedNeighborAdvertisement.write(frame, mac, v6, ethernet, ipv6, icmpv6);
                default -> 0;
            };
            for (int i = 0; i < repeat && length > 0; i++) {
                if (socket.send(frame, length) == length) {
                    sent++;
                    count++;
                } else {
                    failed++;
                }
            }
        }
        return count;
    }

    public long sent() {
        return sent;
    }

    public long failed() {
        return failed;
    }

    @Override
    public void close() {
        socket.close();
        arena.close();
    }
}
