package io.tandem.forwarder.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.afpacket.PacketSocket;
import io.tandem.core.afpacket.PacketSocketContext;
import io.tandem.core.afpacket.RingGeometry;
import io.tandem.core.lab.LabTest;
import io.tandem.core.lab.Netns;
import io.tandem.forwarder.conn.ConnectionTable;
import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.conn.Timeouts;
import io.tandem.forwarder.path.NextHops;
import io.tandem.forwarder.path.PacketForwarder;
import io.tandem.forwarder.sched.Schedulers;
import io.tandem.forwarder.service.ConnectionScheduler;
import io.tandem.forwarder.service.LocalAddressPool;
import io.tandem.forwarder.service.ServiceCounters;
import io.tandem.forwarder.service.ServiceTable;
import io.tandem.forwarder.service.VirtualService;
import io.tandem.forwarder.steer.SteeringRules;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The forwarder carrying real TCP connections between network namespaces:
 * a client, a director running the worker on an AF_PACKET ring, and two real
 * servers, all on one bridge (itself in a namespace). The client sits in
 * another subnet reached on-link, so NAT replies must come back through the
 * director, while DR replies go straight to the client.
 */
@LabTest
class ForwarderLabTest {
    private static final String VIP = "10.98.0.100";
    private static final String DIP = "10.98.0.2";
    private static final String CIP = "10.98.1.10";
    private static final String[] RIPS = {"10.98.0.11", "10.98.0.12"};
    private static final String LIP = "10.98.0.200";

    private final String prefix = "tf" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt(), 5);
    private final List<AutoCloseable> open = new ArrayList<>();
    private Netns bridge;
    private Netns client;
    private Netns director;
    private final Netns[] rs = new Netns[2];
    private final Map<Integer, Long> macs = new HashMap<>();

    @BeforeEach
    void topology() throws Exception {
        bridge = keep(Netns.create(prefix + "-br"));
        bridge.exec("ip", "link", "add", "lan", "type", "bridge").orThrow();
        bridge.exec("ip", "link", "set", "lan", "up").orThrow();
        client = host("client", CIP);
        director = host("dir", DIP);
        for (int i = 0; i < 2; i++) {
            rs[i] = host("rs" + (i + 1), RIPS[i]);
        }
        client.exec("ip", "route", "add", "10.98.0.0/24", "dev", "eth0").orThrow();
        director.exec("ip", "route", "add", "10.98.1.0/24", "dev", "eth0").orThrow();
        director.exec("ip", "addr", "add", VIP + "/32", "dev", "eth0").orThrow();
        director.exec("ip", "addr", "add", LIP + "/32", "dev", "eth0").orThrow();
        director.exec("sysctl", "-qw", "net.ipv4.ip_forward=0").orThrow();
        for (Netns n : new Netns[] {client, rs[0], rs[1]}) {
            String mac = n.exec("cat", "/sys/class/net/eth0/address").orThrow().stdout().strip();
            String ip = n == client ? CIP : RIPS[n == rs[0] ? 0 : 1];
            macs.put(ipv4(ip), Long.parseLong(mac.replace(":", ""), 16));
        }
    }

    private <T extends AutoCloseable> T keep(T resource) {
        open.add(0, resource);
        return resource;
    }

    private Netns host(String name, String address) throws Exception {
        Netns ns = keep(Netns.create(prefix + "-" + name));
        String port = "p-" + name;
        bridge.exec("ip", "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns.name()).orThrow();
        bridge.exec("ip", "link", "set", port, "master", "lan", "up").orThrow();
        ns.exec("ip", "addr", "add", address + "/24", "dev", "eth0").orThrow();
        ns.exec("ip", "link", "set", "eth0", "up").orThrow();
        return ns;
    }

    @AfterEach
    void teardown() throws Exception {
        Exception first = null;
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    static int ipv4(String dotted) {
        String[] p = dotted.split("\\.");
        return Integer.parseInt(p[0]) << 24 | Integer.parseInt(p[1]) << 16 | Integer.parseInt(p[2]) << 8
                | Integer.parseInt(p[3]);
    }

    /** Each real server answers every line with its own name. */
    private void startServers(int port) throws Exception {
        for (int i = 0; i < 2; i++) {
            String name = "rs" + (i + 1);
            ServerSocket server = keep(rs[i].call(() -> new ServerSocket(port)));
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        Thread.ofVirtual().start(() -> serve(s, name));
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
        }
    }

    private static void serve(Socket s, String name) {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                StandardCharsets.US_ASCII)); OutputStream out = s.getOutputStream()) {
            for (String line; (line = in.readLine()) != null; ) {
                out.write((name + " " + line + "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (java.io.IOException e) {
            // the client went away
        }
    }

    /** Starts the forwarder in the director for one service; returns its worker. */
    private ForwarderWorker startDirector(ForwardMethod method, int rport) throws Exception {
        ServiceTable services = new ServiceTable();
        ConnectionTable table = keep(new ConnectionTable(1 << 16, Timeouts.ipvsDefaults(),
                new ServiceCounters(services)));
        VirtualService service = new VirtualService(0, 6, ipv4(VIP), 80, Schedulers.create("rr", List.of()));
        if (method == ForwardMethod.FULLNAT) {
            service.setLocalAddresses(new LocalAddressPool(ipv4(LIP)));
        }
        for (String rip : RIPS) {
            service.addRealServer(ipv4(rip), rport, 1, method);
        }
        services.add(service);
        NextHops hops = new NextHops() {
            @Override
            public int nextHop(int destination) {
                return destination;
            }

            @Override
            public long macOf(int address) {
                Long mac = macs.get(address);
                return mac == null ? UNRESOLVED : mac;
            }
        };
        PacketSocket socket = director.call(() -> PacketSocket.open(new PacketSocketContext()
                .interfaceName("eth0").ignoreOutgoing(true)
                .rxRing(RingGeometry.of(2048, 512)).txRing(RingGeometry.of(2048, 512))));
        long mac = Long.parseLong(socket.macAddressString().replace(":", ""), 16);
        PacketForwarder forwarder = new PacketForwarder(services, table, new ConnectionScheduler(table), hops, mac,
                ipv4(DIP), 1500);
        ForwarderWorker worker = keep(new ForwarderWorker(socket, forwarder, table, System::nanoTime));
        Thread thread = Thread.ofPlatform().name("forwarder-" + prefix).start(worker);
        keep(() -> {
            worker.stop();
            thread.join(2000);
        });
        List<SteeringRules.Match> matches = new ArrayList<>();
        matches.add(SteeringRules.Match.toService(6, VIP, 80));
        if (method == ForwardMethod.NAT) {
            for (String rip : RIPS) {
                matches.add(SteeringRules.Match.fromRealServer(6, rip, rport));
            }
        }
        if (method == ForwardMethod.FULLNAT) {
            matches.add(SteeringRules.Match.toLocalAddress(LIP));
        }
        SteeringRules steering = new SteeringRules("lab", "eth0", director.prefix());
        steering.install(matches);
        keep(steering::remove);
        return worker;
    }

    /** Opens {@code connections} connections to VIP:80 from the client, sends a line on each, and counts who answered. */
    private Map<String, Integer> talk(int connections) throws Exception {
        return client.call(() -> {
            Map<String, Integer> answeredBy = new TreeMap<>();
            for (int c = 0; c < connections; c++) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(VIP, 80), 2000);
                    s.setSoTimeout(2000);
                    s.getOutputStream().write(("hello " + c + "\n").getBytes(StandardCharsets.US_ASCII));
                    String reply = new BufferedReader(new InputStreamReader(s.getInputStream(),
                            StandardCharsets.US_ASCII)).readLine();
                    assertThat(reply).endsWith(" hello " + c);
                    answeredBy.merge(reply.substring(0, reply.indexOf(' ')), 1, Integer::sum);
                }
            }
            return answeredBy;
        });
    }

    @Test
    void natCarriesConnectionsBothWaysAndSpreadsThemRoundRobin() throws Exception {
        for (int i = 0; i < 2; i++) {
            rs[i].exec("ip", "route", "add", "10.98.1.0/24", "via", DIP).orThrow();
        }
        startServers(8080);
        ForwarderWorker worker = startDirector(ForwardMethod.NAT, 8080);
        assertThat(talk(10)).containsEntry("rs1", 5).containsEntry("rs2", 5);
        assertThat(worker.transmitted()).isGreaterThanOrEqualTo(40);
    }

    @Test
    void directRoutingRepliesBypassTheDirector() throws Exception {
        for (int i = 0; i < 2; i++) {
            rs[i].exec("ip", "addr", "add", VIP + "/32", "dev", "lo").orThrow();
            rs[i].exec("sysctl", "-qw", "net.ipv4.conf.all.arp_ignore=1", "net.ipv4.conf.all.arp_announce=2")
                    .orThrow();
            rs[i].exec("ip", "route", "add", "10.98.1.0/24", "dev", "eth0").orThrow();
        }
        startServers(80);
        ForwarderWorker worker = startDirector(ForwardMethod.DR, 80);
        assertThat(talk(6)).containsEntry("rs1", 3).containsEntry("rs2", 3);
        assertThat(worker.forwarder().dropped(io.tandem.forwarder.path.DropReason.NO_NEIGHBOUR)).isZero();
    }

    @Test
    void fullNatRealServersSeeTheDirectorsLocalAddress() throws Exception {
        startServers(8080); // no route to the client at all: replies can only go to the local address
        startDirector(ForwardMethod.FULLNAT, 8080);
        assertThat(talk(4)).containsEntry("rs1", 2).containsEntry("rs2", 2);
    }
}
