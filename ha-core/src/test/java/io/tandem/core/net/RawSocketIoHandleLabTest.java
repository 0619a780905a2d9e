package io.tandem.core.net;

import static io.tandem.core.net.RawIpSocketLabTest.WAIT_MILLIS;
import static io.tandem.core.net.RawIpSocketLabTest.advert;
import static io.tandem.core.net.RawIpSocketLabTest.open;
import static io.tandem.core.net.RawIpSocketLabTest.receiveWithin;
import static io.tandem.core.net.VethLab.A4;
import static io.tandem.core.net.VethLab.A6;
import static io.tandem.core.net.VethLab.A6_LINK_LOCAL;
import static io.tandem.core.net.VethLab.VRRP_GROUP_V4;
import static io.tandem.core.net.VethLab.VRRP_GROUP_V6;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.tandem.core.lab.LabTest;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link RawSocketIoHandle} on a Netty epoll loop and {@link SendTarget}s, between two
 * namespaces: datagrams arrive on the loop's thread with the hop limit and packet info
 * of their control messages, and a target's source address is the one on the wire.
 */
@LabTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RawSocketIoHandleLabTest {
    private VethLab lab;
    private MultiThreadIoEventLoopGroup group;
    private IoEventLoop loop;
    private final MemorySegment buffer = Arena.ofAuto().allocate(2048, 8);
    private final MemorySegment payload = Arena.ofAuto().allocate(64, 8);
    private final ReceivedDatagram datagram = new ReceivedDatagram();

    /** What the receiver saw, copied off the loop. */
    private record Seen(InetAddress sender, InetAddress destination, int hopLimit, byte[] payload, String thread) {
    }

    @BeforeAll
    void start() throws Exception {
        lab = VethLab.create();
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        loop = (IoEventLoop) group.next();
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (group != null) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            }
        } finally {
            if (lab != null) {
                lab.close();
            }
        }
    }

    private RawSocketIoHandle receiver(IpFamily family, InetAddress group, BlockingQueue<Seen> seen) throws Exception {
        RawIpSocket socket = lab.b().call(() -> RawIpSocket.openNonBlocking(family, RawIpSocketLabTest.VRRP));
        socket.bindToDevice(lab.ifB);
        socket.joinGroup(group, lab.ifB);
        return RawSocketIoHandle.register(loop, socket, (buffer, d) -> seen.add(new Seen(d.sender(), d.destination(),
                d.hopLimit(), buffer.asSlice(d.payloadOffset(), d.payloadLength()).toArray(ValueLayout.JAVA_BYTE),
                Thread.currentThread().getName())));
    }

    private RawIpSocket sender(IpFamily family) throws Exception {
        RawIpSocket sender = open(lab.a(), family);
        sender.setMulticastInterface(lab.ifA);
        sender.setMulticastHopLimit(255);
        return sender;
    }

    private MemorySegment payload(int marker) {
        byte[] bytes = advert(marker);
        MemorySegment.copy(bytes, 0, payload, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return payload;
    }

    @Test
    void ipv6DatagramsReachTheLoopWithHopLimitAndDestination() throws Exception {
        BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
        RawSocketIoHandle handle = receiver(IpFamily.IPV6, VRRP_GROUP_V6, seen);
        try (RawIpSocket sender = sender(IpFamily.IPV6)) {
            SendTarget target = sender.target(VRRP_GROUP_V6, null, 0);
            for (int i = 0; i < 3; i++) {
                assertThat(sender.send(target, payload(40 + i), 12)).isTrue();
            }
            for (int i = 0; i < 3; i++) {
                Seen s = seen.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
                assertThat(s).as("datagram %d on the loop", i).isNotNull();
                assertThat(s.thread()).isEqualTo(threadOf(loop));
                assertThat(s.sender()).as("the kernel chose the link-local source").isEqualTo(A6_LINK_LOCAL);
                assertThat(s.hopLimit()).isEqualTo(255);
                assertThat(s.destination()).isEqualTo(VRRP_GROUP_V6);
                assertThat(s.payload()).containsExactly(advert(40 + i));
            }
        } finally {
            loop.submit(() -> {
                handle.close();
                return null;
            }).sync();
        }
        assertThat(handle.socket().isOpen()).isFalse();
    }

    @Test
    void ipv4DatagramsCarryTheirHeaderAndTtl() throws Exception {
        BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
        RawSocketIoHandle handle = receiver(IpFamily.IPV4, VRRP_GROUP_V4, seen);
        try (RawIpSocket sender = sender(IpFamily.IPV4)) {
            assertThat(sender.send(sender.target(VRRP_GROUP_V4, null, 0), payload(50), 12)).isTrue();
            Seen s = seen.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            assertThat(s).isNotNull();
            assertThat(s.sender()).isEqualTo(A4);
            assertThat(s.hopLimit()).as("TTL from IP_RECVTTL").isEqualTo(255);
            assertThat(s.payload()).as("after the IPv4 header").containsExactly(advert(50));
        } finally {
            loop.submit(() -> {
                handle.close();
                return null;
            }).sync();
        }
    }

    @Test
    void aTargetsSourceIsTheSourceOnTheWire() throws Exception {
        try (RawIpSocket receiver = open(lab.b(), IpFamily.IPV6); RawIpSocket sender = sender(IpFamily.IPV6)) {
            receiver.joinGroup(VRRP_GROUP_V6, lab.ifB);
            int ifindexA = sender.interfaceIndex(lab.ifA);
            // to a link-scope group the kernel would pick fe80::1; packet info makes it the ULA
            assertThat(sender.send(sender.target(VRRP_GROUP_V6, A6, ifindexA), payload(60), 12)).isTrue();
            assertThat(receiveWithin(receiver, buffer, datagram, WAIT_MILLIS)).isTrue();
            assertThat(datagram.isFrom(A6)).as("sender %s", datagram.sender()).isTrue();
            assertThat(sender.send(sender.target(VRRP_GROUP_V6, A6_LINK_LOCAL, ifindexA), payload(61), 12)).isTrue();
            assertThat(receiveWithin(receiver, buffer, datagram, WAIT_MILLIS)).isTrue();
            assertThat(datagram.isFrom(A6_LINK_LOCAL)).as("sender %s", datagram.sender()).isTrue();
        }
        InetAddress second = InetAddress.getByName("10.99.0.11");
        lab.a().exec("ip", "addr", "add", "10.99.0.11/24", "dev", lab.ifA).orThrow();
        try (RawIpSocket receiver = open(lab.b(), IpFamily.IPV4); RawIpSocket sender = sender(IpFamily.IPV4)) {
            receiver.joinGroup(VRRP_GROUP_V4, lab.ifB);
            assertThat(sender.send(sender.target(VRRP_GROUP_V4, second, 0), payload(62), 12)).isTrue();
            assertThat(receiveWithin(receiver, buffer, datagram, WAIT_MILLIS)).isTrue();
            assertThat(datagram.sender()).as("ipi_spec_dst is the source").isEqualTo(second);
            assertThat(sender.send(sender.target(VRRP_GROUP_V4, null, 0), payload(63), 12)).isTrue();
            assertThat(receiveWithin(receiver, buffer, datagram, WAIT_MILLIS)).isTrue();
            assertThat(datagram.sender()).as("the kernel's choice").isEqualTo(A4);
        } finally {
            lab.a().exec("ip", "addr", "del", "10.99.0.11/24", "dev", lab.ifA);
        }
    }

    /**
     * Sending to a target allocates nothing per packet, measured with the JVM's per-thread
     * allocation counter once the JIT has compiled the path (as in RawIpSocketLabTest).
     */
    @Test
    void sendingToATargetAllocatesNothingPerPacket() throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        int batch = 100;
        try (RawIpSocket sender = sender(IpFamily.IPV6)) {
            SendTarget target = sender.target(VRRP_GROUP_V6, A6_LINK_LOCAL, sender.interfaceIndex(lab.ifA));
            MemorySegment packet = payload(70);
            long measured = Long.MAX_VALUE;
            for (int round = 0; round < 3000 && measured >= 16L * batch; round++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < batch; i++) {
                    sender.send(target, packet, 12);
                }
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                if (round >= 300) {
                    measured = allocated;
                }
            }
            System.out.printf("send(SendTarget): %d bytes allocated over %d packets%n", measured, batch);
            assertThat(measured).as("bytes allocated sending %d packets", batch).isLessThan(16L * batch);
        }
    }

    private static String threadOf(IoEventLoop loop) throws Exception {
        return loop.submit(() -> Thread.currentThread().getName()).get();
    }
}
