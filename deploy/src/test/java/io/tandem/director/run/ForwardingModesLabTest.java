package io.tandem.director.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.lab.Capture;
import io.tandem.core.lab.Command;
import io.tandem.core.lab.Lab;
import io.tandem.core.lab.LabAddresses;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.LabOptions;
import io.tandem.core.lab.LabProcess;
import io.tandem.core.lab.LabTest;
import io.tandem.core.lab.PcapFrame;
import io.tandem.director.sync.TandemRun;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 5's acceptance, per forwarding mode, with {@code tandem run} on
 * director-a and two real servers running nginx, a TCP echo and a UDP echo
 * (DR and TUN real servers set up by {@code tandem realserver}; TUN's
 * decapsulates in user space, this kernel having no ipip module). From the
 * client, through the router, to the VIP: HTTP with curl (spread as rr
 * schedules it) and wrk, a 4 MB TCP stream echoed back intact, and a UDP
 * exchange. Captures on the client, on the router's LAN side (the packet as
 * the director receives it) and on the real servers show exactly the seeds'
 * address changes for the stream's SYN, and that the client only ever sees
 * the VIP:
 *
 * <table>
 * <caption>What reaches the real server</caption>
 * <tr><th>mode</th><th>changed, against the router's copy</th></tr>
 * <tr><td>NAT</td><td>destination address and port</td></tr>
 * <tr><td>DR</td><td>the MAC addresses only</td></tr>
 * <tr><td>TUN</td><td>an outer header DIP -&gt; RIP (protocol 4) around the untouched packet</td></tr>
 * <tr><td>FULLNAT</td><td>source and destination addresses and ports</td></tr>
 * </table>
 *
 * <p>Checksums may differ as the addresses do, and the TCP checksum also
 * where the client's veth left a partial one that the director completes.
 */
@LabTest
class ForwardingModesLabTest {
    private static final int HTTP = 80;
    private static final int STREAM = 9000;
    private static final int UDP = 5353;
    private static final int STREAM_BYTES = 4 << 20;
    private static final Set<String> CHECKSUMS = Set.of("ip checksum", "transport checksum");
    private static final Pattern FRAGMENTATION_NEEDED = Pattern.compile("\"fragmentation_needed_sent\"\\s*:\\s*(\\d+)");

    @TempDir
    Path work;

    /** The real server's port for a virtual port: NAT and FULLNAT map ports, DR and TUN cannot. */
    private static int realPort(String mode, int vport) {
        return mode.equals("NAT") || mode.equals("FULLNAT") ? vport + 1 : vport;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"NAT", "DR", "TUN", "FULLNAT"})
    void clientTrafficReachesTheRealServersWithTheSeedsAddressChanges(String mode) throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        long started = System.nanoTime();
        try (Lab lab = Lab.create(LabOptions.defaults().withRealServers(2))) {
            try {
                // frames no longer than the MTU between hosts, as on a wire: a veth otherwise carries a
                // sender's TSO segments whole, longer than the forwarder's ring frames (see README)
                for (LabHost host : lab.hosts()) {
                    for (var iface : host.interfaces()) {
                        host.exec("ip", "link", "set", "dev", iface.name(), "gso_max_segs", "1").orThrow();
                    }
                }
                LabHost director = lab.directorA();
                director.exec("ip", "addr", "add", LabAddresses.VIP + "/32", "dev", director.interfaceName())
                        .orThrow();
                if (mode.equals("FULLNAT")) {
                    for (int i = 0; i < LabAddresses.FULLNAT_LOCAL_COUNT; i++) {
                        director.exec("ip", "addr", "add", LabAddresses.fullnatLocal(i) + "/32", "dev",
                                director.interfaceName()).orThrow();
                    }
                }
                director.exec("sysctl", "-qw", "net.ipv4.ip_forward=0").orThrow();
                List<LabProcess> realServerSetups = new ArrayList<>();
                List<LabEchoServers> echoes = new ArrayList<>();
                for (int i = 1; i <= 2; i++) {
                    LabHost rs = lab.realServer(i);
                    switch (mode) {
                        case "NAT" -> rs.exec("ip", "route", "replace", LabAddresses.EXTERNAL_NETWORK, "via",
                                LabAddresses.DIRECTOR_A).orThrow();
                        case "DR", "TUN" -> realServerSetups.add(RealServerSetups.start(rs, mode,
                                work.resolve(rs.name() + "-realserver.log"), 1));
                        default -> {
                            // FULLNAT: replies go to the director's local addresses, on the LAN
                        }
                    }
                    open.add(startNginx(rs, "rs" + i));
                }
                Path conf = work.resolve("keepalived.conf");
                Files.writeString(conf, config(mode));
                LabProcess tandem = director.start(TandemRun.command("run", "-f", conf.toString()),
                        work.resolve("director.log"));
                open.add(tandem);
                for (int i = 0; i < realServerSetups.size(); i++) {
                    RealServerSetups.awaitReady(lab.realServer(i + 1), realServerSetups.get(i));
                }
                // DR and TUN answer UDP from the VIP, now on loopback
                boolean direct = mode.equals("DR") || mode.equals("TUN");
                InetSocketAddress udpBind = direct ? new InetSocketAddress(LabAddresses.VIP, UDP)
                        : new InetSocketAddress(realPort(mode, UDP));
                for (int i = 1; i <= 2; i++) {
                    String name = "rs" + i;
                    LabEchoServers echo = lab.realServer(i).call(() -> new LabEchoServers(name,
                            realPort(mode, STREAM), udpBind));
                    echoes.add(echo);
                    open.add(echo);
                }
                TandemRun.awaitStatus(director, "every TCP real server healthy",
                        s -> s.split("\"health\":\"up\"", -1).length - 1 >= 4 && !s.contains("\"health\":\"down\""));

                long ready = System.nanoTime();
                LabHost client = lab.client();
                Capture atClient = client.capture(client.interfaceName(), "ip");
                open.add(atClient);
                Capture atRouter = lab.router().capture(lab.router().ifaceOn("lan").name(),
                        "ip and host " + LabAddresses.CLIENT);
                open.add(atRouter);
                List<Capture> atRealServers = new ArrayList<>();
                for (LabHost rs : lab.realServers()) {
                    Capture c = rs.capture(rs.interfaceName(), "ip proto 4 or host " + LabAddresses.CLIENT
                            + " or net " + LabAddresses.FULLNAT_LOCAL_FIRST + "/30");
                    atRealServers.add(c);
                    open.add(c);
                }

                // HTTP: curl, one connection each, spread as rr schedules it; then wrk
                Map<String, Integer> answeredBy = new TreeMap<>();
                for (int i = 0; i < 10; i++) {
                    answeredBy.merge(curl(client), 1, Integer::sum);
                }
                assertThat(answeredBy).as("who answered curl").containsEntry("rs1", 5).containsEntry("rs2", 5);
                String wrk = client.exec(Duration.ofSeconds(30), "wrk", "-t1", "-c4", "-d2s",
                        "http://" + LabAddresses.VIP + "/").orThrow().stdout();
                assertThat(wrk).as("wrk").contains("Requests/sec:").doesNotContain("Non-2xx")
                        .doesNotContain("Socket errors");
                assertThat(requests(wrk)).as("wrk requests in 2 s%n%s", wrk).isGreaterThan(100);

                // a TCP stream, echoed back byte for byte
                long streamStart = System.nanoTime();
                int clientPort = client.call(this::stream);
                long streamEnd = System.nanoTime();
                long echoed = echoes.stream().mapToLong(e -> e.tcpBytes.get()).sum();
                assertThat(echoed).as("bytes the real servers echoed").isGreaterThanOrEqualTo(STREAM_BYTES);

                // a UDP exchange from ten client ports, answered from the VIP only
                Map<String, Integer> udpBy = client.call(ForwardingModesLabTest::udpExchange);
                assertThat(udpBy).as("who answered UDP").containsEntry("rs1", 5).containsEntry("rs2", 5);

                List<CapturedPacket> seenByClient = packets(atClient.stop());
                List<CapturedPacket> seenByRouter = packets(atRouter.stop());
                List<CapturedPacket> seenByRealServers = new ArrayList<>();
                for (Capture c : atRealServers) {
                    seenByRealServers.addAll(packets(c.stop()));
                }
                String logs = Files.readString(work.resolve("director.log"));

                assertThat(seenByClient).as("client capture").isNotEmpty()
                        .allSatisfy(p -> assertOnlyTheVip(p));
                CapturedPacket syn = seenByRouter.stream().filter(p -> p.isSyn() && p.sourcePort() == clientPort
                        && p.destination().equals(LabAddresses.VIP)).findFirst().orElseThrow(
                                () -> new AssertionError("the stream's SYN on the router's LAN side"));
                assertSeedsChanges(mode, syn, seenByRealServers, lab, logs);
                if (mode.equals("FULLNAT")) {
                    assertClientAddressOption(seenByRouter, seenByRealServers);
                }
                if (mode.equals("TUN")) {
                    // the client's full-size segments did not fit once encapsulated: the director told it the MTU
                    assertThat(TandemRun.number(FRAGMENTATION_NEEDED, TandemRun.status(director))).as("Fragmentation Needed sent")
                            .isPositive();
                    assertThat(seenByClient).as("Fragmentation Needed (MTU 1480) from the VIP")
                            .anyMatch(p -> p.protocol() == 1 && p.ip()[p.headerLength()] == 3
                                    && p.ip()[p.headerLength() + 1] == 4
                                    && ((p.ip()[p.headerLength() + 6] & 0xFF) << 8
                                    | (p.ip()[p.headerLength() + 7] & 0xFF)) == 1480);
                }

                System.out.printf("%s: set up in %d ms, 4 MB stream echoed in %d ms, checked in %d ms%n", mode,
                        (ready - started) / 1_000_000, (streamEnd - streamStart) / 1_000_000,
                        (System.nanoTime() - ready) / 1_000_000);
                tandem.stop(Duration.ofSeconds(15));
                for (int i = 0; i < realServerSetups.size(); i++) {
                    assertUndone(lab.realServer(i + 1), realServerSetups.get(i), mode);
                }
            } finally {
                for (AutoCloseable c : open.reversed()) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        // keep closing; the lab removes the namespaces and stops what is left
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ the checks

    private static void assertOnlyTheVip(CapturedPacket p) {
        String remote = p.source().equals(LabAddresses.CLIENT) ? p.destination() : p.source();
        assertThat(remote).as("the client's peer in %s", p).isEqualTo(LabAddresses.VIP);
        if (p.protocol() == CapturedPacket.TCP || p.protocol() == CapturedPacket.UDP) {
            int port = p.source().equals(LabAddresses.VIP) ? p.sourcePort() : p.destinationPort();
            assertThat(port).as("the VIP's port in %s", p).isIn(HTTP, STREAM, UDP);
        }
    }

    private static void assertSeedsChanges(String mode, CapturedPacket before, List<CapturedPacket> atRealServers,
            Lab lab, String logs) {
        String rip;
        CapturedPacket after;
        if (mode.equals("TUN")) {
            CapturedPacket outer = atRealServers.stream()
                    .filter(p -> p.inner() != null && p.inner().isSyn()
                            && p.inner().tcpSequence() == before.tcpSequence())
                    .findFirst().orElseThrow(() -> new AssertionError("the tunnelled SYN at a real server"));
            assertThat(outer.source()).as("outer source").isEqualTo(LabAddresses.DIRECTOR_A);
            assertThat(outer.destination()).as("outer destination").isIn(LabAddresses.realServer(1),
                    LabAddresses.realServer(2));
            assertThat(outer.dontFragment()).as("outer DF copied from the inner packet")
                    .isEqualTo(before.dontFragment());
            rip = outer.destination();
            after = outer.inner();
        } else {
            after = atRealServers.stream()
                    .filter(p -> p.isSyn() && p.tcpSequence() == before.tcpSequence())
                    .findFirst().orElseThrow(() -> new AssertionError("the SYN at a real server%n" + logs));
            rip = mode.equals("DR") ? after.frame().destinationMac().equals(lab.realServer(1).mac())
                    ? LabAddresses.realServer(1) : LabAddresses.realServer(2) : after.destination();
        }
        List<String> changed = new ArrayList<>(after.differencesFrom(before));
        assertThat(after.transportChecksumValid()).as("the real server's TCP checksum is complete").isTrue();
        if (changed.remove("transport checksum") && changed.isEmpty()) {
            assertThat(before.transportChecksumValid()).as("the only change is completing a partial checksum")
                    .isFalse();
        }
        changed.removeAll(CHECKSUMS);
        switch (mode) {
            case "NAT" -> {
                assertThat(changed).containsExactlyInAnyOrder("destination address", "destination port");
                assertThat(after.destination()).isEqualTo(rip);
                assertThat(after.destinationPort()).isEqualTo(realPort(mode, STREAM));
            }
            case "FULLNAT" -> {
                assertThat(changed).containsExactlyInAnyOrder("source address", "source port",
                        "destination address", "destination port");
                assertThat(after.source()).startsWith("10.77.0.20");
                assertThat(after.destinationPort()).isEqualTo(realPort(mode, STREAM));
            }
            default -> assertThat(changed).as("%s: the IP packet untouched", mode).isEmpty();
        }
        // layer 2: from the director to the real server (the router's copy went to the director)
        String rsMac = rip.equals(LabAddresses.realServer(1)) ? lab.realServer(1).mac() : lab.realServer(2).mac();
        assertThat(before.frame().destinationMac()).isEqualTo(lab.directorA().mac());
        assertThat(after.frame().sourceMac()).isEqualTo(lab.directorA().mac());
        assertThat(after.frame().destinationMac()).isEqualTo(rsMac);

        // the real server's answer: to the client from the VIP (DR, TUN), else back through the director
        CapturedPacket answer = atRealServers.stream()
                .filter(p -> p.protocol() == CapturedPacket.TCP && (p.tcpFlags() & 0x12) == 0x12
                        && p.destinationPort() == after.sourcePort() && p.destination().equals(after.source()))
                .findFirst().orElseThrow(() -> new AssertionError("the real server's SYN-ACK"));
        switch (mode) {
            case "DR", "TUN" -> {
                assertThat(answer.source()).isEqualTo(LabAddresses.VIP);
                assertThat(answer.sourcePort()).isEqualTo(STREAM);
                assertThat(answer.frame().destinationMac()).as("straight to the router")
                        .isEqualTo(lab.router().ifaceOn("lan").mac());
            }
            default -> {
                assertThat(answer.source()).isEqualTo(rip);
                assertThat(answer.frame().destinationMac()).as("back to the director")
                        .isEqualTo(lab.directorA().mac());
            }
        }
    }

    /**
     * FULLNAT's HTTP service has {@code toa}: each SYN and handshake-completing ACK reaching a real server
     * carries the client's address and port (TCP option 254), and nginx serves it (curl checked that);
     * the stream service has no {@code toa}, and its segments carry none.
     */
    private static void assertClientAddressOption(List<CapturedPacket> seenByRouter,
            List<CapturedPacket> atRealServers) {
        List<String> clients = seenByRouter.stream()
                .filter(p -> p.isSyn() && p.destination().equals(LabAddresses.VIP) && p.destinationPort() == HTTP)
                .map(p -> LabAddresses.CLIENT + ":" + p.sourcePort()).distinct().toList();
        List<CapturedPacket> httpSyns = atRealServers.stream()
                .filter(p -> p.isSyn() && p.destinationPort() == realPort("FULLNAT", HTTP)).toList();
        assertThat(httpSyns).as("HTTP SYNs at the real servers").hasSizeGreaterThanOrEqualTo(10)
                .allSatisfy(p -> assertThat(p.clientAddressOption()).as("TOA in %s", p).isIn(clients));
        assertThat(atRealServers.stream()
                .filter(p -> p.protocol() == CapturedPacket.TCP && p.tcpFlags() == 0x10
                        && p.destinationPort() == realPort("FULLNAT", HTTP) && p.clientAddressOption() != null)
                .map(CapturedPacket::clientAddressOption).distinct().count())
                .as("handshake ACKs with TOA, one client port each").isGreaterThanOrEqualTo(10);
        assertThat(atRealServers.stream()
                .filter(p -> p.protocol() == CapturedPacket.TCP && p.destinationPort() == realPort("FULLNAT", STREAM))
                .toList()).as("no TOA on the stream service")
                .isNotEmpty().allSatisfy(p -> assertThat(p.clientAddressOption()).isNull());
    }

    private void assertUndone(LabHost rs, LabProcess setup, String mode) throws Exception {
        setup.stop(Duration.ofSeconds(10));
        String log = Files.readString(setup.logFile());
        assertThat(rs.exec("ip", "-4", "addr", "show", "dev", "lo").orThrow().stdout()).as("lo after stop%n%s", log)
                .doesNotContain(LabAddresses.VIP);
        assertThat(rs.exec("sysctl", "-n", "net.ipv4.conf.all.arp_ignore").orThrow().stdout().strip()).isEqualTo("0");
        assertThat(rs.exec("sysctl", "-n", "net.ipv4.conf.all.arp_announce").orThrow().stdout().strip())
                .isEqualTo("0");
        assertThat(log).contains("removed " + LabAddresses.VIP + "/32 from lo")
                .contains("restored net.ipv4.conf.all.arp_ignore 1 -> 0");
        if (mode.equals("TUN")) {
            assertThat(rs.exec("ip", "link", "show", "tandem-ipip").ok()).as("TUN device after stop").isFalse();
            Matcher m = Pattern.compile("decapsulation: received (\\d+), decapsulated (\\d+) .* dropped: none")
                    .matcher(log);
            assertThat(m.find()).as("the decapsulation counters, nothing dropped%n%s", log).isTrue();
            assertThat(Long.parseLong(m.group(2))).isPositive().isEqualTo(Long.parseLong(m.group(1)));
        }
    }

    // ------------------------------------------------------------------ traffic

    private static String curl(LabHost client) throws IOException {
        Command.Result r = client.exec(Duration.ofSeconds(15), "curl", "-s", "-m", "5", "-D", "-", "-o", "/dev/null",
                "http://" + LabAddresses.VIP + "/");
        return r.stdout().lines().filter(l -> l.regionMatches(true, 0, "X-Real-Server:", 0, 14))
                .map(l -> l.substring(14).strip()).findFirst().orElse("no answer: " + r.stderr());
    }

    private static long requests(String wrk) {
        Matcher m = Pattern.compile("(\\d+) requests in").matcher(wrk);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /**
     * Sends 4 MB of random bytes to VIP:9000 and reads them back (at most 60 s,
     * then the socket is closed so that neither side hangs); returns the client's port.
     */
    private int stream() throws Exception {
        byte[] data = new byte[STREAM_BYTES];
        new Random(5).nextBytes(data);
        Socket s = new Socket();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            try {
                s.connect(new InetSocketAddress(LabAddresses.VIP, STREAM), 3000);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                Future<byte[]> back = threads.submit(() -> in.readNBytes(STREAM_BYTES));
                Future<?> sent = threads.submit(() -> {
                    for (int at = 0; at < data.length; at += 65536) {
                        out.write(data, at, Math.min(65536, data.length - at));
                    }
                    return null;
                });
                sent.get(60, TimeUnit.SECONDS);
                byte[] echoed = back.get(60, TimeUnit.SECONDS);
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                assertThat(md.digest(echoed)).as("the stream echoed back").isEqualTo(md.digest(data));
                return s.getLocalPort();
            } finally {
                s.close(); // unblocks a reader or writer left behind by a failure
            }
        }
    }

    private static Map<String, Integer> udpExchange() throws Exception {
        Map<String, Integer> by = new TreeMap<>();
        InetSocketAddress vip = new InetSocketAddress(LabAddresses.VIP, UDP);
        for (int i = 0; i < 10; i++) {
            try (DatagramSocket s = new DatagramSocket()) {
                s.setSoTimeout(3000);
                byte[] hello = ("hello " + i).getBytes(StandardCharsets.US_ASCII);
                s.send(new DatagramPacket(hello, hello.length, vip));
                DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
                s.receive(p);
                assertThat(p.getSocketAddress()).as("who answered UDP").isEqualTo(vip);
                String answer = new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
                assertThat(answer).endsWith(" hello " + i);
                by.merge(answer.substring(0, answer.indexOf(' ')), 1, Integer::sum);
            }
        }
        return by;
    }

    private static List<CapturedPacket> packets(List<PcapFrame> frames) {
        return frames.stream().map(CapturedPacket::of).filter(Objects::nonNull).toList();
    }

    // ------------------------------------------------------------------ the servers

    private LabProcess startNginx(LabHost rs, String name) throws Exception {
        Path dir = Files.createDirectories(work.resolve(name + "-nginx"));
        Files.createDirectories(dir.resolve("tmp"));
        Files.writeString(dir.resolve("nginx.conf"), """
                daemon off;
                master_process off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 512; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/tmp;
                    proxy_temp_path %1$s/tmp;
                    fastcgi_temp_path %1$s/tmp;
                    uwsgi_temp_path %1$s/tmp;
                    scgi_temp_path %1$s/tmp;
                    server {
                        listen %3$d;
                        listen %4$d;
                        add_header X-Real-Server %2$s always;
                        location / { return 200 "%2$s\\n"; }
                    }
                }
                """.formatted(dir, name, HTTP, HTTP + 1));
        LabProcess nginx = rs.start(List.of("/usr/sbin/nginx", "-p", dir.toString(), "-c",
                dir.resolve("nginx.conf").toString()), dir.resolve("nginx.log"));
        long end = System.nanoTime() + 15_000_000_000L;
        while (!rs.call(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), HTTP), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        })) {
            if (!nginx.isAlive() || System.nanoTime() > end) {
                throw new AssertionError(name + ": nginx did not start: " + Files.readString(dir.resolve("nginx.log")));
            }
            Thread.sleep(50);
        }
        return nginx;
    }

    static String config(String mode) {
        String kind = mode.equals("FULLNAT") ? "FNAT\n    local_address_group lag" : mode;
        StringBuilder s = new StringBuilder("global_defs {\n    router_id director_a\n}\n");
        if (mode.equals("FULLNAT")) {
            s.append("local_address_group lag {\n");
            for (int i = 0; i < LabAddresses.FULLNAT_LOCAL_COUNT; i++) {
                s.append("    ").append(LabAddresses.fullnatLocal(i)).append('\n');
            }
            s.append("}\n");
        }
        for (int vport : new int[] {HTTP, STREAM, UDP}) {
            boolean udp = vport == UDP;
            s.append("virtual_server ").append(LabAddresses.VIP).append(' ').append(vport).append(" {\n")
                    .append("    delay_loop 1\n    lb_algo rr\n    lb_kind ").append(kind).append('\n')
                    .append(mode.equals("FULLNAT") && vport == HTTP ? "    toa\n" : "")
                    .append("    protocol ").append(udp ? "UDP" : "TCP").append('\n');
            for (int i = 1; i <= 2; i++) {
                s.append("    real_server ").append(LabAddresses.realServer(i)).append(' ')
                        .append(realPort(mode, vport)).append(" {\n")
                        .append(udp ? "" : "        TCP_CHECK {\n            connect_timeout 1\n        }\n")
                        .append("    }\n");
            }
            s.append("}\n");
        }
        return s.toString();
    }

}
