package io.tandem.forwarder.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.lab.Lab;
import io.tandem.core.lab.LabAddresses;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.LabTest;
import io.tandem.forwarder.api.ConnectionSnapshot;
import io.tandem.forwarder.api.ServiceSnapshot;
import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.io.FlowKey;
import io.tandem.forwarder.path.DropReason;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two forwarding workers in the lab (client -> router -> director-a -> rs1, rs2): the CBPF
 * fanout group sends both directions of every NAT and FULLNAT flow to the worker that owns
 * it, so every connection works, both workers carry flows, and no packet of a known flow is
 * dropped as NOT_SYN. A persistent service keeps a client on one real server per worker:
 * its templates are per worker (docs/fanout.md).
 */
@LabTest
class ForwarderWorkersLabTest {
    private static final int NAT_PORT = 80;
    private static final int FULLNAT_PORT = 81;
    private static final int PERSISTENT_PORT = 82;

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

    private static List<RealServerSpec> reals(ForwardMethod method) throws IOException {
        return List.of(new RealServerSpec(EngineLab.ip(LabAddresses.realServer(1)), 8080, 1, method),
                new RealServerSpec(EngineLab.ip(LabAddresses.realServer(2)), 8080, 1, method));
    }

    @Test
    void twoWorkersCarryNatAndFullNatFlowsWholeAndPersistencePerWorker() throws Exception {
        LabHost director = lab.directorA();
        String lip = LabAddresses.fullnatLocal(0);
        director.exec("ip", "addr", "add", lip + "/32", "dev", director.interfaceName()).orThrow();
        env.routeRepliesThroughDirector(); // NAT; FULLNAT replies go to the local address on the LAN
        env.startServers(8080);
        Inet4Address vip = EngineLab.ip(LabAddresses.VIP);
        List<ServiceSpec> specs = List.of(
                ServiceSpec.of(6, vip, NAT_PORT, "rr", reals(ForwardMethod.NAT)),
                new ServiceSpec(6, vip, FULLNAT_PORT, "rr", List.of(), 0, -1, List.of(EngineLab.ip(lip)),
                        reals(ForwardMethod.FULLNAT)),
                new ServiceSpec(6, vip, PERSISTENT_PORT, "rr", List.of(), 300, -1, List.of(),
                        reals(ForwardMethod.NAT)));
        ForwarderEngine engine = env.engine(specs, o -> o.withWorkers(2));
        assertThat(engine.workers()).isEqualTo(2);
        engine.activate();

        String seen = LabAddresses.CLIENT + "->";
        // each worker schedules its own flows (rr per worker): both real servers, not exactly half each
        Map<String, Integer> nat = env.talk(NAT_PORT, 20);
        assertThat(nat).containsOnlyKeys("rs1 " + seen + LabAddresses.realServer(1),
                "rs2 " + seen + LabAddresses.realServer(2));
        assertThat(nat.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(20);
        Map<String, Integer> fullNat = env.talk(FULLNAT_PORT, 20);
        assertThat(fullNat).containsOnlyKeys("rs1 " + lip + "->" + LabAddresses.realServer(1),
                "rs2 " + lip + "->" + LabAddresses.realServer(2));
        assertThat(fullNat.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(20);

        // persistence: one real server per worker for this client (templates are per worker)
        Set<String> onWorker0 = new HashSet<>();
        Set<String> onWorker1 = new HashSet<>();
        for (int port = 41000; port < 41016; port++) {
            (owner(port) == 0 ? onWorker0 : onWorker1).add(talkFrom(port));
        }
        assertThat(onWorker0).hasSize(1);
        assertThat(onWorker1).hasSize(1);

        List<EngineCounters> each = engine.workerCounters().get(5, TimeUnit.SECONDS);
        assertThat(each).hasSize(2);
        assertThat(each).allSatisfy(c -> {
            assertThat(c.received()).as("frames received by each worker").isPositive();
            assertThat(c.transmitted()).as("frames sent by each worker").isPositive();
            assertThat(c.drops().get(DropReason.NOT_SYN)).as("a known flow's packet on the wrong worker").isZero();
        });
        EngineCounters all = engine.counters().get(5, TimeUnit.SECONDS);
        // frames keep arriving (ARP, the last FINs) between the two readings
        assertThat(all.received()).isGreaterThanOrEqualTo(each.get(0).received() + each.get(1).received());
        assertThat(all.drops().get(DropReason.NOT_SYN)).isZero();
        assertThat(all.capacity()).isEqualTo(4096);

        List<ServiceSnapshot> services = engine.services().get(5, TimeUnit.SECONDS);
        assertThat(services).extracting(ServiceSnapshot::port).containsExactly(NAT_PORT, FULLNAT_PORT,
                PERSISTENT_PORT);
        assertThat(services.get(0).stats().connections()).isEqualTo(20);
        assertThat(services.get(1).stats().connections()).isEqualTo(20);
        assertThat(engine.connections().get(5, TimeUnit.SECONDS)).hasSizeGreaterThanOrEqualTo(52);
        // each connection is in the table of the worker its client port names, and only there
        List<List<ConnectionSnapshot>> byWorker = engine.connectionsByWorker().get(5, TimeUnit.SECONDS);
        for (int w = 0; w < 2; w++) {
            int worker = w;
            assertThat(byWorker.get(w)).as("worker %d's connections", w).isNotEmpty()
                    .allSatisfy(c -> assertThat(owner(c.clientPort())).isEqualTo(worker));
        }

        // a service added at runtime: the program learns its VIP on every worker
        Inet4Address vip2 = EngineLab.ip("10.77.0.101");
        director.exec("ip", "addr", "add", "10.77.0.101/32", "dev", director.interfaceName()).orThrow();
        engine.addService(ServiceSpec.of(6, vip2, NAT_PORT, "rr", reals(ForwardMethod.NAT))).get(10, TimeUnit.SECONDS);
        for (int port = 42000; port < 42010; port++) {
            assertThat(talkFrom("10.77.0.101", port)).startsWith("rs");
        }
        engine.setWeight(specs.getFirst(), specs.getFirst().realServers().getFirst(), 0).get(5, TimeUnit.SECONDS);
        assertThat(env.talk(NAT_PORT, 6)).containsOnlyKeys("rs2 " + seen + LabAddresses.realServer(2));
        assertThat(engine.counters().get(5, TimeUnit.SECONDS).drops().get(DropReason.NOT_SYN)).isZero();
        engine.close();
        assertThat(engine.forwarding()).isFalse();
    }

    /**
     * HTTP through both modes under load: wrk opens a new connection per request (Connection:
     * close), so thousands of flows from all of the client's ports cross the two workers; every
     * request is answered, both workers carry flows, and none of a known flow's packets is
     * dropped as NOT_SYN.
     */
    @Test
    void httpWithANewConnectionPerRequestThroughNatAndFullNat() throws Exception {
        LabHost director = lab.directorA();
        String lip = LabAddresses.fullnatLocal(0);
        director.exec("ip", "addr", "add", lip + "/32", "dev", director.interfaceName()).orThrow();
        env.routeRepliesThroughDirector();
        for (int i = 1; i <= 2; i++) {
            String name = "rs" + i;
            String ip = LabAddresses.realServer(i);
            HttpServer server = lab.realServer(i).call(() -> HttpServer.create(new InetSocketAddress(ip, 8080), 64));
            server.createContext("/", exchange -> {
                byte[] body = (name + "\n").getBytes(StandardCharsets.US_ASCII);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            env.keep(() -> server.stop(0));
        }
        Inet4Address vip = EngineLab.ip(LabAddresses.VIP);
        ForwarderEngine engine = env.engine(List.of(
                ServiceSpec.of(6, vip, NAT_PORT, "rr", reals(ForwardMethod.NAT)),
                new ServiceSpec(6, vip, FULLNAT_PORT, "rr", List.of(), 0, -1, List.of(EngineLab.ip(lip)),
                        reals(ForwardMethod.FULLNAT))), o -> o.withWorkers(2).withConnections(1 << 16));
        engine.activate();

        for (int port : new int[] {NAT_PORT, FULLNAT_PORT}) {
            String out = lab.client().exec(Duration.ofSeconds(30), "wrk", "-t", "2", "-c", "8", "-d", "2s",
                    "-H", "Connection: close", "http://" + LabAddresses.VIP + ":" + port + "/").orThrow().stdout();
            Matcher requests = Pattern.compile("(\\d+) requests in").matcher(out);
            assertThat(requests.find()).as("wrk output: %s", out).isTrue();
            assertThat(Long.parseLong(requests.group(1))).as("requests to port %d", port).isGreaterThan(100);
            assertThat(out).as("port %d", port).doesNotContain("Non-2xx");
            // wrk counts each connection the server closes (Connection: close) as a read error; connect,
            // write and timeout errors would be the forwarder's
            Matcher errors = Pattern.compile("connect (\\d+), read \\d+, write (\\d+), timeout (\\d+)").matcher(out);
            if (errors.find()) {
                assertThat(List.of(errors.group(1), errors.group(2), errors.group(3))).as("port %d: %s", port, out)
                        .containsOnly("0");
            }
        }
        List<EngineCounters> each = engine.workerCounters().get(5, TimeUnit.SECONDS);
        assertThat(each).allSatisfy(c -> {
            assertThat(c.transmitted()).isPositive();
            assertThat(c.drops().get(DropReason.NOT_SYN)).isZero();
        });
        List<ServiceSnapshot> services = engine.services().get(5, TimeUnit.SECONDS);
        assertThat(services).allSatisfy(sv -> assertThat(sv.stats().connections()).isGreaterThan(100));
    }

    /** The worker of two that owns the flows from client port {@code port}. */
    private static int owner(int port) {
        return FlowKey.owner(FlowKey.mix(port), 2);
    }

    /** One connection from the client's {@code port} to VIP:82; the name of the real server that answered. */
    private String talkFrom(int port) throws Exception {
        return talkFrom(LabAddresses.VIP, PERSISTENT_PORT, port);
    }

    private String talkFrom(String address, int port) throws Exception {
        return talkFrom(address, NAT_PORT, port);
    }

    private String talkFrom(String address, int servicePort, int port) throws Exception {
        return lab.client().call(() -> {
            try (Socket s = new Socket()) {
                s.setReuseAddress(true);
                s.setSoLinger(true, 0); // RST: the source port is free again at once
                s.bind(new InetSocketAddress(LabAddresses.CLIENT, port));
                s.connect(new InetSocketAddress(address, servicePort), 2000);
                s.setSoTimeout(2000);
                s.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                String reply = new BufferedReader(new InputStreamReader(s.getInputStream(),
                        StandardCharsets.US_ASCII)).readLine();
                return reply.split(" ")[0];
            }
        });
    }
}
