package io.tandem.director.run;

import static io.tandem.director.run.DirectorLabSupport.await;
import static io.tandem.director.run.DirectorLabSupport.get;
import static io.tandem.director.run.DirectorLabSupport.servedBy;
import static io.tandem.director.run.DirectorLabSupport.tandem;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.lab.Command;
import io.tandem.core.lab.Lab;
import io.tandem.core.lab.LabAddresses;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.LabOptions;
import io.tandem.core.lab.LabProcess;
import io.tandem.core.lab.LabTest;
import io.tandem.director.lab.DemoHttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tandem run -f keepalived.conf} as a process in director-a's
 * namespace: a NAT virtual server on the static VIP to two DemoHttpServers
 * with TCP_CHECKs. The client reaches VIP:80 and both real servers answer;
 * one stopped, its check fails and traffic goes to the other only;
 * {@code tandem ipvsadm -Ln} and {@code tandem status} show it; SIGTERM
 * leaves no steering table behind.
 */
@LabTest
class DirectorLabTest {
    private static final String CONF = """
            global_defs {
                router_id director_a
            }
            virtual_server %s 80 {
                delay_loop 1
                lb_algo rr
                lb_kind NAT
                protocol TCP
                real_server %s 8080 {
                    weight 1
                    TCP_CHECK {
                        connect_timeout 1
                        retry 0
                    }
                }
                real_server %s 8080 {
                    weight 1
                    TCP_CHECK {
                        connect_timeout 1
                        retry 0
                    }
                }
            }
            """;

    @TempDir
    Path dir;
    private Lab lab;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void lab() throws IOException {
        lab = Lab.create(LabOptions.defaults().withRealServers(2));
        LabHost director = lab.directorA();
        director.exec("ip", "addr", "add", LabAddresses.VIP + "/32", "dev", director.interfaceName()).orThrow();
        director.exec("sysctl", "-qw", "net.ipv4.ip_forward=0").orThrow();
        for (int i = 1; i <= 2; i++) {
            lab.realServer(i).exec("ip", "route", "replace", LabAddresses.EXTERNAL_NETWORK, "via",
                    LabAddresses.DIRECTOR_A).orThrow();
        }
    }

    @AfterEach
    void teardown() throws Exception {
        try {
            for (AutoCloseable c : open.reversed()) {
                c.close();
            }
        } finally {
            lab.close();
        }
    }

    private Map<String, Integer> requests(int n) throws Exception {
        Map<String, Integer> by = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            by.merge(servedBy(get(lab.client(), LabAddresses.VIP, 80, "/")), 1, Integer::sum);
        }
        return by;
    }

    private String status() throws Exception {
        return get(lab.directorA(), "127.0.0.1", 9165, "/status");
    }

    private String cli(String... args) throws IOException {
        Command.Result r = lab.directorA().exec(Duration.ofSeconds(30), tandem(args).toArray(String[]::new));
        assertThat(r.ok()).as(r.stderr()).isTrue();
        return r.stdout();
    }

    @Test
    void clientReachesBothRealServersAndAFailedOneIsDrained() throws Exception {
        DemoHttpServer rs1 = lab.realServer(1).call(() -> DemoHttpServer.start("rs1", new InetSocketAddress(8080)));
        open.add(rs1);
        DemoHttpServer rs2 = lab.realServer(2).call(() -> DemoHttpServer.start("rs2", new InetSocketAddress(8080)));
        open.add(rs2);
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, CONF.formatted(LabAddresses.VIP, LabAddresses.realServer(1),
                LabAddresses.realServer(2)));
        Path log = dir.resolve("director.log");
        LabProcess director = lab.directorA().start(tandem("run", "-f", conf.toString()), log);
        open.add(director);

        await("the director's admin HTTP", Duration.ofSeconds(30), () -> status().contains("\"state\":\"MASTER\""));
        Predicate<String> bothUp = s -> s.split("\"health\":\"up\"", -1).length == 3;
        await("both real servers healthy", Duration.ofSeconds(10), () -> bothUp.test(status()));

        assertThat(requests(10)).containsEntry("rs1", 5).containsEntry("rs2", 5);
        assertThat(cli("ipvsadm", "-Ln")).as("%s\n%s", status(), Files.readString(log)).contains(
                "Prot LocalAddress:Port Scheduler Flags\n",
                "TCP  10.77.0.100:80 rr\n",
                "  -> 10.77.0.11:8080              Masq    1      ",
                "  -> 10.77.0.12:8080              Masq    1      ");
        assertThat(cli("ipvsadm", "-Ln", "--stats")).containsPattern("TCP  10.77.0.100:80 +10 ");
        assertThat(cli("ipvsadm", "-Lnc")).startsWith("IPVS connection entries\npro expire state       source")
                .containsPattern("TCP \\d\\d:\\d\\d  [A-Z_]+ +10\\.77\\.1\\.10:\\d+ +10\\.77\\.0\\.100:80 +10\\.77\\.0\\.1[12]:8080");

        rs1.close();
        await("rs1 drained", Duration.ofSeconds(10), () -> status().contains(
                "{\"address\":\"10.77.0.11\",\"port\":8080,\"forward\":\"NAT\",\"weight\":0,"));
        assertThat(requests(6)).containsOnlyKeys("rs2").containsEntry("rs2", 6);
        assertThat(cli("status")).contains("state: MASTER (static)")
                .contains("-> 10.77.0.11:8080 NAT weight 0 health down")
                .contains("-> 10.77.0.12:8080 NAT weight 1 health up");
        String metrics = get(lab.directorA(), "127.0.0.1", 9165, "/metrics");
        assertThat(metrics).contains("node_ipvs_backend_weight{local_address=\"10.77.0.100\"")
                .contains("tandem_forwarder_drops_total{reason=\"not_syn\"}")
                .containsPattern("tandem_forwarder_frames_total\\{result=\"transmitted\"\\} [1-9][0-9]*\\.0");

        assertThat(lab.directorA().exec("nft", "list", "tables", "netdev").orThrow().stdout())
                .contains("tandem_director");
        director.stop(Duration.ofSeconds(15));
        assertThat(director.isAlive()).isFalse();
        assertThat(lab.directorA().exec("nft", "list", "tables", "netdev").orThrow().stdout())
                .doesNotContain("tandem_");
        assertThat(Files.readString(log)).contains("director MASTER -> BACKUP").contains("director stopped");
    }
}
