package io.tandem.director.reload;

import static io.tandem.director.sync.TandemRun.awaitState;
import static io.tandem.director.sync.TandemRun.awaitStatus;
import static io.tandem.director.sync.TandemRun.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.lab.Lab;
import io.tandem.core.lab.LabAddresses;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.LabOptions;
import io.tandem.core.lab.LabProcess;
import io.tandem.core.lab.LabTest;
import io.tandem.director.lab.DemoHttpServer;
import io.tandem.director.sync.TandemRun;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tandem run --vrrp} and {@code --check} (keepalived's -P and -C) on one director, and
 * reloads of VRRP instances: an instance added by a reload starts and takes its VIP, a changed
 * one restarts, a removed one stops and releases its VIP, and the instance the reloads leave
 * alone never changes state.
 */
@LabTest
class RunModesLabTest {
    private static final String SECOND_VIP = "10.77.0.101";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    private static String instance(String name, int vrid, int priority, String vip) {
        return """
                vrrp_instance %s {
                    state BACKUP
                    interface eth0
                    virtual_router_id %d
                    priority %d
                    version 3
                    advert_int 1
                    virtual_ipaddress {
                        %s/32
                    }
                }
                """.formatted(name, vrid, priority, vip);
    }

    private static String service() {
        return """
                virtual_server %s 80 {
                    delay_loop 1
                    lb_algo rr
                    lb_kind NAT
                    protocol TCP
                    real_server %s 8080 {
                        TCP_CHECK {
                            connect_timeout 1
                        }
                    }
                }
                """.formatted(LabAddresses.VIP, LabAddresses.realServer(1));
    }

    private LabProcess run(LabHost host, Path conf, String text, String option) throws IOException {
        host.exec("sysctl", "-qw", "net.ipv4.ip_forward=0").orThrow();
        Files.writeString(conf, text);
        return TandemRun.start(host, conf, work.resolve(host.name() + option + ".log"), option);
    }

    private static String addresses(LabHost host) throws IOException {
        return host.exec("ip", "-4", "addr", "show", "dev", host.interfaceName()).orThrow().stdout();
    }

    private static String steering(LabHost host) throws IOException {
        return host.exec("nft", "list", "tables", "netdev").orThrow().stdout();
    }

    /** VI_1's series: its state and every transition count. */
    private static String firstInstance(LabHost host) throws Exception {
        return TandemRun.get(host, "/metrics").lines()
                .filter(l -> l.contains("iname=\"VI_1\"") && (l.startsWith("keepalived_vrrp_state")
                        || l.startsWith("tandem_vrrp_transitions_total")))
                .sorted().collect(Collectors.joining("\n"));
    }

    private static void await(String what, Callable<Boolean> condition) throws Exception {
        long end = System.nanoTime() + TandemRun.AWAIT_SECONDS * 1_000_000_000L;
        while (!condition.call()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("no " + what + " within " + TandemRun.AWAIT_SECONDS + " s");
            }
            Thread.sleep(50);
        }
    }

    private static void reload(LabHost host, LabProcess process, Path conf, String text, int ok) throws Exception {
        Files.writeString(conf, text);
        TandemRun.signal(process, "HUP");
        awaitStatus(host, ok + " reload(s) applied", s -> s.contains("\"reloads\":{\"ok\":" + ok + ","));
    }

    @Test
    void vrrpOnlyRunsTheInstancesAndReloadsThemOneByOne() throws Exception {
        try (Lab lab = Lab.create(LabOptions.defaults().withRealServers(1))) {
            LabHost host = lab.directorA();
            Path conf = work.resolve("vrrp.conf");
            String one = instance("VI_1", 51, 150, LabAddresses.VIP) + service();
            LabProcess p = run(host, conf, one, "--vrrp");
            try {
                awaitState(host, "MASTER");
                await("VI_1 master", () -> firstInstance(host)
                        .contains("keepalived_vrrp_state{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\"} 2.0"));
                await("the VIP", () -> addresses(host).contains(LabAddresses.VIP + "/32"));
                assertThat(steering(host)).as("no forwarder, no steering").doesNotContain("tandem_");
                assertThat(status(host)).contains("\"services\":[]");
                String vi1 = firstInstance(host);

                reload(host, p, conf, one + instance("VI_2", 52, 150, SECOND_VIP), 1);
                assertThat(status(host)).contains("vrrp: kept [VI_1], added [VI_2]");
                await("the second VIP", () -> addresses(host).contains(SECOND_VIP + "/32"));

                reload(host, p, conf, one + instance("VI_2", 52, 120, SECOND_VIP), 2);
                assertThat(status(host)).contains("vrrp: kept [VI_1], restarted [VI_2]");
                await("the restarted instance's VIP", () -> addresses(host).contains(SECOND_VIP + "/32"));
                assertThat(Files.readString(p.logFile())).contains("VI_2: stopped by the reload")
                        .contains("VI_2: MASTER -> INIT (shutdown)");

                reload(host, p, conf, one, 3);
                assertThat(status(host)).contains("vrrp: kept [VI_1], removed [VI_2]");
                await("the second VIP released", () -> !addresses(host).contains(SECOND_VIP + "/32"));
                // its state gauge goes (its counters stay, as when an instance is re-created under its name)
                assertThat(TandemRun.get(host, "/metrics")).doesNotContain("keepalived_vrrp_state{iname=\"VI_2\"");
                assertThat(addresses(host)).contains(LabAddresses.VIP + "/32");
                assertThat(firstInstance(host)).as("VI_1 through three reloads").isEqualTo(vi1);
            } finally {
                p.stop();
            }
            assertThat(addresses(host)).doesNotContain(LabAddresses.VIP + "/32");
        }
    }

    @Test
    void checkOnlyForwardsFromTheStartWithoutVrrp() throws Exception {
        try (Lab lab = Lab.create(LabOptions.defaults().withRealServers(1))) {
            LabHost host = lab.directorA();
            lab.realServer(1).exec("ip", "route", "replace", LabAddresses.EXTERNAL_NETWORK, "via",
                    LabAddresses.DIRECTOR_A).orThrow();
            // with -C the VIP is someone else's business (keepalived -P elsewhere, or by hand)
            host.exec("ip", "addr", "add", LabAddresses.VIP + "/32", "dev", host.interfaceName()).orThrow();
            Path conf = work.resolve("check.conf");
            try (DemoHttpServer rs1 = lab.realServer(1).call(
                    () -> DemoHttpServer.start("rs1", new InetSocketAddress(8080)))) {
                LabProcess p = run(host, conf, instance("VI_1", 51, 150, SECOND_VIP) + service(), "--check");
                try {
                    awaitState(host, "MASTER");
                    assertThat(status(host)).contains("\"mode\":\"static\"");
                    assertThat(steering(host)).contains("tandem_director");
                    assertThat(addresses(host)).as("no VRRP: the instance's VIP is not added")
                            .doesNotContain(SECOND_VIP);
                    await("a request served through the forwarder", () -> get(lab.client()).contains("rs1"));
                    assertThat(TandemRun.get(host, "/metrics")).doesNotContain("keepalived_vrrp_state");
                } finally {
                    p.stop();
                }
                assertThat(steering(host)).doesNotContain("tandem_");
            }
        }
    }

    /** An HTTP/1.0 GET of VIP:80 from the client; the response, or "" when refused. */
    private static String get(LabHost client) throws Exception {
        return client.call(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(LabAddresses.VIP, 80), 2000);
                s.setSoTimeout(3000);
                s.getOutputStream().write("GET / HTTP/1.0\r\nHost: vip\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }
}
