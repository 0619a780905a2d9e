package io.tandem.core.net;

import static io.tandem.core.net.VethLab.A4;
import static io.tandem.core.net.VethLab.A6;
import static io.tandem.core.net.VethLab.A6_LINK_LOCAL;
import static io.tandem.core.net.VethLab.B4;
import static io.tandem.core.net.VethLab.B6;
import static io.tandem.core.net.VethLab.VRRP_GROUP_V4;
import static io.tandem.core.net.VethLab.VRRP_GROUP_V6;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.lab.LabTest;
import io.tandem.core.lab.Netns;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * VRRP-shaped traffic (IP protocol 112) between two namespaces over a veth
 * pair, sent and received only through {@link RawIpSocket}.
 */
@LabTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RawIpSocketLabTest {
    static final int VRRP = 112;
    static final int WAIT_MILLIS = 5_000;
    /** How long silence must last to count as "not delivered". */
    static final int SILENCE_MILLIS = 300;

    private VethLab lab;
    private final MemorySegment buffer = Arena.ofAuto().allocate(2048, 8);
    private final ReceivedDatagram datagram = new ReceivedDatagram();

    @BeforeAll
    void createLab() throws Exception {
        lab = VethLab.create();
    }

    @AfterAll
    void deleteLab() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    static RawIpSocket open(Netns ns, IpFamily family) throws Exception {
        return ns.call(() -> RawIpSocket.open(family, VRRP));
    }

    /** A VRRPv3 advertisement (RFC 5798 §5.1) with {@code marker} as VRID; its checksum is left 0. */
    static byte[] advert(int marker) {
        return new byte[] {
            0x31,               // version 3, type 1 (ADVERTISEMENT)
            (byte) marker,      // VRID
            100,                // priority
            1,                  // count IPvX addr
            0x00, 0x64,         // reserved (4 bits), max advert interval 100 centiseconds
            0x00, 0x00,         // checksum
            10, 99, 0, 100,     // IPvX address 10.99.0.100
        };
    }

    static boolean receiveWithin(RawIpSocket socket, MemorySegment buffer, ReceivedDatagram into, int millis)
            throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        long left;
        while ((left = (deadline - System.nanoTime()) / 1_000_000L) > 0) {
            if (socket.awaitReadable((int) left) && socket.receive(buffer, into)) {
                return true;
            }
        }
        return false;
    }

    private byte[] payload() {
        return buffer.asSlice(datagram.payloadOffset(), datagram.payloadLength()).toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void ipv4MulticastArrivesWithTtl255FromTheSender() throws Exception {
        try (RawIpSocket receiver = open(lab.b(), IpFamily.IPV4); RawIpSocket sender = open(lab.a(), IpFamily.IPV4)) {
            receiver.joinGroup(VRRP_GROUP_V4, lab.ifB);
            sender.setMulticastInterface(lab.ifA);
            sender.setMulticastHopLimit(255);

            assertThat(sender.send(VRRP_GROUP_V4, advert(1), 0, 12)).isTrue();

            assertThat(receiveWithin(receiver, buffer, datagram, WAIT_MILLIS)).as("advert received").isTrue();
            assertThat(datagram.sender()).isEqualTo(A4);
            assertThat(datagram.isFrom(A4)).isTrue();
            assertThat(datagram.senderIpv4()).isEqualTo(10 << 24 | 99 << 16 | 1);
            assertThat(datagram.hopLimit()).as("TTL from IP_RECVTTL").isEqualTo(255);
            assertThat(buffer.get(ValueLayout.JAVA_BYTE, 8) & 0xFF).as("TTL in the IPv4 header").isEqualTo(255);
            assertThat(buffer.get(ValueLayout.JAVA_BYTE, 9) & 0xFF).as("protocol in the IPv4 header").isEqualTo(VRRP);
            assertThat(datagram.destination()).isEqualTo(VRRP_GROUP_V4);
            assertThat(datagram.interfaceIndex()).isEqualTo(receiver.interfaceIndex(lab.ifB));
            assertThat(datagram.payloadOffset()).isEqualTo(20);
            assertThat(payload()).containsExactly(advert(1));
            assertThat(datagram.truncated()).isFalse();
        }
    }

    @Test
    void ipv6MulticastArrivesWithHopLimit255FromTheLinkLocalSender() throws Exception {
        try (RawIpSocket receiver = open(lab.b(), IpFamily.IPV6); RawIpSocket sender = open(lab.a(), IpFamily.IPV6)) {
            receiver.joinGroup(VRRP_GROUP_V6, lab.ifB);
            sender.setMulticastInterface(lab.ifA);
            sender.setMulticastHopLimit(255);

            assertThat(sender.send(VRRP_GROUP_V6, advert(2), 0, 12)).isTrue();

            assertThat(receiveWithin(receiver, buffer, datagram, WAIT_MILLIS)).as("advert received").isTrue();
            int ifindexB = receiver.interfaceIndex(lab.ifB);
            assertThat(datagram.isFrom(A6_LINK_LOCAL)).as("sender %s", datagram.sender()).isTrue();
            assertThat(((Inet6Address) datagram.sender()).getScopeId()).isEqualTo(ifindexB);
            assertThat(datagram.hopLimit()).as("hop limit from IPV6_HOPLIMIT").isEqualTo(255);
            assertThat(datagram.destination()).isEqualTo(VRRP_GROUP_V6);
            assertThat(datagram.interfaceIndex()).isEqualTo(ifindexB);
            assertThat(datagram.payloadOffset()).as("IPv6 raw sockets get no IP header").isZero();
            assertThat(payload()).containsExactly(advert(2));
        }
    }

    @Test
    void ipv4UnicastArrivesWithTtl255() throws Exception {
        try (RawIpSocket receiver = open(lab.b(), IpFamily.IPV4); RawIpSocket sender = open(lab.a(), IpFamily.IPV4)) {
            sender.setUnicastHopLimit(255);

            assertThat(sender.send(B4, advert(3), 0, 12)).isTrue();

            assertThat(receiveWithin(receiver, buffer, datagram, WAIT_MILLIS)).isTrue();
            assertThat(datagram.sender()).isEqualTo(A4);
            assertThat(datagram.destination()).isEqualTo(B4);
            assertThat(datagram.hopLimit()).isEqualTo(255);
            assertThat(payload()).containsExactly(advert(3));
        }
    }

    @Test
    void ipv6UnicastArrivesWithHopLimit255() throws Exception {
        try (RawIpSocket receiver = open(lab.b(), IpFamily.IPV6); RawIpSocket sender = open(lab.a(), IpFamily.IPV6)) {
            sender.setUnicastHopLimit(255);

            assertThat(sender.send(B6, advert(4), 0, 12)).isTrue();

            assertThat(receiveWithin(receiver, buffer, datagram, WAIT_MILLIS)).isTrue();
            assertThat(datagram.sender()).isEqualTo(A6);
            assertThat(datagram.destination()).isEqualTo(B6);
            assertThat(datagram.hopLimit()).isEqualTo(255);
            assertThat(payload()).containsExactly(advert(4));
        }
    }

    @Test
    void defaultTtlIsNot255SoTheOptionsMatter() throws Exception {
        try (RawIpSocket receiver = open(lab.b(), IpFamily.IPV4); RawIpSocket sender = open(lab.a(), IpFamily.IPV4)) {
            receiver.joinGroup(VRRP_GROUP_V4, lab.ifB);
            sender.setMulticastInterface(lab.ifA);

            sender.send(VRRP_GROUP_V4, advert(5), 0, 12);

            assertThat(receiveWithin(receiver, buffer, datagram, WAIT_MILLIS)).isTrue();
            assertThat(datagram.hopLimit()).as("IP_MULTICAST_TTL default (ip(7))").isEqualTo(1);
        }
    }

    @Test
    void ipv4LeavingTheGroupStopsDelivery() throws Exception {
        try (RawIpSocket receiver = open(lab.b(), IpFamily.IPV4); RawIpSocket sender = open(lab.a(), IpFamily.IPV4)) {
            receiver.joinGroup(VRRP_GROUP_V4, lab.ifB);
            sender.setMulticastInterface(lab.ifA);
            sender.send(VRRP_GROUP_V4, advert(6), 0, 12);
            assertThat(receiveWithin(receiver, buffer, datagram, WAIT_MILLIS)).as("delivered while joined").isTrue();

            receiver.leaveGroup(VRRP_GROUP_V4, lab.ifB);
            sender.send(VRRP_GROUP_V4, advert(7), 0, 12);
            sender.send(B4, advert(8), 0, 12);

            assertThat(receiveWithin(receiver, buffer, datagram, WAIT_MILLIS)).isTrue();
            assertThat(payload()).as("the unicast sent after the group advert comes first").containsExactly(advert(8));
            assertThat(receiver.awaitReadable(SILENCE_MILLIS)).as("no group advert after leaving").isFalse();
        }
    }

    @Test
    void ipv6LeavingTheGroupStopsDelivery() throws Exception {
        try (RawIpSocket receiver = open(lab.b(), IpFamily.IPV6); RawIpSocket sender = open(lab.a(), IpFamily.IPV6)) {
            int ifindexB = receiver.interfaceIndex(lab.ifB);
            receiver.joinGroup(VRRP_GROUP_V6, ifindexB);
            sender.setMulticastInterface(sender.interfaceIndex(lab.ifA));
            sender.send(VRRP_GROUP_V6, advert(9), 0, 12);
            assertThat(receiveWithin(receiver, buffer, datagram, WAIT_MILLIS)).as("delivered while joined").isTrue();

            receiver.leaveGroup(VRRP_GROUP_V6, ifindexB);
            sender.send(VRRP_GROUP_V6, advert(10), 0, 12);
            sender.send(B6, advert(11), 0, 12);

            assertThat(receiveWithin(receiver, buffer, datagram, WAIT_MILLIS)).isTrue();
            assertThat(payload()).containsExactly(advert(11));
            assertThat(receiver.awaitReadable(SILENCE_MILLIS)).as("no group advert after leaving").isFalse();
        }
    }

    @Test
    void multicastLoopDecidesWhetherTheSendersHostHearsItself() throws Exception {
        try (RawIpSocket receiver = open(lab.b(), IpFamily.IPV4); RawIpSocket sender = open(lab.a(), IpFamily.IPV4)) {
            receiver.joinGroup(VRRP_GROUP_V4, lab.ifB);
            sender.joinGroup(VRRP_GROUP_V4, lab.ifA);
            sender.setMulticastInterface(lab.ifA);

            sender.setMulticastLoop(false);
            sender.send(VRRP_GROUP_V4, advert(12), 0, 12);
            assertThat(receiveWithin(receiver, buffer, datagram, WAIT_MILLIS)).isTrue();
            assertThat(sender.awaitReadable(SILENCE_MILLIS)).as("own advert with loop off").isFalse();

            sender.setMulticastLoop(true);
            sender.send(VRRP_GROUP_V4, advert(13), 0, 12);
            assertThat(receiveWithin(sender, buffer, datagram, WAIT_MILLIS)).as("own advert with loop on").isTrue();
            assertThat(payload()).containsExactly(advert(13));
        }
    }

    @Test
    void boundToAnotherDeviceHearsNothing() throws Exception {
        try (RawIpSocket onVeth = open(lab.b(), IpFamily.IPV4);
                RawIpSocket onLoopback = open(lab.b(), IpFamily.IPV4);
                RawIpSocket sender = open(lab.a(), IpFamily.IPV4)) {
            onVeth.bindToDevice(lab.ifB);
            onLoopback.bindToDevice("lo");

            sender.send(B4, advert(14), 0, 12);

            assertThat(receiveWithin(onVeth, buffer, datagram, WAIT_MILLIS)).isTrue();
            // raw_v4_input() offers a packet to every raw socket at once, so the other one would be readable by now
            assertThat(onLoopback.awaitReadable(0)).isFalse();
        }
    }

    @Test
    void boundToAUnicastAddressHearsNoMulticast() throws Exception {
        try (RawIpSocket receiver = open(lab.b(), IpFamily.IPV4); RawIpSocket sender = open(lab.a(), IpFamily.IPV4)) {
            receiver.bind(B4);
            receiver.joinGroup(VRRP_GROUP_V4, lab.ifB);
            sender.setMulticastInterface(lab.ifA);

            sender.send(VRRP_GROUP_V4, advert(15), 0, 12);
            sender.send(B4, advert(16), 0, 12);

            assertThat(receiveWithin(receiver, buffer, datagram, WAIT_MILLIS)).isTrue();
            assertThat(payload()).containsExactly(advert(16));
            assertThat(receiver.awaitReadable(SILENCE_MILLIS)).isFalse();
        }
    }

    @Test
    void ipv6ChecksumIsComputedBySenderAndVerifiedByReceiver() throws Exception {
        try (RawIpSocket receiver = open(lab.b(), IpFamily.IPV6);
                RawIpSocket plain = open(lab.a(), IpFamily.IPV6);
                RawIpSocket checksummed = open(lab.a(), IpFamily.IPV6)) {
            receiver.setChecksumOffset(6);
            checksummed.setChecksumOffset(6);

            plain.send(B6, advert(17), 0, 12);      // checksum left 0: the receiver's kernel drops it
            checksummed.send(B6, advert(18), 0, 12);

            assertThat(receiveWithin(receiver, buffer, datagram, WAIT_MILLIS)).isTrue();
            byte[] received = payload();
            assertThat(received[1]).as("VRID of the checksummed advert").isEqualTo((byte) 18);
            assertThat(received[6] << 8 | received[7] & 0xFF).as("checksum filled in by the kernel").isNotZero();
            assertThat(receiver.awaitReadable(SILENCE_MILLIS)).as("advert with a bad checksum dropped").isFalse();
        }
    }

    @Test
    void truncationIsReported() throws Exception {
        try (RawIpSocket receiver = open(lab.b(), IpFamily.IPV6); RawIpSocket sender = open(lab.a(), IpFamily.IPV6)) {
            sender.send(B6, advert(19), 0, 12);

            assertThat(receiveWithin(receiver, buffer.asSlice(0, 4), datagram, WAIT_MILLIS)).isTrue();
            assertThat(datagram.truncated()).isTrue();
            assertThat(datagram.length()).isEqualTo(4);
        }
    }

    @Test
    void opensWithCloexecAndNonBlockingOnlyWhenAsked() throws Exception {
        try (RawIpSocket blocking = open(lab.a(), IpFamily.IPV4);
                RawIpSocket nonBlocking = lab.a().call(() -> RawIpSocket.openNonBlocking(IpFamily.IPV6, VRRP))) {
            int blockingFlags = fileFlags(blocking.fd());
            int nonBlockingFlags = fileFlags(nonBlocking.fd());

            assertThat(blockingFlags & O_CLOEXEC).isNotZero();
            assertThat(blockingFlags & O_NONBLOCK).isZero();
            assertThat(nonBlockingFlags & O_CLOEXEC).isNotZero();
            assertThat(nonBlockingFlags & O_NONBLOCK).isNotZero();
        }
    }

    private static final int O_NONBLOCK = 0x800;
    private static final int O_CLOEXEC = 0x80000;

    /** The "flags:" line of /proc/self/fdinfo/FD (octal), proc(5). */
    private static int fileFlags(int fd) throws Exception {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/fdinfo/" + fd))) {
            if (line.startsWith("flags:")) {
                return Integer.parseInt(line.substring("flags:".length()).strip(), 8);
            }
        }
        throw new AssertionError("no flags in /proc/self/fdinfo/" + fd);
    }

    /**
     * send(), awaitReadable() and receive() allocate nothing per packet: measured with
     * the JVM's per-thread allocation counter around those calls only, after
     * enough warm-up for the JIT to compile the path.
     */
    @Test
    void sendAndReceiveAllocateNothingPerPacket() throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        int batch = 100;
        try (RawIpSocket receiver = open(lab.b(), IpFamily.IPV4); RawIpSocket sender = open(lab.a(), IpFamily.IPV4)) {
            byte[] payload = advert(0);
            // The JIT decides when the path is compiled (and its temporaries scalar-replaced); until
            // then the interpreter and C1 allocate. So: run until a window of 30 rounds (3000
            // packets) allocates nothing per packet, within 3000 rounds; never reaching it fails.
            int window = 30;
            long[] receiveBytes = new long[window];
            long[] sendBytes = new long[window];
            long measured = Long.MAX_VALUE;
            long measuredSend = Long.MAX_VALUE;
            int packets = window * batch;
            int round = 0;
            for (; round < 3000; round++) {
                long beforeSend = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < batch; i++) {
                    sender.send(B4, payload, 0, payload.length);
                }
                long allocatedSend = threads.getCurrentThreadAllocatedBytes() - beforeSend;
                long before = threads.getCurrentThreadAllocatedBytes();
                int received = 0;
                while (received < batch && receiver.awaitReadable(WAIT_MILLIS) && receiver.receive(buffer, datagram)) {
                    received++;
                }
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                assertThat(received).as("round %d", round).isEqualTo(batch);
                receiveBytes[round % window] = allocated;
                sendBytes[round % window] = allocatedSend;
                if (round >= 300 && round % window == window - 1) {
                    measured = java.util.Arrays.stream(receiveBytes).sum();
                    measuredSend = java.util.Arrays.stream(sendBytes).sum();
                    if (measured < 16L * packets && measuredSend < 16L * packets) {
                        break;
                    }
                }
            }
            System.out.printf("after %d rounds: awaitReadable() + receive(): %d bytes allocated over %d packets%n",
                    round, measured, packets);
            System.out.printf("send(): %d bytes allocated over %d packets%n", measuredSend, packets);
            // the smallest object is 16 bytes: below that on average, no packet allocated one
            assertThat(measured).as("bytes allocated receiving %d packets", packets).isLessThan(16L * packets);
            assertThat(measuredSend).as("bytes allocated sending %d packets", packets).isLessThan(16L * packets);
        }
    }
}
