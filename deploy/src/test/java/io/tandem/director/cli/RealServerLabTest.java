package io.tandem.director.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.lab.Lab;
import io.tandem.core.lab.LabAddresses;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.LabOptions;
import io.tandem.core.lab.LabProcess;
import io.tandem.core.lab.LabTest;
import io.tandem.core.net.IpFamily;
import io.tandem.core.net.RawIpSocket;
import io.tandem.core.packet.Ipv4Flyweight;
import io.tandem.core.packet.PseudoHeader;
import io.tandem.core.packet.UdpFlyweight;
import io.tandem.director.sync.TandemRun;
import io.tandem.director.run.RealServerSetups;
import java.lang.foreign.MemorySegment;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tandem realserver --mode tun} against tunnels written by hand: a
 * raw IP-in-IP socket on director-a and director-b sends datagrams that are
 * good, addressed to no VIP, malformed inside, or from a director that is
 * not accepted. Only the good ones reach the real server's UDP socket on the
 * VIP; the others are counted by reason, and the real server keeps working
 * (its own address still answers, later tunnels still arrive). SIGTERM takes
 * every change back.
 */
@LabTest
class RealServerLabTest {
    private static final int PORT = 5353;

    @TempDir
    Path work;

    @Test
    void onlyGoodTunnelsFromAcceptedDirectorsToAVipAreDeliveredAndTheRestIsCounted() throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        try (Lab lab = Lab.create(LabOptions.defaults().withRealServers(1))) {
            try {
                LabHost rs = lab.realServer(1);
                Path log = work.resolve("realserver.log");
                List<String> argv = TandemRun.command("realserver", "--mode", "tun", "--vip", LabAddresses.VIP,
                        "--interface", rs.interfaceName(), "--director", LabAddresses.DIRECTOR_A,
                        "--stats-interval", "0");
                LabProcess setup = rs.start(argv, log);
                open.add(setup);
                RealServerSetups.awaitReady(rs, setup);

                AtomicInteger delivered = new AtomicInteger();
                List<String> received = new ArrayList<>();
                DatagramSocket server = rs.call(() -> new DatagramSocket(new InetSocketAddress(LabAddresses.VIP,
                        PORT)));
                open.add(server);
                Thread.ofVirtual().start(() -> {
                    byte[] buf = new byte[2048];
                    while (!server.isClosed()) {
                        try {
                            DatagramPacket p = new DatagramPacket(buf, buf.length);
                            server.receive(p);
                            synchronized (received) {
                                received.add(p.getAddress().getHostAddress() + " "
                                        + new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII));
                            }
                            delivered.incrementAndGet();
                        } catch (java.io.IOException e) {
                            return;
                        }
                    }
                });

                tunnel(lab.directorA(), LabAddresses.VIP, "good 1", false);
                tunnel(lab.directorA(), "10.77.0.101", "to no VIP", false);
                tunnel(lab.directorA(), LabAddresses.VIP, "damaged inside", true);
                tunnel(lab.directorB(), LabAddresses.VIP, "from director-b", false);
                tunnel(lab.directorA(), LabAddresses.VIP, "good 2", false);

                long end = System.nanoTime() + 10_000_000_000L;
                while (delivered.get() < 2 && System.nanoTime() < end) {
                    Thread.sleep(20);
                }
                Thread.sleep(500); // anything wrongly delivered would have arrived by now
                synchronized (received) {
                    assertThat(received).containsExactly(LabAddresses.CLIENT + " good 1",
                            LabAddresses.CLIENT + " good 2");
                }
                assertThat(lab.router().ping(LabAddresses.realServer(1), Duration.ofSeconds(5)))
                        .as("the real server's own address still answers").isTrue();

                setup.stop(Duration.ofSeconds(10));
                String text = Files.readString(log);
                assertThat(text).as(text).contains("decapsulation: received 5, decapsulated 2 (")
                        .contains("socket buffer overflows 0,")
                        .contains("dropped: source_not_allowed 1 inner_malformed 1 not_a_vip 1")
                        .contains("removed TUN device tandem-ipip")
                        .contains("removed " + LabAddresses.VIP + "/32 from lo");
                assertThat(rs.exec("ip", "-4", "addr", "show", "dev", "lo").orThrow().stdout())
                        .doesNotContain(LabAddresses.VIP);
            } finally {
                for (AutoCloseable c : open.reversed()) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        // the lab removes the namespaces
                    }
                }
            }
        }
    }

    /**
     * Sends from {@code director} an IP-in-IP packet to rs1 (the kernel writes
     * the outer header: protocol 4, the director's address) around a UDP
     * datagram from the client to {@code innerDestination}:5353.
     */
    private static void tunnel(LabHost director, String innerDestination, String text, boolean damaged)
            throws Exception {
        director.call(() -> {
            byte[] payload = text.getBytes(StandardCharsets.US_ASCII);
            int length = 20 + 8 + payload.length;
            MemorySegment inner = MemorySegment.ofArray(new byte[length]);
            int src = toInt(LabAddresses.CLIENT);
            int dst = toInt(innerDestination);
            Ipv4Flyweight ip = new Ipv4Flyweight().wrap(inner, 0).versionAndIhl(5).tos(0).totalLength(length)
                    .identification(1).flagsAndFragmentOffset(0).ttl(63).protocol(Ipv4Flyweight.PROTOCOL_UDP)
                    .sourceAddress(src).destinationAddress(dst).updateHeaderChecksum();
            UdpFlyweight udp = new UdpFlyweight().wrap(inner, 20);
            udp.sourcePort(40000).destinationPort(PORT).length(8 + payload.length).checksum(0);
            MemorySegment.copy(payload, 0, inner, java.lang.foreign.ValueLayout.JAVA_BYTE, 28, payload.length);
            udp.updateChecksum(PseudoHeader.ipv4Sum(src, dst, Ipv4Flyweight.PROTOCOL_UDP, 8 + payload.length),
                    8 + payload.length);
            if (damaged) {
                ip.ttl(1); // the header checksum no longer verifies
            }
            try (RawIpSocket socket = RawIpSocket.open(IpFamily.IPV4, Ipv4Flyweight.PROTOCOL_IPIP)) {
                byte[] bytes = inner.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                socket.send(InetAddress.ofLiteral(LabAddresses.realServer(1)), bytes, 0, bytes.length);
            }
            return null;
        });
    }

    private static int toInt(String dotted) {
        byte[] b = InetAddress.ofLiteral(dotted).getAddress();
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }
}
