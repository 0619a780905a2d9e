package io.tandem.director.zk;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.lab.Lab;
import io.tandem.core.lab.LabAddresses;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.LabOptions;
import io.tandem.core.lab.LabProcess;
import io.tandem.core.lab.LabTest;
import io.tandem.director.lab.DemoHttpServer;
import io.tandem.director.lab.LabZooKeeper;
import io.tandem.director.sync.ConnectionSyncLabTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9's membership acceptance: a real {@code tandem run} (DR, {@code real_server_discovery
 * /tandem/services/web} with a TCP_CHECK every 5 s) and a real ZooKeeper server in the router's
 * namespace. Each real server registers itself from its own namespace with Curator's ServiceDiscovery
 * (an ephemeral node in its own session): it must answer through the VIP within one check interval. When
 * one's session ends, it is drained: new connections go to the other, and the client's established
 * keep-alive connections to it go on being answered by it.
 */
@LabTest
class MembershipLabTest {
    private static final long CHECK_INTERVAL_MS = 5000;

    @TempDir
    Path work;

    @Test
    void registeredRealServersJoinAndAVanishedOneIsDrained() throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        try (Lab lab = Lab.create(LabOptions.defaults().withRealServers(2))) {
            try {
                for (int i = 1; i <= 2; i++) {
                    LabHost rs = lab.realServer(i);
                    rs.exec("sysctl", "-qw", "net.ipv4.conf.all.arp_ignore=1").orThrow();
                    rs.exec("sysctl", "-qw", "net.ipv4.conf.all.arp_announce=2").orThrow();
                    rs.exec("ip", "addr", "add", LabAddresses.VIP + "/32", "dev", "lo").orThrow();
                    String name = "rs" + i;
                    open.add(rs.call(() -> DemoHttpServer.start(name, new InetSocketAddress("0.0.0.0", 80))));
                }
                LabZooKeeper zk = LabZooKeeper.start(lab.router(), LabAddresses.ROUTER_LAN, work.resolve("zookeeper"));
                open.add(zk);
                Path conf = work.resolve("director-a.conf");
                Files.writeString(conf, config(zk.connect()));
                LabProcess director = lab.directorA().start(List.of(
                        ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                        "-cp", System.getProperty("java.class.path"), "io.tandem.director.Main", "run", "-f",
                        conf.toString()), work.resolve("director-a.log"));
                open.add(director::stop);
                try {
                    awaitStatus(lab.directorA(), "MASTER and ZooKeeper", s -> s.contains("\"state\":\"MASTER\"")
                            && s.contains("\"membership\""));
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\n" + log(director), e);
                }

                // rs1 registers: it answers through the VIP within one check interval
                CuratorFramework rs1 = register(lab.realServer(1), zk.connect());
                long registered = System.nanoTime(); // the instance node exists from here
                open.add(rs1);
                long joined = awaitAnswerFrom(lab, "rs1", 30_000);
                long joinMs = joined - TimeUnit.NANOSECONDS.toMillis(registered);
                System.out.printf("rs1 registered: answering through the VIP after %d ms (check interval %d ms)%n",
                        joinMs, CHECK_INTERVAL_MS);
                assertThat(joinMs).as("rs1 joins within one check interval%n%s", log(director))
                        .isLessThan(CHECK_INTERVAL_MS);

                CuratorFramework rs2 = register(lab.realServer(2), zk.connect());
                long registered2 = System.nanoTime();
                long joined2 = awaitAnswerFrom(lab, "rs2", 30_000);
                System.out.printf("rs2 registered: answering after %d ms%n",
                        joined2 - TimeUnit.NANOSECONDS.toMillis(registered2));
                assertThat(joined2 - TimeUnit.NANOSECONDS.toMillis(registered2)).as("rs2 joins within one check"
                        + " interval").isLessThan(CHECK_INTERVAL_MS);

                // established keep-alive connections, spread over both by round robin
                List<KeepAlive> connections = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    KeepAlive c = lab.client().call(KeepAlive::open);
                    open.add(c);
                    connections.add(c);
                }
                Map<String, Integer> first = new HashMap<>();
                for (KeepAlive c : connections) {
                    first.merge(c.ask(), 1, Integer::sum);
                }
                assertThat(first).as("connections on both real servers").containsKeys("rs1", "rs2");

                // rs2's session ends: it is removed from the service, its connections untouched
                rs2.close();
                awaitStatus(lab.directorA(), "rs2 draining", s -> s.contains("\"draining\":{\"/tandem/services/web\":[\""
                        + LabAddresses.realServer(2) + ":80\"]}"));
                for (int i = 0; i < 6; i++) {
                    assertThat(askOnce(lab)).as("new connections after the drain").isEqualTo("rs1");
                }
                for (KeepAlive c : connections) {
                    assertThat(c.ask()).as("an established connection is answered by the same real server")
                            .isEqualTo(c.server);
                }
                String status = ConnectionSyncLabTest.status(lab.directorA());
                assertThat(status).contains("\"registered\":{\"/tandem/services/web\":[\""
                        + LabAddresses.realServer(1) + ":80\"]}");
                // once its connections are closed, the drained real server leaves the service
                for (KeepAlive c : connections) {
                    c.close();
                }
                awaitStatus(lab.directorA(), "rs2 removed once drained",
                        s -> !s.contains("\"address\":\"" + LabAddresses.realServer(2) + "\""));
                assertThat(log(director)).as("no VRRP transition out of MASTER").doesNotContain("MASTER -> ");
            } finally {
                for (AutoCloseable c : open.reversed()) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        // keep closing; the lab removes the namespaces
                    }
                }
            }
        }
    }

    /** A real server's own registration: a Curator session from its namespace, an ephemeral instance node. */
    private static CuratorFramework register(LabHost rs, String connect) throws Exception {
        return rs.call(() -> {
            CuratorFramework c = CuratorFrameworkFactory.newClient(connect, 2000, 5000, new RetryOneTime(200));
            c.start();
            if (!c.blockUntilConnected(30, TimeUnit.SECONDS)) {
                c.close();
                throw new IOException("no ZooKeeper session from " + rs.name());
            }
            ServiceDiscovery<Void> discovery = ServiceDiscoveryBuilder.builder(Void.class).client(c)
                    .basePath("/tandem/services").build();
            discovery.start();
            // the constructor, not ServiceInstance.builder(): the builder lists the host's interfaces, which
            // fails inside a network namespace
            discovery.registerService(new ServiceInstance<Void>("web", java.util.UUID.randomUUID().toString(), rs.ip(),
                    80, null, null, System.currentTimeMillis(), org.apache.curator.x.discovery.ServiceType.DYNAMIC,
                    null));
            return c;
        });
    }

    /** Asks on fresh connections until {@code server} answers; the wall time in ms when it did. */
    private static long awaitAnswerFrom(Lab lab, String server, long timeoutMs) throws Exception {
        long end = System.nanoTime() + timeoutMs * 1_000_000;
        while (System.nanoTime() < end) {
            try {
                if (askOnce(lab).equals(server)) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
                }
            } catch (IOException e) {
                // nobody in the service yet
            }
            Thread.sleep(20);
        }
        throw new AssertionError(server + " did not answer through the VIP within " + timeoutMs + " ms");
    }

    private static String askOnce(Lab lab) throws Exception {
        try (KeepAlive c = lab.client().call(KeepAlive::open)) {
            return c.ask();
        }
    }

    /** One client connection to the VIP, HTTP/1.1 keep-alive: each request says which real server answered. */
    static final class KeepAlive implements AutoCloseable {
        private final Socket socket;
        String server;

        private KeepAlive(Socket socket) {
            this.socket = socket;
        }

        static KeepAlive open() throws IOException {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(LabAddresses.VIP, 80), 1000);
            s.setSoTimeout(2000);
            return new KeepAlive(s);
        }

        String ask() throws IOException {
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: vip\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed after " + head);
                }
                head.append((char) b);
            }
            int length = 0;
            String name = null;
            for (String line : head.toString().split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase("content-length")) {
                    length = Integer.parseInt(line.substring(colon + 1).trim());
                } else if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(DemoHttpServer.SERVER_HEADER)) {
                    name = line.substring(colon + 1).trim();
                }
            }
            in.readNBytes(length);
            server = name;
            return name;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static String log(LabProcess p) throws IOException {
        return Files.readString(p.logFile());
    }

    private static void awaitStatus(LabHost host, String what, java.util.function.Predicate<String> condition)
            throws Exception {
        long end = System.nanoTime() + 60_000_000_000L;
        String last = "";
        while (System.nanoTime() < end) {
            last = ConnectionSyncLabTest.status(host);
            if (condition.test(last)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(host.name() + ": no " + what + " within 60 s; last /status: " + last);
    }

    private static String config(String connect) {
        return """
                global_defs {
                    router_id director_a
                }
                zookeeper {
                    connect %s
                    session_timeout 4
                    fencing off
                }
                vrrp_instance VI_1 {
                    state BACKUP
                    interface eth0
                    virtual_router_id 51
                    priority 150
                    version 3
                    advert_int 0.1
                    virtual_ipaddress {
                        %s/32
                    }
                }
                virtual_server %s 80 {
                    delay_loop %d
                    lb_algo rr
                    lb_kind DR
                    protocol TCP
                    real_server_discovery /tandem/services/web {
                        TCP_CHECK {
                            connect_timeout 1
                        }
                    }
                }
                """.formatted(connect, LabAddresses.VIP, LabAddresses.VIP, CHECK_INTERVAL_MS / 1000);
    }
}
