package io.tandem.core.afpacket;

import static io.tandem.core.afpacket.TestFrames.BE_INT;
import static io.tandem.core.afpacket.TwoHostBridge.A_IF;
import static io.tandem.core.afpacket.TwoHostBridge.A_IP;
import static io.tandem.core.afpacket.TwoHostBridge.B_IF;
import static io.tandem.core.afpacket.TwoHostBridge.B_IP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.tandem.core.bpf.Bpf;
import io.tandem.core.bpf.BpfProgram;
import io.tandem.core.lab.LabTest;
import io.tandem.core.lab.Netns;
import io.tandem.core.linux.Errno;
import io.tandem.core.linux.Libc;
import io.tandem.core.linux.LinuxException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * AF_PACKET sockets and rings on a real bridge: hosts A and B in their own
 * namespaces, joined by veth pairs to a bridge in a third (see {@link TwoHostBridge}).
 */
@LabTest
class PacketSocketLabTest {
    private static final int EX1 = AfPacket.ETH_P_802_EX1;
    private static final int WAIT_MILLIS = 5_000;

    private static TwoHostBridge lab;
    private Arena arena;

    @BeforeAll
    static void buildLab() throws Exception {
        lab = TwoHostBridge.create();
    }

    @AfterAll
    static void removeLab() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @BeforeEach
    void openArena() {
        arena = Arena.ofShared();
    }

    @AfterEach
    void closeArena() {
        arena.close();
    }

    private static PacketSocket open(Netns ns, PacketSocketContext context) throws Exception {
        return ns.call(() -> PacketSocket.open(context));
    }

    private static PacketSocketContext on(String ifName, int protocol) {
        return new PacketSocketContext().interfaceName(ifName).protocol(protocol);
    }

    /** The next frame from the plain socket within {@link #WAIT_MILLIS}, its length; fails on time-out. */
    private static int receive(PacketSocket socket, MemorySegment buffer) {
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000L;
        while (true) {
            int n = socket.receive(buffer);
            if (n >= 0) {
                return n;
            }
            assertThat(n).as("receive on %s: %s", socket, Errno.name(n)).isEqualTo(-Errno.EAGAIN);
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return fail("no frame on " + socket + " within " + WAIT_MILLIS + " ms");
            }
            socket.poll(Libc.POLLIN, (int) left);
        }
    }

    /** The next frame from the ring within {@link #WAIT_MILLIS}; fails on time-out. */
    private static RxFrame next(PacketRxRing ring, String what) {
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000L;
        while (true) {
            RxFrame frame = ring.next();
            if (frame != null) {
                return frame;
            }
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return fail("no frame within " + WAIT_MILLIS + " ms: " + what);
            }
            ring.await((int) left);
        }
    }

    private MemorySegment testFrame(PacketSocket from, PacketSocket to, String text) throws LinuxException {
        MemorySegment frame = arena.allocate(60);
        TestFrames.ethernet(frame, to.macAddress(), from.macAddress(), EX1);
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(bytes, 0, frame, ValueLayout.JAVA_BYTE, 14, bytes.length);
        return frame;
    }

    @Test
    void plainSocketFrameCrossesTheBridgeBothWays() throws Exception {
        try (PacketSocket a = open(lab.a, on(A_IF, EX1));
                PacketSocket b = open(lab.b, on(B_IF, EX1))) {
            MemorySegment buffer = arena.allocate(2048);
            for (PacketSocket[] pair : new PacketSocket[][] {{a, b}, {b, a}}) {
                MemorySegment sent = testFrame(pair[0], pair[1], "from " + pair[0].interfaceName());

                assertThat(pair[0].send(sent, 60)).isEqualTo(60);

                assertThat(receive(pair[1], buffer)).isEqualTo(60);
                assertThat(buffer.asSlice(0, 60).toArray(ValueLayout.JAVA_BYTE))
                        .isEqualTo(sent.toArray(ValueLayout.JAVA_BYTE));
            }
        }
    }

    @Test
    void macAddressIsTheInterfaceAddress() throws Exception {
        try (PacketSocket a = open(lab.a, on(A_IF, EX1))) {
            assertThat(a.macAddressString()).isEqualTo(TwoHostBridge.macOf(lab.a, A_IF));
            assertThat(a.macAddress()).hasSize(6);
        }
    }

    @Test
    void txRingBatchArrivesThroughRxRingIntactAndInOrder() throws Exception {
        RingGeometry ring = RingGeometry.of(2048, 1024);
        try (PacketSocket a = open(lab.a, on(A_IF, EX1).rxRing(ring).txRing(ring));
                PacketSocket b = open(lab.b, on(B_IF, EX1).rxRing(ring).txRing(ring))) {
            sendBatchAndCheck(a, b, 1000);
            sendBatchAndCheck(b, a, 1000);
            sendBatchAndCheck(a, b, 1000);   // a second lap: slots wrap and are reused
        }
    }

    @Test
    void smallTxRingRefilledAsTheKernelFreesSlots() throws Exception {
        int count = 2_000;
        try (PacketSocket a = open(lab.a, on(A_IF, 0).txRing(RingGeometry.of(2048, 64)));
                PacketSocket b = open(lab.b, on(B_IF, EX1).rxRing(RingGeometry.of(2048, 4096)))) {
            assertThat(a.mtu()).isEqualTo(1500);
            assertThat(a.txRing().maxFrameLength()).isEqualTo(1514);
            byte[] dst = b.macAddress();
            byte[] src = a.macAddress();
            PacketTxRing tx = a.txRing();
            int full = 0;
            for (int seq = 0; seq < count; seq++) {
                TxFrame frame;
                while ((frame = tx.claim()) == null) {
                    full++;
                    assertThat(tx.flush()).isPositive();
                    tx.awaitSlot(WAIT_MILLIS);
                }
                TestFrames.ethernet(frame.data(), dst, src, EX1);
                frame.data().set(BE_INT, 14, seq);
                assertThat(frame.commit(60)).isTrue();
            }
            assertThat(tx.flush()).isPositive();
            assertThat(full).as("times the 64-slot ring was full").isGreaterThanOrEqualTo(count / 64 - 1);

            for (int seq = 0; seq < count; seq++) {
                RxFrame frame = next(b.rxRing(), "frame " + seq);
                assertThat(frame.data().get(BE_INT, 14)).isEqualTo(seq);
                frame.release();
            }
            assertThat(b.statistics().drops()).isZero();
            assertThat(tx.rejected()).isZero();
            assertThat(tx.kickFailures()).isZero();
        }
    }

    private static int batchLength(int seq) {
        return 60 + (seq % 100) * 8;
    }

    private static byte batchByte(int seq, int index) {
        return (byte) (seq * 31 + index);
    }

    private void sendBatchAndCheck(PacketSocket from, PacketSocket to, int count) throws LinuxException {
        byte[] dst = to.macAddress();
        byte[] src = from.macAddress();
        PacketTxRing tx = from.txRing();
        long bytes = 0;
        for (int seq = 0; seq < count; seq++) {
            TxFrame frame = tx.claim();
            assertThat(frame).as("free slot for frame %d", seq).isNotNull();
            MemorySegment data = frame.data();
            TestFrames.ethernet(data, dst, src, EX1);
            data.set(BE_INT, 14, seq);
            int length = batchLength(seq);
            for (int i = 18; i < length; i++) {
                data.set(ValueLayout.JAVA_BYTE, i, batchByte(seq, i));
            }
            assertThat(frame.commit(length)).isTrue();
            bytes += length;
        }
        assertThat(tx.pending()).isEqualTo(count);

        assertThat(tx.flush()).as("one kick sends the whole batch").isEqualTo(bytes);
        assertThat(tx.pending()).isZero();

        PacketRxRing rx = to.rxRing();
        for (int seq = 0; seq < count; seq++) {
            RxFrame frame = next(rx, "frame " + seq + " of " + count + " " + from + " -> " + to);
            MemorySegment data = frame.data();
            assertThat(data.get(BE_INT, 14)).as("sequence").isEqualTo(seq);
            assertThat(frame.length()).isEqualTo(batchLength(seq));
            assertThat(frame.isTruncated()).isFalse();
            assertThat(TestFrames.mac(data, 0)).isEqualTo(dst);
            assertThat(TestFrames.mac(data, 6)).isEqualTo(src);
            for (int i = 18; i < frame.length(); i++) {
                if (data.get(ValueLayout.JAVA_BYTE, i) != batchByte(seq, i)) {
                    fail("frame " + seq + " byte " + i + " damaged");
                }
            }
            frame.release();
        }
        assertThat(rx.next()).as("nothing beyond the batch").isNull();
        PacketStatistics stats = to.statistics();
        assertThat(stats.drops()).isZero();
        assertThat(stats.packets()).isEqualTo(count);
    }

    @Test
    void fanoutHashKeepsEveryFlowOnOneSocketAndUsesBoth() throws Exception {
        int flows = 64;
        int perFlow = 4;
        int port = 7777;
        Fanout group = Fanout.hash(ThreadLocalRandom.current().nextInt(1, 0x10000));
        PacketSocketContext member = on(B_IF, AfPacket.ETH_P_IP).ignoreOutgoing(true)
                .rxRing(RingGeometry.of(2048, 512)).fanout(group);
        try (PacketSocket sender = open(lab.a, on(A_IF, 0));
                PacketSocket b0 = open(lab.b, member);
                PacketSocket b1 = open(lab.b, member)) {
            byte[] dst = b0.macAddress();
            byte[] src = sender.macAddress();
            MemorySegment frame = arena.allocate(128);
            for (int round = 0; round < perFlow; round++) {
                for (int flow = 0; flow < flows; flow++) {
                    frame.set(BE_INT, TestFrames.udpPayloadOffset(), round);
                    int length = TestFrames.ipv4Udp(frame, dst, src, TestFrames.ipv4(A_IP),
                            TestFrames.ipv4("198.51.100.9"), 20_000 + flow, port, 4);
                    assertThat(sender.send(frame, length)).isEqualTo(length);
                }
            }

            Map<Integer, Integer> socketOfFlow = new HashMap<>();
            int[] perSocket = new int[2];
            PacketRxRing[] rings = {b0.rxRing(), b1.rxRing()};
            int seen = 0;
            long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000L;
            while (seen < flows * perFlow && System.nanoTime() < deadline) {
                for (int s = 0; s < 2; s++) {
                    RxFrame f;
                    while ((f = rings[s].next()) != null) {
                        if (!TestFrames.isUdpTo(f.data(), f.length(), port)) {
                            continue;
                        }
                        int flow = TestFrames.udpSourcePort(f.data()) - 20_000;
                        Integer before = socketOfFlow.putIfAbsent(flow, s);
                        assertThat(before == null ? s : before).as("socket of flow %d", flow).isEqualTo(s);
                        perSocket[s]++;
                        seen++;
                    }
                }
                rings[0].await(10);
            }

            assertThat(seen).isEqualTo(flows * perFlow);
            assertThat(socketOfFlow).hasSize(flows);
            assertThat(perSocket[0]).as("frames on socket 0").isPositive();
            assertThat(perSocket[1]).as("frames on socket 1").isPositive();
            assertThat(perSocket[0] % perFlow).isZero();
        }
    }

    /**
     * A CBPF group with an id the kernel chose, joined by a second member with that id: the
     * program's return value modulo the members picks the socket. First the
     * UDP source port (loads relative to the network header), then, set again while the group
     * runs, a constant 1: every frame goes to the second member.
     */
    @Test
    void fanoutCbpfSendsEachFrameToTheMemberItsProgramNamesAndTheProgramCanBeReplaced() throws Exception {
        int port = 7778;
        BpfProgram sourcePort = BpfProgram.builder()
                .stmt(Bpf.LDX | Bpf.B | Bpf.MSH, Bpf.SKF_NET_OFF)
                .stmt(Bpf.LD | Bpf.H | Bpf.IND, Bpf.SKF_NET_OFF)
                .stmt(Bpf.RET | Bpf.A, 0)
                .build();
        try (PacketSocket sender = open(lab.a, on(A_IF, 0));
                PacketSocket b0 = open(lab.b, on(B_IF, AfPacket.ETH_P_IP).ignoreOutgoing(true)
                        .rxRing(RingGeometry.of(2048, 512)).fanout(Fanout.cbpfUnique()).fanoutProgram(sourcePort));
                PacketSocket b1 = open(lab.b, on(B_IF, AfPacket.ETH_P_IP).ignoreOutgoing(true)
                        .rxRing(RingGeometry.of(2048, 512)).fanout(Fanout.cbpf(b0.fanoutGroupId())))) {
            assertThat(b1.fanoutGroupId()).isEqualTo(b0.fanoutGroupId());
            assertThat(sender.fanoutGroupId()).as("in no group").isEqualTo(-1);
            int[] perSocket = sendAndCount(sender, b0, b1, port, 20_000, 32, true);
            assertThat(perSocket).containsExactly(16, 16);

            b0.fanoutProgram(BpfProgram.builder().stmt(Bpf.RET | Bpf.K, 1).build());
            assertThat(sendAndCount(sender, b0, b1, port, 30_000, 16, false)).containsExactly(0, 16);
        }
    }

    /** Sends {@code flows} UDP frames from ports first..; counts them per member, checking sport % 2 when asked. */
    private int[] sendAndCount(PacketSocket sender, PacketSocket b0, PacketSocket b1, int port, int first, int flows,
            boolean byParity) throws LinuxException {
        MemorySegment frame = arena.allocate(128);
        for (int flow = 0; flow < flows; flow++) {
            int length = TestFrames.ipv4Udp(frame, b0.macAddress(), sender.macAddress(), TestFrames.ipv4(A_IP),
                    TestFrames.ipv4("198.51.100.9"), first + flow, port, 4);
            assertThat(sender.send(frame, length)).isEqualTo(length);
        }
        int[] perSocket = new int[2];
        PacketRxRing[] rings = {b0.rxRing(), b1.rxRing()};
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000L;
        while (perSocket[0] + perSocket[1] < flows && System.nanoTime() < deadline) {
            for (int s = 0; s < 2; s++) {
                for (RxFrame f; (f = rings[s].next()) != null; ) {
                    if (TestFrames.isUdpTo(f.data(), f.length(), port)) {
                        int sport = TestFrames.udpSourcePort(f.data());
                        if (byParity) {
                            assertThat(s).as("member of source port %d", sport).isEqualTo(sport % 2);
                        }
                        perSocket[s]++;
                    }
                    f.release();
                }
            }
            rings[0].await(10);
        }
        return perSocket;
    }

    @Test
    void fanoutGroupRefusesAMemberOfAnotherMode() throws Exception {
        int id = ThreadLocalRandom.current().nextInt(1, 0x10000);
        try (PacketSocket first = open(lab.b, on(B_IF, EX1).fanout(Fanout.hash(id)))) {
            assertThat(first.fd()).isPositive();
            assertThatThrownBy(() -> open(lab.b, on(B_IF, EX1).fanout(new Fanout(FanoutMode.LB, id, 0))))
                    .isInstanceOf(LinuxException.class)
                    .hasMessage("setsockopt(PACKET_FANOUT, group=" + id + ", mode=LB, if=b0): EINVAL");
        }
    }

    @Test
    void rxRingSeesADatagramFromAnOrdinaryKernelSocket() throws Exception {
        int port = 5555;
        byte[] text = "hello from the kernel's UDP".getBytes(StandardCharsets.US_ASCII);
        try (PacketSocket tap = open(lab.b, on(B_IF, AfPacket.ETH_P_IP).ignoreOutgoing(true)
                        .rxRing(RingGeometry.of(2048, 64)));
                DatagramSocket server = lab.b.call(() -> new DatagramSocket(
                        new InetSocketAddress(InetAddress.getByName(B_IP), port)));
                DatagramSocket client = lab.a.call(DatagramSocket::new)) {
            client.send(new DatagramPacket(text, text.length, InetAddress.getByName(B_IP), port));

            RxFrame frame;
            do {
                frame = next(tap.rxRing(), "the UDP datagram to " + B_IP + ":" + port);
            } while (!TestFrames.isUdpTo(frame.data(), frame.length(), port));

            MemorySegment data = frame.data();
            assertThat(frame.packetType()).isEqualTo(AfPacket.PACKET_HOST);
            assertThat(HexFormat.ofDelimiter(":").formatHex(TestFrames.mac(data, 6)))
                    .isEqualTo(TwoHostBridge.macOf(lab.a, A_IF));
            assertThat(data.get(BE_INT, 14 + 12)).isEqualTo(TestFrames.ipv4(A_IP));
            assertThat(frame.length()).isEqualTo(TestFrames.udpPayloadOffset() + text.length);
            assertThat(data.asSlice(TestFrames.udpPayloadOffset(), text.length).toArray(ValueLayout.JAVA_BYTE))
                    .isEqualTo(text);
            frame.release();

            DatagramPacket received = new DatagramPacket(new byte[64], 64);
            server.setSoTimeout(WAIT_MILLIS);
            server.receive(received);
            assertThat(received.getLength()).as("the kernel still delivers it").isEqualTo(text.length);
        }
    }

    /** The next {@link #EX1} frame from the plain socket, skipping any other. */
    private static int receiveEx1(PacketSocket socket, MemorySegment buffer) {
        while (true) {
            int n = receive(socket, buffer);
            if (n >= 14 && TestFrames.etherType(buffer) == EX1) {
                return n;
            }
        }
    }

    @Test
    void ignoreOutgoingLeavesOutWhatTheHostSends() throws Exception {
        // outgoing frames reach only ETH_P_ALL sockets (dev_queue_xmit_nit), so the watchers bind to all
        try (PacketSocket sees = open(lab.a, on(A_IF, AfPacket.ETH_P_ALL));
                PacketSocket ignores = open(lab.a, on(A_IF, AfPacket.ETH_P_ALL).ignoreOutgoing(true));
                PacketSocket sender = open(lab.a, on(A_IF, 0));
                PacketSocket peer = open(lab.b, on(B_IF, EX1))) {
            MemorySegment outgoing = testFrame(sender, peer, "outgoing");
            MemorySegment incoming = testFrame(peer, sender, "incoming");
            MemorySegment buffer = arena.allocate(2048);

            assertThat(sender.send(outgoing, 60)).isEqualTo(60);
            assertThat(receive(peer, buffer)).isEqualTo(60);   // it has left A
            assertThat(peer.send(incoming, 60)).isEqualTo(60);

            assertThat(receiveEx1(sees, buffer)).isEqualTo(60);
            assertThat(buffer.asSlice(0, 60).toArray(ValueLayout.JAVA_BYTE))
                    .isEqualTo(outgoing.toArray(ValueLayout.JAVA_BYTE));
            assertThat(receiveEx1(sees, buffer)).isEqualTo(60);
            assertThat(buffer.asSlice(0, 60).toArray(ValueLayout.JAVA_BYTE))
                    .isEqualTo(incoming.toArray(ValueLayout.JAVA_BYTE));
            assertThat(receiveEx1(ignores, buffer)).isEqualTo(60);
            assertThat(buffer.asSlice(0, 60).toArray(ValueLayout.JAVA_BYTE))
                    .as("the first frame it sees is the incoming one").isEqualTo(incoming.toArray(ValueLayout.JAVA_BYTE));
        }
    }

    private static int promiscuity(Netns ns, String ifName) throws Exception {
        String out = ns.exec("ip", "-d", "-o", "link", "show", "dev", ifName).orThrow().stdout();
        Matcher m = Pattern.compile("promiscuity (\\d+)").matcher(out);
        assertThat(m.find()).as("promiscuity in: %s", out).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @Test
    void promiscuousModeLastsWhileTheSocketIsOpen() throws Exception {
        assertThat(promiscuity(lab.b, B_IF)).isZero();
        try (PacketSocket socket = open(lab.b, on(B_IF, EX1).promiscuous(true))) {
            assertThat(promiscuity(lab.b, B_IF)).isEqualTo(1);
        }
        assertThat(promiscuity(lab.b, B_IF)).isZero();
    }

    private static long qdiscPackets(Netns ns, String ifName) throws Exception {
        String out = ns.exec("tc", "-s", "qdisc", "show", "dev", ifName).orThrow().stdout();
        Matcher m = Pattern.compile("Sent \\d+ bytes (\\d+) pkt").matcher(out);
        assertThat(m.find()).as("qdisc statistics in: %s", out).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void qdiscBypassSendsPastTheQdisc() throws Exception {
        lab.a.exec("tc", "qdisc", "add", "dev", A_IF, "root", "pfifo", "limit", "1000").orThrow();
        try (PacketSocket bypass = open(lab.a, on(A_IF, 0).qdiscBypass(true));
                PacketSocket queued = open(lab.a, on(A_IF, 0));
                PacketSocket peer = open(lab.b, on(B_IF, EX1))) {
            assertThat(bypass.intOption(AfPacket.PACKET_QDISC_BYPASS)).isEqualTo(1);
            assertThat(queued.intOption(AfPacket.PACKET_QDISC_BYPASS)).isZero();
            MemorySegment buffer = arena.allocate(2048);
            int frames = 20;

            long before = qdiscPackets(lab.a, A_IF);
            for (int i = 0; i < frames; i++) {
                assertThat(bypass.send(testFrame(bypass, peer, "bypass " + i), 60)).isEqualTo(60);
                assertThat(receive(peer, buffer)).isEqualTo(60);
            }
            long afterBypass = qdiscPackets(lab.a, A_IF);
            for (int i = 0; i < frames; i++) {
                assertThat(queued.send(testFrame(queued, peer, "queued " + i), 60)).isEqualTo(60);
                assertThat(receive(peer, buffer)).isEqualTo(60);
            }
            long afterQueued = qdiscPackets(lab.a, A_IF);

            assertThat(afterBypass - before).as("frames through the qdisc with bypass").isLessThan(frames);
            assertThat(afterQueued - afterBypass).as("frames through the qdisc without").isGreaterThanOrEqualTo(frames);
        } finally {
            lab.a.exec("tc", "qdisc", "del", "dev", A_IF, "root").orThrow();
        }
    }

    @Test
    void vlanTagTakenOffByTheInterfaceIsReportedByTheRing() throws Exception {
        // Only ETH_P_ALL sockets see the tag: an unknown VID's tag is cleared before per-protocol delivery.
        try (PacketSocket a = open(lab.a, on(A_IF, 0));
                PacketSocket b = open(lab.b, on(B_IF, AfPacket.ETH_P_ALL).ignoreOutgoing(true)
                        .rxRing(RingGeometry.of(2048, 64)))) {
            MemorySegment tagged = arena.allocate(64);
            TestFrames.ethernet(tagged, b.macAddress(), a.macAddress(), AfPacket.ETH_P_8021Q);
            tagged.set(TestFrames.BE_SHORT, 14, (short) 0x2005);    // PCP 1, DEI 0, VID 5
            tagged.set(TestFrames.BE_SHORT, 16, (short) EX1);       // inner ethertype
            tagged.set(BE_INT, 18, 0xC0FFEE);

            assertThat(a.send(tagged, 64)).isEqualTo(64);

            RxFrame frame;
            do {
                frame = next(b.rxRing(), "the tagged frame");
            } while (TestFrames.etherType(frame.data()) != EX1);
            assertThat(frame.hasVlan()).isTrue();
            assertThat(frame.vlanTci()).isEqualTo(0x2005);
            assertThat(frame.vlanTpid()).isEqualTo(AfPacket.ETH_P_8021Q);
            assertThat(frame.length()).as("the tag is no longer in the frame").isEqualTo(60);
            assertThat(frame.data().get(BE_INT, 14)).isEqualTo(0xC0FFEE);
        }
    }

    @Test
    void unknownInterfaceIsNamedInTheError() {
        assertThatThrownBy(() -> open(lab.a, on("veth9", EX1)))
                .isInstanceOf(LinuxException.class)
                .hasMessage("ioctl(SIOCGIFINDEX, if=veth9): ENODEV")
                .extracting(e -> ((LinuxException) e).errno()).isEqualTo(Errno.ENODEV);
    }

    @Test
    void socketWithoutARingSaysSo() throws Exception {
        try (PacketSocket a = open(lab.a, on(A_IF, EX1))) {
            assertThatThrownBy(a::rxRing).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no receive ring on PacketSocket(");
            assertThatThrownBy(a::txRing).hasMessageContaining("no transmit ring on PacketSocket(");
        }
    }
}
