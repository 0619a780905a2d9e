package io.tandem.director.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.lab.Lab;
import io.tandem.core.lab.LabAddresses;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.LabOptions;
import io.tandem.core.lab.LabProcess;
import io.tandem.core.lab.LabTest;
import io.tandem.director.lab.SequenceEchoServer;
import io.tandem.director.lab.SequenceStreams;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 7's acceptance, per forwarding mode: two real {@code tandem run}
 * processes with connection sync; 200 long-lived TCP streams of
 * sequence-numbered counters through the VIP, opened while only director-a
 * runs, so director-b gets them by bulk resync when it starts; then the
 * master's link is cut (failover to director-b) and given back (director-a
 * preempts after preempt_delay). Every stream must go on with no reset and
 * no lost or duplicated byte (the real servers and the client check every
 * counter), and no stream may stall longer than the takeover plus the
 * client's next retransmission (1.5 s with 100 ms adverts).
 */
@LabTest
public class ConnectionSyncLabTest {
    private static final int STREAMS = 200;
    private static final int PORT = 9000;
    private static final long STALL_LIMIT_MS = 1500;
    private static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"([A-Z]+)\"");
    /** VI_1's state as the VRRP engine reports it (the director says BACKUP before VRRP has even started). */
    private static final Pattern VRRP_STATE = Pattern.compile("\"VI_1\"\\s*:\\s*\"([A-Z]+)\"");
    private static final Pattern RESYNCS = Pattern.compile("\"resyncs_completed\"\\s*:\\s*(\\d+)");
    private static final Pattern CONNECTIONS = Pattern.compile("\"connections\"\\s*:\\s*(\\d+)");
    private static final Pattern RESYNC_ENTRIES = Pattern.compile("\"last_resync_entries\"\\s*:\\s*(\\d+)");

    @TempDir
    Path work;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"NAT", "FULLNAT", "DR"})
    void establishedConnectionsSurviveFailoverAndFailback(String mode) throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        List<SequenceEchoServer> servers = new ArrayList<>();
        LabProcess a = null;
        LabProcess b = null;
        try (Lab lab = Lab.create(LabOptions.defaults().withRealServers(2))) {
            try {
                for (int i = 1; i <= 2; i++) {
                    LabHost rs = lab.realServer(i);
                    prepareRealServer(rs, mode);
                    SequenceEchoServer server = rs.call(() -> new SequenceEchoServer(PORT));
                    servers.add(server);
                    open.add(server);
                }
                Path key = work.resolve("sync.key");
                Files.writeString(key, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n");
                a = startDirector(lab.directorA(), mode, 150, key);
                open.add(a::stop);
                await(lab.directorA(), "MASTER");

                // an eavesdropper on the LAN (the router) keeps the sync messages it hears, to replay them later
                SyncEavesdropper eavesdropper = lab.router().call(() -> new SyncEavesdropper(
                        java.net.InetAddress.ofLiteral(LabAddresses.ROUTER_LAN)));
                open.add(eavesdropper);
                SequenceStreams streams = lab.client().call(() -> new SequenceStreams(
                        new InetSocketAddress(LabAddresses.VIP, PORT), STREAMS, 20_000_000L));
                open.add(streams);
                Thread.sleep(1000);
                assertThat(streams.errors()).as("before any failover").isEmpty();

                // the standby starts after the connections were opened: it gets them by bulk resync
                b = startDirector(lab.directorB(), mode, 100, key);
                open.add(b::stop);
                awaitVrrp(lab.directorB(), "BACKUP");
                awaitStatus(lab.directorB(), "a bulk resync with every stream", s -> number(RESYNCS, s) >= 1
                        && number(RESYNC_ENTRIES, s) >= STREAMS);
                Thread.sleep(500);

                streams.resetGaps();
                lab.setBridgePortUp(lab.directorA().iface(), false);
                await(lab.directorB(), "MASTER");
                Thread.sleep(3000);
                long failoverWorst = streams.longestGapMillis();
                String failoverWindow = window(streams, failoverWorst);
                long failoverMedian = streams.medianGapMillis();
                List<String> afterFailover = streams.errors();

                streams.resetGaps();
                lab.setBridgePortUp(lab.directorA().iface(), true);
                await(lab.directorA(), "MASTER"); // preempt_delay 5 s
                await(lab.directorB(), "BACKUP");
                Thread.sleep(3000);
                long failbackWorst = streams.longestGapMillis();
                String failbackWindow = window(streams, failbackWorst);
                long failbackMedian = streams.medianGapMillis();

                // hostile messages to the standby: a replay of the master's latest, a replay from the
                // old epoch (director-b's own time as master), and a tampered copy; none changes its table
                // director-b, master until the failback, answered director-a's resync request in its epoch
                byte[] fromB = eavesdropper.latestFrom(LabAddresses.DIRECTOR_B);
                assertThat(fromB).as("director-b's messages while master, heard on the LAN").isNotNull();
                byte[] fromA = eavesdropper.latestFrom(LabAddresses.DIRECTOR_A);
                assertThat(fromA).as("director-a's messages after the failback").isNotNull();
                String before = status(lab.directorB());
                long connectionsBefore = number(CONNECTIONS, before);
                byte[] tampered = fromA.clone();
                tampered[40] ^= 0x01; // inside the first entry
                lab.router().call(() -> {
                    SyncEavesdropper.send(LabAddresses.DIRECTOR_B, fromA);
                    SyncEavesdropper.send(LabAddresses.DIRECTOR_B, fromB);
                    SyncEavesdropper.send(LabAddresses.DIRECTOR_B, tampered);
                    return null;
                });
                awaitStatus(lab.directorB(), "the three hostile messages counted",
                        s -> number(dropped("replayed"), s) > number(dropped("replayed"), before)
                                && number(dropped("stale_epoch"), s) > number(dropped("stale_epoch"), before)
                                && number(dropped("bad_hmac"), s) > number(dropped("bad_hmac"), before));
                assertThat(number(CONNECTIONS, status(lab.directorB()))).as("standby's table after hostile messages")
                        .isEqualTo(connectionsBefore);

                streams.stopSending();
                long end = System.nanoTime() + 5_000_000_000L;
                while (!streams.drained() && System.nanoTime() < end) {
                    Thread.sleep(20);
                }
                System.out.printf("%s: %d streams, %d counters echoed; failover stall median %d ms, worst %d ms;"
                        + " failback stall median %d ms, worst %d ms%n", mode, streams.size(),
                        streams.countersEchoed(), failoverMedian, failoverWorst, failbackMedian, failbackWorst);
                String logs = logs(a, b);
                if (failoverWorst >= STALL_LIMIT_MS || failbackWorst >= STALL_LIMIT_MS) {
                    System.out.printf("%s: worst failover stall %s, worst failback stall %s%n%s%n"
                            + "director-a /status counters: %s%ndirector-b /status counters: %s%n", mode,
                            failoverWindow, failbackWindow, logs, counters(status(lab.directorA())),
                            counters(status(lab.directorB())));
                }
                assertThat(afterFailover).as("streams broken by the failover%n%s", logs).isEmpty();
                assertThat(streams.errors()).as("streams broken by the failback%n%s", logs).isEmpty();
                assertThat(streams.drained()).as("every counter echoed").isTrue();
                long mismatches = servers.stream().mapToLong(s -> s.mismatches.get()).sum();
                long resets = servers.stream().mapToLong(s -> s.resets.get()).sum();
                long served = servers.stream().mapToLong(s -> s.streams.get()).sum();
                assertThat(mismatches).as("real servers saw a lost or duplicated byte").isZero();
                assertThat(resets).as("real servers saw a reset").isZero();
                assertThat(served).as("each stream reached one real server once").isEqualTo(STREAMS);
                assertThat(servers).as("both real servers used").allMatch(s -> s.streams.get() > 0);
                assertThat(failoverWorst).as("failover stall (ms)").isLessThan(STALL_LIMIT_MS);
                assertThat(failbackWorst).as("failback stall (ms)").isLessThan(STALL_LIMIT_MS);
            } finally {
                for (AutoCloseable c : open.reversed()) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        // keep closing the rest; the lab removes the namespaces
                    }
                }
            }
        }
    }

    private static void prepareRealServer(LabHost rs, String mode) throws IOException {
        switch (mode) {
            // NAT: replies go back through the floating gateway address that the master holds
            case "NAT" -> rs.exec("ip", "route", "replace", LabAddresses.EXTERNAL_NETWORK, "via",
                    LabAddresses.NAT_GATEWAY_VIP).orThrow();
            // DR: the VIP on loopback, not answered for in ARP (the seeds' arp_ignore / arp_announce)
            case "DR" -> {
                rs.exec("sysctl", "-qw", "net.ipv4.conf.all.arp_ignore=1").orThrow();
                rs.exec("sysctl", "-qw", "net.ipv4.conf.all.arp_announce=2").orThrow();
                rs.exec("ip", "addr", "add", LabAddresses.VIP + "/32", "dev", "lo").orThrow();
            }
            default -> {
                // FULLNAT: replies go to the director's local addresses, on the LAN
            }
        }
    }

    static String config(String mode, int priority, Path key) {
        StringBuilder vips = new StringBuilder();
        vips.append("        ").append(LabAddresses.VIP).append("/32\n");
        vips.append("        ").append(LabAddresses.NAT_GATEWAY_VIP).append("/32\n");
        StringBuilder locals = new StringBuilder();
        for (int i = 0; i < LabAddresses.FULLNAT_LOCAL_COUNT; i++) {
            vips.append("        ").append(LabAddresses.fullnatLocal(i)).append("/32\n");
            locals.append("    ").append(LabAddresses.fullnatLocal(i)).append('\n');
        }
        // NAT and DR use keepalived's own keyword; FULLNAT Tandem's block with a key file
        String sync = mode.equals("FULLNAT")
                ? "sync_daemon {\n    interface eth0\n    inst VI_1\n    key_file " + key + "\n}\n"
                : "";
        String globalSync = mode.equals("FULLNAT") ? "" : "    lvs_sync_daemon eth0 inst VI_1\n";
        String kind = mode.equals("FULLNAT") ? "FNAT\n    local_address_group lag" : mode;
        return """
                global_defs {
                    router_id %s
                %s}
                %slocal_address_group lag {
                %s}
                vrrp_instance VI_1 {
                    state BACKUP
                    interface eth0
                    virtual_router_id 51
                    priority %d
                    version 3
                    advert_int 0.1
                    preempt_delay 5
                    garp_master_delay 1
                    virtual_ipaddress {
                %s    }
                }
                virtual_server %s %d {
                    delay_loop 1
                    lb_algo rr
                    lb_kind %s
                    protocol TCP
                    real_server %s %d {
                        TCP_CHECK {
                            connect_timeout 1
                        }
                    }
                    real_server %s %d {
                        TCP_CHECK {
                            connect_timeout 1
                        }
                    }
                }
                """.formatted(priority == 150 ? "director_a" : "director_b", globalSync, sync, locals, priority,
                vips, LabAddresses.VIP, PORT, kind, LabAddresses.realServer(1), PORT, LabAddresses.realServer(2),
                PORT);
    }

    private LabProcess startDirector(LabHost host, String mode, int priority, Path key) throws IOException {
        host.exec("sysctl", "-qw", "net.ipv4.ip_forward=0").orThrow();
        Path conf = work.resolve(host.name() + ".conf");
        Files.writeString(conf, config(mode, priority, key));
        List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.tandem.director.Main", "run", "-f", conf.toString()));
        return host.start(argv, work.resolve(host.name() + ".log"));
    }

    private static String logs(LabProcess... processes) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (LabProcess p : processes) {
            if (p == null) {
                continue;
            }
            sb.append("--- ").append(p.logFile().getFileName()).append('\n');
            Files.readAllLines(p.logFile()).stream()
                    .filter(l -> l.contains(" -> ") || l.contains("sync") || l.contains("WARN") || l.contains("forwarder")
                            || l.contains("added ") || l.contains("removed ")
                            || l.contains("ERROR"))
                    .forEach(l -> sb.append(l).append('\n'));
        }
        return sb.toString();
    }

    private static String window(SequenceStreams streams, long worstMillis) {
        java.time.LocalTime end = java.time.LocalTime.ofInstant(
                java.time.Instant.ofEpochMilli(streams.worstGapEndEpochMillis()), java.time.ZoneId.systemDefault());
        return worstMillis + " ms, from " + end.minusNanos(worstMillis * 1_000_000L) + " to " + end;
    }

    /** The /status document without its connection list. */
    private static String counters(String status) {
        int at = status.indexOf("\"counters\"");
        return at < 0 ? status : status.substring(at);
    }

    private static Pattern dropped(String reason) {
        return Pattern.compile("\"" + reason + "\"\\s*:\\s*(\\d+)");
    }

    private static long number(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static void await(LabHost host, String state) throws Exception {
        awaitStatus(host, "state " + state, s -> {
            Matcher m = STATE.matcher(s);
            return m.find() && m.group(1).equals(state);
        });
    }

    private static void awaitVrrp(LabHost host, String state) throws Exception {
        awaitStatus(host, "VRRP state " + state, s -> {
            Matcher m = VRRP_STATE.matcher(s);
            return m.find() && m.group(1).equals(state);
        });
    }

    private static void awaitStatus(LabHost host, String what, Predicate<String> condition) throws Exception {
        long end = System.nanoTime() + 20_000_000_000L;
        String last = "";
        while (System.nanoTime() < end) {
            last = status(host);
            if (condition.test(last)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(host.name() + ": no " + what + " within 20 s; last /status: " + last);
    }

    public static String status(LabHost host) throws Exception {
        return host.call(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", 9165), 1000);
                s.setSoTimeout(2000);
                s.getOutputStream().write("GET /status HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }
}
