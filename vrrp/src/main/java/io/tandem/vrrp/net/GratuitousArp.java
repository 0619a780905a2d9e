package io.tandem.vrrp.net;

import io.tandem.core.afpacket.PacketSocket;
import io.tandem.core.afpacket.PacketSocketContext;
import io.tandem.core.linux.LinuxException;
import io.tandem.core.packet.ArpFlyweight;
import io.tandem.core.packet.EthernetFlyweight;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Gratuitous ARP on one interface (RFC 9568 §6.4.1 "broadcast a gratuitous ARP request
 * containing the virtual router MAC address for each IP address"; RFC 5227 §3 for the
 * form): an ARP request with sender and target protocol address both the VIP, from the
 * interface's MAC (Tandem does not use the virtual MAC 00-00-5E-00-01-{VRID}, like
 * keepalived without {@code use_vmac}), to the broadcast address. Sent through a
 * send-only AF_PACKET socket (protocol 0: it receives nothing). One frame buffer,
 * reused; not thread-safe: use it from the instance's event loop.
 */
public final class GratuitousArp implements AutoCloseable {
    static final long BROADCAST = 0xFFFF_FFFF_FFFFL;
    static final int FRAME_LENGTH = EthernetFlyweight.HEADER_LENGTH + ArpFlyweight.LENGTH;

    private final PacketSocket socket;
    private final long mac;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment frame = arena.allocate(64);
    private final EthernetFlyweight ethernet = new EthernetFlyweight();
    private final ArpFlyweight arp = new ArpFlyweight();
    private long sent;
    private long failed;

    private GratuitousArp(PacketSocket socket, long mac) {
        this.socket = socket;
        this.mac = mac;
    }

    /** Opens the socket on {@code interfaceName}, in the calling thread's network namespace. */
    public static GratuitousArp open(String interfaceName) throws LinuxException {
        PacketSocket socket = PacketSocket.open(new PacketSocketContext().interfaceName(interfaceName).protocol(0));
        try {
            byte[] m = socket.macAddress();
            long mac = 0;
            for (byte b : m) {
                mac = mac << 8 | (b & 0xFF);
            }
            return new GratuitousArp(socket, mac);
        } catch (LinuxException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Writes the gratuitous ARP for {@code address} into {@code into} at offset 0; returns its length. */
    static int write(MemorySegment into, long senderMac, Inet4Address address, EthernetFlyweight ethernet,
            ArpFlyweight arp) {
        into.asSlice(0, FRAME_LENGTH).fill((byte) 0);
        ethernet.wrap(into, 0, FRAME_LENGTH).destination(BROADCAST).source(senderMac)
                .etherType(EthernetFlyweight.ETHERTYPE_ARP);
        byte[] b = address.getAddress();
        int ip = (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
        arp.wrap(into, EthernetFlyweight.HEADER_LENGTH).writeEthernetIpv4Header(ArpFlyweight.OPERATION_REQUEST)
                .senderHardwareAddress(senderMac).senderProtocolAddress(ip)
                .targetHardwareAddress(0).targetProtocolAddress(ip);
        return FRAME_LENGTH;
    }

    /** Sends one gratuitous ARP for each IPv4 address of {@code addresses}; returns how many went out. */
    public int announce(Iterable<InetAddress> addresses) {
        int count = 0;
        for (InetAddress address : addresses) {
            if (address instanceof Inet4Address v4) {
                int length = write(frame, mac, v4, ethernet, arp);
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
