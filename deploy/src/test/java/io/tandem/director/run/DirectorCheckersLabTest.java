package io.tandem.director.run;

import static io.tandem.director.run.DirectorLabSupport.await;
import static io.tandem.director.run.DirectorLabSupport.body;
import static io.tandem.director.run.DirectorLabSupport.get;
import static io.tandem.director.run.DirectorLabSupport.servedBy;
import static io.tandem.director.run.DirectorLabSupport.tandem;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.tandem.core.lab.Lab;
import io.tandem.core.lab.LabAddresses;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.LabOptions;
import io.tandem.core.lab.LabPeers;
import io.tandem.core.lab.LabProcess;
import io.tandem.core.lab.LabTest;
import io.tandem.director.lab.DemoHttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tandem run} with every checker type of keepalived.conf, one virtual
 * server each, against real servers in the lab's rs1 and rs2 namespaces:
 * DemoHttpServer (TCP_CHECK), nginx (HTTP_GET, SSL_GET with a digest and
 * SNI), dnsmasq (DNS_CHECK), socat (UDP_CHECK echo, SMTP_CHECK dialogue), a
 * MISC_CHECK script with misc_dynamic, and the hosts themselves (PING_CHECK).
 * Each check is made to fail on rs1 its own way (refused, 404, wrong digest,
 * ICMP port unreachable, script exit 1, echo requests ignored); the director
 * drains rs1 in the forwarder (weight 0 in /status) in every service while
 * rs2 keeps its weight (and misc_dynamic changes rs2's). The TCP service has
 * {@code quorum 2} and a {@code sorry_server}: losing rs1 loses the quorum,
 * so the client is served by the sorry server, and {@code notify_down} and
 * {@code quorum_down} run. rs1 repaired: every service takes it back, the
 * sorry server steps aside, {@code notify_up} and {@code quorum_up} run.
 * Every real server starts down ({@code alpha}), so "up" always means its
 * checks passed; {@code log_all_failures} shows each failure's reason.
 */
@LabTest
class DirectorCheckersLabTest {
    private static final String VIP = LabAddresses.VIP;
    private static final String RS1 = LabAddresses.realServer(1);
    private static final String RS2 = LabAddresses.realServer(2);
    private static final String TLS_BODY = "tls ok\n";
    /** The services by VIP port: the key in /status, with its checker. */
    private static final Map<String, String> SERVICES = new LinkedHashMap<>();

    static {
        SERVICES.put("80/TCP", "TCP_CHECK");
        SERVICES.put("8080/TCP", "HTTP_GET");
        SERVICES.put("8443/TCP", "SSL_GET");
        SERVICES.put("53/UDP", "DNS_CHECK");
        SERVICES.put("5000/UDP", "UDP_CHECK");
        SERVICES.put("25/TCP", "SMTP_CHECK");
        SERVICES.put("7000/TCP", "MISC_CHECK");
        SERVICES.put("7001/TCP", "PING_CHECK");
    }

    @TempDir
    Path dir;
    private Lab lab;
    private final List<AutoCloseable> open = new ArrayList<>();
    /** Per real server (1, 2): its servers that the test stops and starts. */
    private final Map<Integer, Map<String, LabProcess>> peers = new TreeMap<>();
    private final Map<Integer, DemoHttpServer> tcpServers = new TreeMap<>();
    private SelfSignedCertificate cert;

    @BeforeEach
    void lab() throws Exception {
        lab = Lab.create(LabOptions.defaults().withRealServers(2));
        LabHost director = lab.directorA();
        director.exec("ip", "addr", "add", VIP + "/32", "dev", director.interfaceName()).orThrow();
        director.exec("sysctl", "-qw", "net.ipv4.ip_forward=0").orThrow();
        for (int i = 1; i <= 2; i++) {
            lab.realServer(i).exec("ip", "route", "replace", LabAddresses.EXTERNAL_NETWORK, "via",
                    LabAddresses.DIRECTOR_A).orThrow();
        }
        cert = SelfSignedCertificate.builder().fqdn("rs.example").build();
        // the director's scripts (root) and nothing else read this folder
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    @AfterEach
    void teardown() throws Exception {
        try {
            for (AutoCloseable c : open.reversed()) {
                c.close();
            }
        } finally {
            lab.close();
            if (cert != null) {
                cert.delete();
            }
        }
    }

    private static String config(Path notify, Path misc) {
        // alpha: every real server starts down, so "up" means its checks passed
        String timing = """
                    delay_loop 1
                    connect_timeout 2
                    alpha
                    retry 0
                    delay_before_retry 1
                    lb_algo rr
                    lb_kind NAT
                """;
        StringBuilder c = new StringBuilder("global_defs {\n    router_id director_a\n}\n");
        c.append("virtual_server " + VIP + " 80 {\n" + timing + """
                    protocol TCP
                    quorum 2
                    quorum_up "%1$s quorum-up"
                    quorum_down "%1$s quorum-down"
                    sorry_server %2$s 9090
                    real_server %3$s 80 {
                        notify_up "%1$s rs1-up"
                        notify_down "%1$s rs1-down"
                        TCP_CHECK {
                            log_all_failures
                        }
                    }
                    real_server %2$s 80 {
                        TCP_CHECK {
                            log_all_failures
                        }
                    }
                }
                """.formatted(notify, RS2, RS1));
        for (var e : SERVICES.entrySet()) {
            String[] portProtocol = e.getKey().split("/");
            int port = Integer.parseInt(portProtocol[0]);
            if (port == 80) {
                continue;
            }
            c.append("virtual_server " + VIP + " " + port + " {\n" + timing + "    protocol " + portProtocol[1] + "\n");
            for (String rs : List.of(RS1, RS2)) {
                c.append("    real_server " + rs + " " + port + " {\n" + checker(e.getValue(), rs, misc) + "    }\n");
            }
            c.append("}\n");
        }
        return c.toString();
    }

    private static String checker(String kind, String rs, Path misc) {
        return switch (kind) {
            case "HTTP_GET" -> """
                        HTTP_GET {
                            log_all_failures
                            url {
                                path /health
                                status_code 200
                            }
                        }
                """;
            case "SSL_GET" -> """
                        SSL_GET {
                            log_all_failures
                            url {
                                path /tls
                                digest %s
                            }
                            enable_sni
                            sni_name rs.example
                        }
                """.formatted(md5(TLS_BODY));
            case "DNS_CHECK" -> """
                        DNS_CHECK {
                            log_all_failures
                            type A
                            name rs.example
                        }
                """;
            case "UDP_CHECK" -> """
                        UDP_CHECK {
                            log_all_failures
                            payload 70696e670a
                            require_reply 70696e67
                        }
                """;
            case "SMTP_CHECK" -> """
                        SMTP_CHECK {
                            log_all_failures
                            helo_name director.example
                        }
                """;
            case "MISC_CHECK" -> """
                        MISC_CHECK {
                            log_all_failures
                            misc_path "%s %s"
                            misc_timeout 3
                            misc_dynamic
                        }
                """.formatted(misc, rs);
            case "PING_CHECK" -> """
                        PING_CHECK {
                            log_all_failures
                        }
                """;
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private Path script(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    private Path rsDir(int i) {
        return dir.resolve("rs" + i);
    }

    /** Starts the servers of real server {@code i} that the test stops: TCP, nginx, dnsmasq, UDP echo, SMTP. */
    private void startServers(int i, Path dialogue) throws Exception {
        LabHost host = lab.realServer(i);
        String ip = LabAddresses.realServer(i);
        Path d = rsDir(i);
        Files.createDirectories(d);
        tcpServers.put(i, host.call(() -> DemoHttpServer.start("rs" + i, new InetSocketAddress(ip, 80))));
        Map<String, LabProcess> p = peers.computeIfAbsent(i, k -> new LinkedHashMap<>());
        p.put("nginx", host.start(LabPeers.nginx(d, ip, 8080, 8443, cert.certificate().toPath(),
                cert.privateKey().toPath(), ""), d.resolve("nginx.log")));
        Files.writeString(d.resolve("html/health"), "healthy\n");
        Files.writeString(d.resolve("html/tls"), TLS_BODY);
        p.put("dnsmasq", host.start(LabPeers.dnsmasq(d, ip, 53, "rs.example", "10.1.2.3"), d.resolve("dnsmasq.log")));
        p.put("udp", host.start(LabPeers.udpEcho(ip, 5000), d.resolve("udp.log")));
        p.put("smtp", host.start(LabPeers.smtp(ip, 25, dialogue), d.resolve("smtp.log")));
    }

    /** Stops what still runs of real server {@code i}'s servers. */
    private void stopServers(int i) throws Exception {
        DemoHttpServer tcp = tcpServers.remove(i);
        if (tcp != null) {
            tcp.close();
        }
        for (LabProcess p : peers.remove(i).values()) {
            p.stop(Duration.ofSeconds(5));
        }
    }

    /** /status as "PORT/PROTO RS:PORT" -> "weight W health H", one entry per real server of every service. */
    private Map<String, String> realServers() throws Exception {
        String response = get(lab.directorA(), "127.0.0.1", 9165, "/status");
        Map<String, String> out = new TreeMap<>();
        if (response.isEmpty()) {
            return out;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) JsonReader.read(body(response));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> services = (List<Map<String, Object>>) doc.get("services");
        for (Map<String, Object> s : services) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> reals = (List<Map<String, Object>>) s.get("real_servers");
            for (Map<String, Object> r : reals) {
                out.put(s.get("port") + "/" + s.get("protocol") + " " + r.get("address") + ":" + r.get("port"),
                        "weight " + r.get("weight") + " health " + r.get("health"));
            }
        }
        return out;
    }

    /** What /status must show: rs1 with {@code rs1}, rs2 with {@code rs2} in every service but the TCP one's. */
    private static Map<String, String> expected(String rs1, String rs2, String misc1, String misc2,
            String tcp1, String tcp2, String sorry) {
        Map<String, String> out = new TreeMap<>();
        for (var e : SERVICES.entrySet()) {
            String port = e.getKey().split("/")[0];
            boolean miscCheck = e.getValue().equals("MISC_CHECK");
            boolean tcp = port.equals("80");
            out.put(e.getKey() + " " + RS1 + ":" + port, tcp ? tcp1 : miscCheck ? misc1 : rs1);
            out.put(e.getKey() + " " + RS2 + ":" + port, tcp ? tcp2 : miscCheck ? misc2 : rs2);
        }
        out.put("80/TCP " + RS2 + ":9090", sorry);
        return out;
    }

    private static List<String> notified(Path notifyLog) throws Exception {
        return Files.exists(notifyLog) ? Files.readAllLines(notifyLog) : List.of();
    }

    private Map<String, Integer> requests(int n) throws Exception {
        Map<String, Integer> by = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            by.merge(servedBy(get(lab.client(), VIP, 80, "/")), 1, Integer::sum);
        }
        return by;
    }

    private void awaitStatus(String what, Map<String, String> expected, Path log) throws Exception {
        try {
            await(what, Duration.ofSeconds(30), () -> realServers().equals(expected));
        } catch (AssertionError e) {
            assertThat(realServers()).as(what + "\n" + Files.readString(log)).isEqualTo(expected);
        }
    }

    @Test
    void everyCheckerTypeDrainsItsRealServerAndTakesItBack() throws Exception {
        for (Path tool : List.of(LabPeers.NGINX, LabPeers.DNSMASQ, LabPeers.SOCAT)) {
            assertThat(tool).as(tool + " (Debian package; .ci/run installs it)").isExecutable();
        }
        Path dialogue = LabPeers.smtpDialogue(dir);
        for (int i = 1; i <= 2; i++) {
            startServers(i, dialogue);
        }
        DemoHttpServer sorry = lab.realServer(2).call(() -> DemoHttpServer.start("sorry",
                new InetSocketAddress(RS2, 9090)));
        open.add(sorry);
        open.add(() -> {
            for (int i : List.copyOf(peers.keySet())) {
                stopServers(i);
            }
        });
        Path notifyLog = dir.resolve("notify.log");
        Path notify = script("notify.sh", "echo \"$1\" >> " + notifyLog);
        // misc_dynamic: the exit code is 2 + the weight; 1 fails
        Path misc = script("misc.sh", "exit $(cat " + dir.resolve("misc-") + "$1)");
        Files.writeString(dir.resolve("misc-" + RS1), "5");
        Files.writeString(dir.resolve("misc-" + RS2), "5");
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, config(notify, misc));
        assertThat(lab.directorA().exec(Duration.ofSeconds(30), tandem("check-config", "-f", conf.toString())
                .toArray(String[]::new)).ok()).as("check-config").isTrue();
        Path log = dir.resolve("director.log");
        LabProcess director = lab.directorA().start(tandem("run", "-f", conf.toString()), log);
        open.add(director);

        String up = "weight 1 health up";
        String down = "weight 0 health down";
        awaitStatus("every real server up", expected(up, up, "weight 3 health up", "weight 3 health up", up, up,
                "weight 0 health unknown"), log);
        assertThat(requests(6)).containsEntry("rs1", 3).containsEntry("rs2", 3);
        // alpha: the TCP service started without quorum (quorum_down), rs1's first passed check is a change
        await("the starting notify commands", Duration.ofSeconds(10), () -> notified(notifyLog).size() == 3);
        assertThat(notified(notifyLog)).containsExactlyInAnyOrder("quorum-down", "rs1-up", "quorum-up");
        long logBeforeFailures = Files.size(log);

        // break every check on rs1, each its own way; rs2's MISC_CHECK reports a new weight
        tcpServers.remove(1).close();                                         // TCP_CHECK: refused
        Files.delete(rsDir(1).resolve("html/health"));                        // HTTP_GET: 404
        Files.writeString(rsDir(1).resolve("html/tls"), "tls changed\n");     // SSL_GET: wrong digest
        peers.get(1).remove("dnsmasq").stop(Duration.ofSeconds(5));           // DNS_CHECK: port unreachable
        peers.get(1).remove("udp").stop(Duration.ofSeconds(5));               // UDP_CHECK: port unreachable
        peers.get(1).remove("smtp").stop(Duration.ofSeconds(5));              // SMTP_CHECK: refused
        Files.writeString(dir.resolve("misc-" + RS1), "1");                   // MISC_CHECK: exit 1
        lab.realServer(1).exec("sysctl", "-qw", "net.ipv4.icmp_echo_ignore_all=1").orThrow();   // PING_CHECK
        Files.writeString(dir.resolve("misc-" + RS2), "7");                   // rs2: weight 5
        // the TCP service lost its quorum of 2: rs2 is kept out too, the sorry server serves
        awaitStatus("rs1 drained in every service", expected(down, up, down, "weight 5 health up", down,
                "weight 0 health up", "weight 1 health unknown"), log);
        assertThat(requests(4)).containsOnlyKeys("sorry");
        // each for its own reason (log_all_failures logs every failed attempt)
        Map<String, String> reasons = Map.of("80/TCP", "REFUSED", "8080/TCP", "BAD_STATUS", "8443/TCP", "BAD_DIGEST",
                "53/UDP", "UNREACHABLE", "5000/UDP", "UNREACHABLE", "25/TCP", "REFUSED", "7000/TCP", "EXIT_STATUS",
                "7001/TCP", "TIMEOUT");
        String failuresLogged = Files.readString(log).substring((int) logBeforeFailures);
        for (var e : SERVICES.entrySet()) {
            String port = e.getKey().split("/")[0];
            assertThat(failuresLogged).contains(VIP + ":" + e.getKey() + " " + RS1 + ":" + port + " " + e.getValue()
                    + ": check failed (1 of 1 tries): " + reasons.get(e.getKey()));
        }
        await("notify_down and quorum_down", Duration.ofSeconds(10), () -> notified(notifyLog).size() == 5);
        assertThat(notified(notifyLog).subList(3, 5)).containsExactlyInAnyOrder("rs1-down", "quorum-down");
        assertThat(get(lab.directorA(), "127.0.0.1", 9165, "/metrics"))
                .contains("tandem_healthcheck_checks_total{checker=\"DNS_CHECK\"")
                .containsPattern("tandem_healthcheck_real_server_up\\{real_server=\"" + RS1.replace(".", "\\.")
                        + ":7001\",service=\"10\\.77\\.0\\.100:7001/TCP\"} 0");

        // repair rs1
        Files.writeString(rsDir(1).resolve("html/health"), "healthy\n");
        Files.writeString(rsDir(1).resolve("html/tls"), TLS_BODY);
        Files.writeString(dir.resolve("misc-" + RS1), "5");
        lab.realServer(1).exec("sysctl", "-qw", "net.ipv4.icmp_echo_ignore_all=0").orThrow();
        stopServers(1);
        startServers(1, dialogue);
        awaitStatus("rs1 back in every service", expected(up, up, "weight 3 health up", "weight 5 health up", up, up,
                "weight 0 health unknown"), log);
        assertThat(requests(6)).containsEntry("rs1", 3).containsEntry("rs2", 3);
        await("notify_up and quorum_up", Duration.ofSeconds(10), () -> notified(notifyLog).size() == 7);
        assertThat(notified(notifyLog).subList(5, 7)).containsExactlyInAnyOrder("rs1-up", "quorum-up");

        director.stop(Duration.ofSeconds(15));
        assertThat(director.isAlive()).isFalse();
        assertThat(Files.readString(log)).contains("director stopped");
    }
}
