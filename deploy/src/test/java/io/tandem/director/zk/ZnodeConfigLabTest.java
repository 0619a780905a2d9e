package io.tandem.director.zk;

import static io.tandem.director.sync.TandemRun.awaitState;
import static io.tandem.director.sync.TandemRun.awaitStatus;
import static io.tandem.director.sync.TandemRun.number;
import static io.tandem.director.sync.TandemRun.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.lab.Command;
import io.tandem.core.lab.Lab;
import io.tandem.core.lab.LabAddresses;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.LabOptions;
import io.tandem.core.lab.LabProcess;
import io.tandem.core.lab.LabTest;
import io.tandem.director.lab.DemoHttpServer;
import io.tandem.director.lab.LabZooKeeper;
import io.tandem.director.reload.ConfigCheck;
import io.tandem.director.sync.TandemRun;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9's shared-configuration acceptance: a real ZooKeeper server in the router's namespace holds one
 * keepalived.conf ({@code @director_a} / {@code @director_b} lines give each director its priority), and
 * two real {@code tandem run --config zk://10.77.0.1:2181/tandem/config} processes run from it (VRRPv3,
 * a NAT virtual server with TCP_CHECKs). A director started on a missing znode exits at once with a
 * clear message. A version that only adds a real server, written with {@code tandem config push}, is
 * applied by both (reload ok, the real server in /status) with no VRRP transition on either; a broken
 * version is refused by {@code config push}, and when written to the znode anyway, refused by both
 * directors with its {@code zk://...:LINE} error logged and in /status, nothing changed.
 */
@LabTest
class ZnodeConfigLabTest {
    private static final int PORT = 80;
    private static final String ZNODE = "/tandem/config";
    private static final Pattern REJECTED = Pattern.compile("\"rejected\"\\s*:\\s*(\\d+)");
    private static final Pattern OK = Pattern.compile("\"ok\"\\s*:\\s*(\\d+)");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // the directors' logs stay for a failure's diagnosis
    Path work;

    @Test
    void bothDirectorsApplyAWrittenChangeWithoutATransitionAndRefuseABrokenOne() throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        try (Lab lab = Lab.create(LabOptions.defaults().withRealServers(3))) {
            try {
                for (int i = 1; i <= 3; i++) {
                    String name = "rs" + i;
                    open.add(lab.realServer(i).call(() -> DemoHttpServer.start(name, new InetSocketAddress("0.0.0.0",
                            PORT))));
                }
                LabZooKeeper zk = LabZooKeeper.start(lab.router(), LabAddresses.ROUTER_LAN, work.resolve("zookeeper"));
                open.add(zk);
                String locator = "zk://" + zk.connect() + ZNODE;

                // no znode yet: run refuses to start, with a clear message and keepalived's "cannot run" status
                Command.Result missing = lab.directorA().exec(COMMAND_TIMEOUT,
                        TandemRun.command("run", "--config", locator, "-i", "director_a").toArray(String[]::new));
                assertThat(missing.exitCode()).as("run on a missing znode: %s", missing.stderr())
                        .isEqualTo(ConfigCheck.EXIT_CANNOT_RUN);
                assertThat(missing.stderr()).contains("cannot run: " + locator + ": the znode " + ZNODE
                        + " does not exist on " + zk.connect());
                assertThat(status(lab.directorA())).as("no admin HTTP left behind").isEmpty();

                Command.Result pushed = push(lab, locator, config(2));
                assertThat(pushed.exitCode()).as("config push: %s", pushed.stderr()).isZero();
                LabHost hostA = lab.directorA();
                LabHost hostB = lab.directorB();
                LabProcess a = run(hostA, locator, "director_a");
                open.add(a::stop);
                awaitState(hostA, "MASTER");
                LabProcess b = run(hostB, locator, "director_b");
                open.add(b::stop);
                awaitState(hostB, "BACKUP");
                for (LabHost h : List.of(hostA, hostB)) {
                    awaitStatus(h, "rs1 and rs2 checked up", s -> s.contains(up(1)) && s.contains(up(2)));
                }
                Thread.sleep(3000); // adverts flowing: a transition the reload caused would show in the counters
                String vrrpA = TandemRun.vrrpCounters(hostA);
                String vrrpB = TandemRun.vrrpCounters(hostB);
                assertThat(vrrpA).contains("keepalived_become_master_total");
                assertThat(vrrpB).contains("keepalived_become_master_total");
                assertThat(status(hostA)).doesNotContain(address(3));

                // 1. a version that only adds rs3, written with config push: applied on both, no transition
                pushed = push(lab, locator, config(3));
                assertThat(pushed.exitCode()).as("config push: %s", pushed.stderr()).isZero();
                for (LabHost h : List.of(hostA, hostB)) {
                    awaitStatus(h, "the znode's version applied", s -> number(OK, s) == 1);
                    awaitStatus(h, "rs3 in the service, checked up", s -> s.contains(up(3)));
                    String s = status(h);
                    assertThat(s).contains("\"source\":\"" + locator + "\"").contains("vrrp: kept [VI_1]")
                            .contains("\"result\":\"ok\"");
                    assertThat(number(REJECTED, s)).isZero();
                }
                String logs = TandemRun.logs(a, b);
                assertThat(TandemRun.vrrpCounters(hostA)).as("director-a's VRRP counters%n%s", logs).isEqualTo(vrrpA);
                assertThat(TandemRun.vrrpCounters(hostB)).as("director-b's VRRP counters%n%s", logs).isEqualTo(vrrpB);
                awaitState(hostA, "MASTER");
                awaitState(hostB, "BACKUP");
                List<String> servicesA = TandemRun.services(hostA);
                List<String> servicesB = TandemRun.services(hostB);
                assertThat(servicesA).singleElement().asString().contains(LabAddresses.realServer(3) + ":" + PORT + " NAT w1");

                // 2. a broken version: config push refuses it; written anyway, both directors refuse it
                String broken = config(2).replace("    lb_algo rr\n", "    lb_algo rr\n    lb_frobnicate yes\n");
                int line = TandemRun.lineOf(broken, "lb_frobnicate");
                Path brokenFile = Files.writeString(work.resolve("broken.conf"), broken);
                Command.Result refused = push(lab, locator, brokenFile);
                assertThat(refused.exitCode()).as("config push of a broken file").isEqualTo(ConfigCheck.EXIT_ERRORS);
                assertThat(refused.stderr()).contains(brokenFile + ":" + line + ": error:").contains("not written");
                lab.router().call(() -> ZnodeWriter.write(ZnodeLocator.parse(locator),
                        broken.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10)));
                String where = locator + ":" + line + ": error:";
                for (LabHost h : List.of(hostA, hostB)) {
                    awaitStatus(h, "a rejected reload", s -> number(REJECTED, s) == 1);
                    String s = status(h);
                    assertThat(s).contains(where).contains("\"result\":\"rejected\"");
                    assertThat(number(OK, s)).as("still one reload applied").isEqualTo(1);
                }
                for (LabProcess p : List.of(a, b)) {
                    assertThat(Files.readString(p.logFile())).contains("ERROR").contains(where)
                            .contains("rejected (1 rejected so far); the running configuration stays");
                }
                assertThat(TandemRun.services(hostA)).as("director-a's services after the refusal").isEqualTo(servicesA);
                assertThat(TandemRun.services(hostB)).as("director-b's services after the refusal").isEqualTo(servicesB);
                logs = TandemRun.logs(a, b);
                assertThat(TandemRun.vrrpCounters(hostA)).as("director-a's VRRP counters%n%s", logs).isEqualTo(vrrpA);
                assertThat(TandemRun.vrrpCounters(hostB)).as("director-b's VRRP counters%n%s", logs).isEqualTo(vrrpB);
                assertThat(hostA.exec("ip", "-4", "addr", "show", "dev", hostA.interfaceName()).orThrow().stdout())
                        .contains(LabAddresses.VIP + "/32");
            } finally {
                TandemRun.closeAll(open);
            }
        }
    }

    private LabProcess run(LabHost host, String locator, String id) throws Exception {
        host.exec("sysctl", "-qw", "net.ipv4.ip_forward=0").orThrow();
        return host.start(TandemRun.command("run", "--config", locator, "-i", id), work.resolve(host.name() + ".log"));
    }

    /** {@code tandem config push} of {@code text} from the router's namespace, where ZooKeeper listens. */
    private Command.Result push(Lab lab, String locator, String text) throws Exception {
        return push(lab, locator, Files.writeString(Files.createTempFile(work, "push-", ".conf"), text));
    }

    private static Command.Result push(Lab lab, String locator, Path file) throws Exception {
        return lab.router().exec(COMMAND_TIMEOUT, TandemRun.command("config", "push", "--zk", locator,
                "-i", "director_a", file.toString()).toArray(String[]::new));
    }

    private static String address(int i) {
        return "\"address\":\"" + LabAddresses.realServer(i) + "\"";
    }

    private static String up(int i) {
        return address(i) + ",\"port\":" + PORT + ",\"forward\":\"NAT\",\"weight\":1";
    }

    /** One file for both directors: {@code @ID} lines give each its router_id and priority. */
    private static String config(int reals) {
        StringBuilder servers = new StringBuilder();
        for (int i = 1; i <= reals; i++) {
            servers.append("""
                        real_server %s %d {
                            TCP_CHECK {
                                connect_timeout 1
                            }
                        }
                    """.formatted(LabAddresses.realServer(i), PORT));
        }
        return """
                global_defs {
                    @director_a router_id director_a
                    @director_b router_id director_b
                }
                vrrp_instance VI_1 {
                    state BACKUP
                    interface eth0
                    virtual_router_id 51
                    @director_a priority 150
                    @director_b priority 100
                    version 3
                    advert_int 1
                    virtual_ipaddress {
                        %s/32
                        %s/32
                    }
                }
                virtual_server %s %d {
                    delay_loop 1
                    lb_algo rr
                    lb_kind NAT
                    protocol TCP
                %s}
                """.formatted(LabAddresses.VIP, LabAddresses.NAT_GATEWAY_VIP, LabAddresses.VIP, PORT, servers);
    }
}
