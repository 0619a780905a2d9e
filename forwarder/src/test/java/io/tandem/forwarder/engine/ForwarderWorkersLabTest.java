package io.tandem.forwarder.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.lab.Lab;
import io.tandem.core.lab.LabAddresses;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.LabTest;
import io.tandem.forwarder.api.ConnectionSnapshot;
import io.tandem.forwarder.api.ServiceSnapshot;
import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.path.DropReason;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
        assertThat(env.talk(NAT_PORT, 20))
                .containsEntry("rs1 " + seen + LabAddresses.realServer(1), 10)
                .containsEntry("rs2 " + seen + LabAddresses.realServer(2), 10);
        Map<String, Integer> fullNat = env.talk(FULLNAT_PORT, 20);
        assertThat(fullNat).containsOnlyKeys("rs1 " + lip + "->" + LabAddresses.realServer(1),
                "rs2 " + lip + "->" + LabAddresses.realServer(2));
        assertThat(fullNat.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(20);

        // persistence: one real server per worker for this client; even ports go to worker 0, odd to 1
        Set<String> even = new HashSet<>();
        Set<String> odd = new HashSet<>();
        for (int port = 41000; port < 41012; port++) {
            (port % 2 == 0 ? even : odd).add(talkFrom(port));
        }
        assertThat(even).hasSize(1);
        assertThat(odd).hasSize(1);

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
                    .allSatisfy(c -> assertThat(c.clientPort() % 2).isEqualTo(worker));
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
