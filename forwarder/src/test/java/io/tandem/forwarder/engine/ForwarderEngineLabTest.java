package io.tandem.forwarder.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.lab.Lab;
import io.tandem.core.lab.LabAddresses;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.LabOptions;
import io.tandem.core.lab.LabTest;
import io.tandem.forwarder.api.ServiceSnapshot;
import io.tandem.forwarder.conn.ForwardMethod;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine in the lab topology: client -> router -> director-a -> rs1, rs2.
 * The engine finds the real servers' MACs and the router's (the client's
 * next hop) in the kernel's neighbour table by itself; steering is installed
 * on activate and gone after deactivate and close.
 */
@LabTest
class ForwarderEngineLabTest {
    private EngineLab env;
    private Lab lab;

    @BeforeEach
    void lab() throws IOException {
        env = EngineLab.create();
        lab = env.lab;
    }

    @AfterEach
    void teardown() throws Exception {
        env.close();
    }

    private static Inet4Address ip(String text) throws IOException {
        return EngineLab.ip(text);
    }

    private ForwarderEngine engine(ForwardMethod method, int rport) throws Exception {
        List<RealServerSpec> reals = List.of(
                new RealServerSpec(ip(LabAddresses.realServer(1)), rport, 1, method),
                new RealServerSpec(ip(LabAddresses.realServer(2)), rport, 1, method));
        return env.engine(List.of(ServiceSpec.of(6, ip(LabAddresses.VIP), 80, "rr", reals)));
    }

    private Map<String, Integer> talk(int connections) throws Exception {
        return env.talk(80, connections);
    }

    private Map<String, Integer> talk(int port, int connections) throws Exception {
        return env.talk(port, connections);
    }

    private String steeringTable() throws IOException {
        return lab.directorA().exec("nft", "list", "tables", "netdev").orThrow().stdout();
    }

    @Test
    void natThroughTheLabTopologyWithNeighboursFromTheKernel() throws Exception {
        env.routeRepliesThroughDirector();
        env.startServers(8080);
        ForwarderEngine engine = engine(ForwardMethod.NAT, 8080);
        assertThat(steeringTable()).doesNotContain("tandem_labtest");
        engine.activate();
        assertThat(steeringTable()).contains("tandem_labtest");

        String seen = LabAddresses.CLIENT + "->";
        assertThat(talk(8))
                .containsEntry("rs1 " + seen + LabAddresses.realServer(1), 4)
                .containsEntry("rs2 " + seen + LabAddresses.realServer(2), 4);

        ServiceSnapshot service = engine.services().get(5, TimeUnit.SECONDS).getFirst();
        assertThat(service.stats().connections()).isEqualTo(8);
        assertThat(service.stats().outPackets()).isPositive();
        assertThat(service.realServers()).extracting(r -> r.stats().connections()).containsExactly(4L, 4L);

        // drain rs1: new connections all go to rs2
        engine.setWeight(service(engine), engine.specs().getFirst().realServers().get(0), 0)
                .get(5, TimeUnit.SECONDS);
        assertThat(talk(4)).containsOnlyKeys("rs2 " + seen + LabAddresses.realServer(2));

        engine.deactivate();
        assertThat(steeringTable()).doesNotContain("tandem_labtest");
        engine.activate();
        engine.close();
        assertThat(steeringTable()).doesNotContain("tandem_labtest");
    }

    /**
     * Bulk data both ways through NAT. The senders' veths hand the director whole TSO frames (up to
     * 64 KiB, far over the 1500-byte MTU), as GRO does on a real NIC: the worker rewrites each once and
     * sends it whole, described (virtio-net header) as a TCP GSO super-frame with a partial checksum,
     * for the kernel to segment; the data arrives intact both ways and nothing is cut in user space.
     */
    @Test
    void framesLargerThanTheMtuAreCarriedWholeAsGsoSuperFrames() throws Exception {
        env.routeRepliesThroughDirector();
        env.startEchoServers(8080);
        ForwarderEngine engine = engine(ForwardMethod.NAT, 8080);
        engine.activate();
        int bytes = 8 << 20;

        long[] crcs = lab.client().call(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(LabAddresses.VIP, 80), 2000);
                s.setSoTimeout(20_000);
                java.util.zip.CRC32 sent = new java.util.zip.CRC32();
                Thread writer = Thread.ofVirtual().start(() -> {
                    byte[] chunk = new byte[64 * 1024];
                    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
                    try {
                        for (int done = 0; done < bytes; done += chunk.length) {
                            for (int b = 0; b < chunk.length; b++) {
                                chunk[b] = (byte) random.nextInt(256);
                            }
                            sent.update(chunk);
                            s.getOutputStream().write(chunk);
                        }
                        s.shutdownOutput();
                    } catch (IOException e) {
                        // the reader's timeout reports it
                    }
                });
                java.util.zip.CRC32 received = new java.util.zip.CRC32();
                byte[] buffer = new byte[64 * 1024];
                long total = 0;
                for (int n; (n = s.getInputStream().read(buffer)) > 0; ) {
                    received.update(buffer, 0, n);
                    total += n;
                }
                writer.join();
                return new long[] {sent.getValue(), received.getValue(), total};
            }
        });

        assertThat(crcs[2]).as("bytes echoed").isEqualTo(bytes);
        assertThat(crcs[1]).as("echoed data").isEqualTo(crcs[0]);
        EngineCounters counters = engine.counters().get(5, TimeUnit.SECONDS);
        assertThat(counters.offloaded()).as("frames larger than the MTU, sent whole for the kernel to segment")
                .isPositive();
        assertThat(counters.segmented()).as("NAT needs no segmenting of its own").isZero();
        assertThat(counters.drops().get(io.tandem.forwarder.path.DropReason.TRUNCATED)).isZero();
        assertThat(counters.drops().get(io.tandem.forwarder.path.DropReason.OVERSIZE)).isZero();
    }

    /**
     * A real server whose application stops reading (a frozen process) while a client pushes bulk
     * data at it: MiBs wait unread in its receive queue. The transmit ring is zero-copy, but its slots
     * do not wait with that data: the kernel frees a slot once the frame has crossed the director's
     * veth into another namespace (it copies the pages and orphans the skb there), so the ring's
     * cursor never comes round to a held slot. Requests through the same VIP to the other real server
     * all succeed, none slower than a second (generous on a loaded machine: a held slot would stall
     * the ring for as long as the data stays unread), while the ring goes round at least once.
     */
    @Test
    void aReceiverThatStopsReadingDoesNotStallOtherFlows() throws Exception {
        StallProbe probe = probeOtherFlowsWhileRs1Holds(false);

        assertThat(probe.unread()).as("bytes waiting unread on rs1").isGreaterThan(1 << 20);
        probe.assertOtherFlowsUnharmed();
    }

    /**
     * The frames to one real server wait for seconds on their way (a shaper on its bridge port:
     * 1 Mbit/s, up to 10 s of queue), as on a congested or disturbed path. They do not hold transmit
     * slots either: requests to the other real server go on as before.
     */
    @Test
    void framesQueuedOnTheWayToOneRealServerDoNotStallOtherFlows() throws Exception {
        StallProbe probe = probeOtherFlowsWhileRs1Holds(true);

        assertThat(probe.queuedToRs1()).as("frames queued on rs1's bridge port after the requests").isPositive();
        probe.assertOtherFlowsUnharmed();
    }

    /** What the requests to rs2 saw while rs1 held the bulk data, and what the engine counted meanwhile. */
    private record StallProbe(long unread, long queuedToRs1, int requests, long failed, long slowestMillis,
            long transmitted, long transmitRingFull) {
        void assertOtherFlowsUnharmed() {
            assertThat(transmitted).as("frames sent during the requests: the transmit ring went round")
                    .isGreaterThan(ForwarderEngine.receiveRing().frameCount());
            assertThat(failed).as("requests to rs2 that failed, of " + requests).isZero();
            assertThat(slowestMillis).as("slowest request to rs2, ms").isLessThan(1000);
            assertThat(transmitRingFull).as("frames dropped for want of a transmit slot").isZero();
        }
    }

    /**
     * NAT to rs1 (a server that never reads, with an 8 MiB receive queue) and rs2 (a line server):
     * a client pushes bulk data to rs1 until rs1's window is full, then rs1 is drained and 200
     * requests, a connection each, go to rs2. {@code shapeRs1}: rs1's bridge port is shaped to
     * 1 Mbit/s with up to 10 s of queue, so frames to rs1 also wait on the way.
     */
    private StallProbe probeOtherFlowsWhileRs1Holds(boolean shapeRs1) throws Exception {
        env.routeRepliesThroughDirector();
        lab.realServer(1).exec("sysctl", "-qw", "net.ipv4.tcp_rmem=4096 8388608 16777216").orThrow();
        if (shapeRs1) {
            lab.bridges().exec("tc", "qdisc", "add", "dev", lab.realServer(1).bridgePort(), "root", "tbf", "rate",
                    "1mbit", "burst", "256kb", "latency", "10s").orThrow();
        }
        env.startSink(1, 8080);
        env.startServer(2, 8080);
        RealServerSpec rs1 = new RealServerSpec(ip(LabAddresses.realServer(1)), 8080, 1, ForwardMethod.NAT);
        RealServerSpec rs2 = new RealServerSpec(ip(LabAddresses.realServer(2)), 8080, 0, ForwardMethod.NAT);
        ServiceSpec web = ServiceSpec.of(6, ip(LabAddresses.VIP), 80, "rr", List.of(rs1, rs2));
        ForwarderEngine engine = env.engine(List.of(web));
        engine.activate();

        Socket bulk = env.keep(lab.client().call(() -> {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(LabAddresses.VIP, 80), 2000);
            return s;
        }));
        AtomicLong pushed = new AtomicLong();
        Thread.ofVirtual().start(() -> {
            byte[] chunk = new byte[64 * 1024];
            try {
                while (true) {
                    bulk.getOutputStream().write(chunk);
                    pushed.addAndGet(chunk.length);
                }
            } catch (IOException e) {
                // closed at teardown
            }
        });
        // until the client's writes stop: rs1's window (or the shaper's queue) is full
        long last = -1;
        for (int i = 0; i < 40 && pushed.get() != last; i++) {
            last = pushed.get();
            Thread.sleep(250);
        }
        EngineCounters before = engine.counters().get(5, TimeUnit.SECONDS);

        engine.setWeight(web, rs1, 0).get(5, TimeUnit.SECONDS);
        engine.setWeight(web, rs2, 1).get(5, TimeUnit.SECONDS);
        int requests = 200;
        long[] seen = lab.client().call(() -> {
            long slowest = 0;
            long failed = 0;
            for (int c = 0; c < requests && failed < 5; c++) { // a stalled ring fails fast
                long start = System.nanoTime();
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(LabAddresses.VIP, 80), 5000);
                    s.setSoTimeout(5000);
                    s.getOutputStream().write(("hello " + c + "\n").getBytes(StandardCharsets.US_ASCII));
                    String reply = new BufferedReader(new InputStreamReader(s.getInputStream(),
                            StandardCharsets.US_ASCII)).readLine();
                    if (reply == null || !reply.startsWith("rs2 ") || !reply.endsWith(" hello " + c)) {
                        failed++;
                    }
                } catch (IOException e) {
                    failed++;
                }
                slowest = Math.max(slowest, System.nanoTime() - start);
            }
            return new long[] {failed, slowest / 1_000_000};
        });
        EngineCounters after = engine.counters().get(5, TimeUnit.SECONDS);
        StallProbe probe = new StallProbe(unreadOnRs1(), shapeRs1 ? queuedOnRs1Port() : 0, requests, seen[0],
                seen[1], after.transmitted() - before.transmitted(), after.transmitRingFull());
        System.out.println("ForwarderEngineLabTest: " + probe);
        return probe;
    }

    /** Recv-Q of rs1's established connections on port 8080: the bytes its application did not read. */
    private long unreadOnRs1() throws IOException {
        String out = lab.realServer(1).exec("ss", "-tnH", "state", "established", "sport", "= :8080").orThrow()
                .stdout();
        long unread = 0;
        for (String line : out.strip().split("\n")) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length > 1) {
                unread += Long.parseLong(fields[0]);
            }
        }
        return unread;
    }

    /** Packets waiting in the shaper on rs1's bridge port ({@code backlog ...b Np} of {@code tc -s qdisc}). */
    private long queuedOnRs1Port() throws IOException {
        String out = lab.bridges().exec("tc", "-s", "qdisc", "show", "dev", lab.realServer(1).bridgePort())
                .orThrow().stdout();
        Matcher m = Pattern.compile("backlog \\S+ (\\d+)p").matcher(out);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /**
     * The runtime API on a running, active engine: a real server and a service added carry
     * traffic at once (steering follows), a removed real server takes no new flow, a removed
     * service's steering is gone, and a refused change changes nothing.
     */
    @Test
    void realServersAndServicesAddedAtRuntimeCarryTraffic() throws Exception {
        env.routeRepliesThroughDirector();
        env.startServers(8080);
        RealServerSpec rs1 = new RealServerSpec(ip(LabAddresses.realServer(1)), 8080, 1, ForwardMethod.NAT);
        RealServerSpec rs2 = new RealServerSpec(ip(LabAddresses.realServer(2)), 8080, 1, ForwardMethod.NAT);
        ServiceSpec web = ServiceSpec.of(6, ip(LabAddresses.VIP), 80, "rr", List.of(rs1));
        ForwarderEngine engine = env.engine(List.of(web));
        engine.activate();
        String seen = LabAddresses.CLIENT + "->";
        assertThat(talk(4)).containsOnlyKeys("rs1 " + seen + LabAddresses.realServer(1));

        engine.addRealServer(web.serviceAddress(), rs2).get(15, TimeUnit.SECONDS);
        assertThat(talk(4)).containsEntry("rs1 " + seen + LabAddresses.realServer(1), 2)
                .containsEntry("rs2 " + seen + LabAddresses.realServer(2), 2);

        ServiceSpec other = ServiceSpec.of(6, ip(LabAddresses.VIP), 81, "rr", List.of(rs2));
        assertThat(steeringTableRules()).doesNotContain("dport 81");
        engine.addService(other).get(15, TimeUnit.SECONDS);
        assertThat(steeringTableRules()).contains("dport 81");
        assertThat(talk(81, 3)).containsOnlyKeys("rs2 " + seen + LabAddresses.realServer(2));
        assertThat(engine.services().get(5, TimeUnit.SECONDS)).extracting(ServiceSnapshot::port)
                .containsExactly(80, 81);

        assertThat(engine.addRealServer(web.serviceAddress(), rs2)).failsWithin(15, TimeUnit.SECONDS)
                .withThrowableThat().withMessageContaining("duplicate real server 10.77.0.12:8080 in TCP 10.77.0.100:80");

        engine.removeRealServer(web.serviceAddress(), rs1.address(), 8080).get(15, TimeUnit.SECONDS);
        assertThat(talk(4)).containsOnlyKeys("rs2 " + seen + LabAddresses.realServer(2));
        engine.removeService(other.serviceAddress()).get(15, TimeUnit.SECONDS);
        assertThat(steeringTableRules()).doesNotContain("dport 81").contains("dport 80");
        assertThat(engine.specs()).containsExactly(ServiceSpec.of(6, ip(LabAddresses.VIP), 80, "rr", List.of(rs2)));
    }

    private String steeringTableRules() throws IOException {
        return lab.directorA().exec("nft", "list", "table", "netdev", "tandem_labtest").orThrow().stdout();
    }

    private static ServiceSpec service(ForwarderEngine engine) {
        return engine.specs().getFirst();
    }

    @Test
    void directRoutingRepliesGoStraightBackThroughTheRouter() throws Exception {
        for (int i = 1; i <= 2; i++) {
            LabHost rs = lab.realServer(i);
            rs.exec("ip", "addr", "add", LabAddresses.VIP + "/32", "dev", "lo").orThrow();
            rs.exec("sysctl", "-qw", "net.ipv4.conf.all.arp_ignore=1", "net.ipv4.conf.all.arp_announce=2").orThrow();
        }
        env.startServers(80);
        ForwarderEngine engine = engine(ForwardMethod.DR, 80);
        engine.activate();
        String seen = LabAddresses.CLIENT + "->" + LabAddresses.VIP;
        assertThat(talk(6)).containsEntry("rs1 " + seen, 3).containsEntry("rs2 " + seen, 3);
        EngineCounters counters = engine.counters().get(5, TimeUnit.SECONDS);
        assertThat(counters.neighbourMisses()).isZero();
        assertThat(counters.transmitted()).isGreaterThanOrEqualTo(6 * 3);
        assertThat(counters.connections()).isGreaterThanOrEqualTo(6);
    }

    @Test
    void fullNatRealServersSeeOnlyTheLocalAddressAndAnswerIt() throws Exception {
        LabHost director = lab.directorA();
        String lip = LabAddresses.fullnatLocal(0);
        director.exec("ip", "addr", "add", lip + "/32", "dev", director.interfaceName()).orThrow();
        for (int i = 1; i <= 2; i++) {
            // no way back to the client at all: replies can only go to the local address
            lab.realServer(i).exec("ip", "route", "replace", LabAddresses.EXTERNAL_NETWORK, "dev", "lo").orThrow();
        }
        env.startServers(8080);
        List<RealServerSpec> reals = List.of(
                new RealServerSpec(ip(LabAddresses.realServer(1)), 8080, 1, ForwardMethod.FULLNAT),
                new RealServerSpec(ip(LabAddresses.realServer(2)), 8080, 1, ForwardMethod.FULLNAT));
        ServiceSpec spec = new ServiceSpec(6, ip(LabAddresses.VIP), 80, "rr", List.of(), 0, -1, List.of(ip(lip)),
                reals);
        ForwarderEngine engine = env.engine(List.of(spec));
        engine.activate();
        assertThat(talk(4))
                .containsEntry("rs1 " + lip + "->" + LabAddresses.realServer(1), 2)
                .containsEntry("rs2 " + lip + "->" + LabAddresses.realServer(2), 2);
    }

    @Test
    void aStaleSteeringTableFromACrashIsRemovedAtOpen() throws Exception {
        LabHost director = lab.directorA();
        director.exec("nft", "add", "table", "netdev", "tandem_labtest").orThrow();
        assertThat(steeringTable()).contains("tandem_labtest");
        ForwarderEngine engine = engine(ForwardMethod.NAT, 8080);
        assertThat(steeringTable()).doesNotContain("tandem_labtest");
        engine.close();
    }
}
