package io.tandem.director.sync;

import static io.tandem.director.sync.TandemRun.awaitState;
import static io.tandem.director.sync.TandemRun.awaitStatus;
import static io.tandem.director.sync.TandemRun.number;
import static io.tandem.director.sync.TandemRun.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.lab.Lab;
import io.tandem.core.lab.LabAddresses;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.LabOptions;
import io.tandem.core.lab.LabProcess;
import io.tandem.core.lab.LabTest;
import io.tandem.director.lab.SequenceEchoServer;
import io.tandem.director.lab.SequenceStreams;
import io.tandem.director.run.RealServerSetups;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * client's next retransmission (1.5 s with 100 ms adverts). TUN's real
 * servers run {@code tandem realserver --mode tun}, decapsulating in user
 * space (this kernel has no ipip module) whichever director tunnels to them.
 */
@LabTest
public class ConnectionSyncLabTest {
    private static final int STREAMS = 200;
    private static final int PORT = 9000;
    private static final long STALL_LIMIT_MS = 1500;
    private static final Pattern RESYNCS = Pattern.compile("\"resyncs_completed\"\\s*:\\s*(\\d+)");
    private static final Pattern RESYNC_ENTRIES = Pattern.compile("\"last_resync_entries\"\\s*:\\s*(\\d+)");
    private static final Pattern SYNC_WORKERS = Pattern.compile("\"workers\"\\s*:\\s*(\\d+)");
    private static final Pattern OWNER_MISMATCH = Pattern.compile("\"owner_mismatch\"\\s*:\\s*(\\d+)");

    @TempDir
    Path work;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"NAT", "FULLNAT", "DR", "TUN"})
    void establishedConnectionsSurviveFailoverAndFailback(String mode) throws Exception {
        run(mode, 1);
    }

    /**
     * The same with two forwarding workers on each director ({@code forwarder_workers 2}): each director's
     * workers own their flows by the fanout key, and the standby's daemon hands every synced entry to the worker
     * that owns it (FULLNAT: the worker whose slice holds its local port, the same as its client port's).
     */
    @ParameterizedTest(name = "{0}, 2 workers")
    @ValueSource(strings = {"NAT", "FULLNAT"})
    void establishedConnectionsSurviveFailoverAndFailbackWithTwoWorkers(String mode) throws Exception {
        run(mode, 2);
    }

    private void run(String mode, int workers) throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        List<SequenceEchoServer> servers = new ArrayList<>();
        LabProcess a = null;
        LabProcess b = null;
        try (Lab lab = Lab.create(LabOptions.defaults().withRealServers(2))) {
            try {
                for (int i = 1; i <= 2; i++) {
                    LabHost rs = lab.realServer(i);
                    prepareRealServer(rs, mode, open);
                    SequenceEchoServer server = rs.call(() -> new SequenceEchoServer(PORT));
                    servers.add(server);
                    open.add(server);
                }
                Path key = work.resolve("sync.key");
                Files.writeString(key, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n");
                a = startDirector(lab.directorA(), mode, 150, key, workers);
                open.add(a::stop);
                awaitState(lab.directorA(), "MASTER");

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
                b = startDirector(lab.directorB(), mode, 100, key, workers);
                open.add(b::stop);
                TandemRun.awaitVrrp(lab.directorB(), "VI_1", "BACKUP");
                awaitStatus(lab.directorB(), "a bulk resync with every stream", s -> number(RESYNCS, s) >= 1
                        && number(RESYNC_ENTRIES, s) >= STREAMS);
                Thread.sleep(500);
                String resynced = status(lab.directorB());
                assertThat(number(SYNC_WORKERS, resynced)).as("director-b's forwarding workers").isEqualTo(workers);
                assertThat(number(OWNER_MISMATCH, resynced)).as("FULLNAT entries with two owners").isZero();

                streams.resetGaps();
                lab.setBridgePortUp(lab.directorA().iface(), false);
                awaitState(lab.directorB(), "MASTER");
                Thread.sleep(3000);
                long failoverWorst = streams.longestGapMillis();
                String failoverWindow = window(streams, failoverWorst);
                long failoverMedian = streams.medianGapMillis();
                List<String> afterFailover = streams.errors();

                streams.resetGaps();
                lab.setBridgePortUp(lab.directorA().iface(), true);
                awaitState(lab.directorA(), "MASTER"); // preempt_delay 5 s
                awaitState(lab.directorB(), "BACKUP");
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
                long connectionsBefore = number(TandemRun.CONNECTIONS, before);
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
                assertThat(number(TandemRun.CONNECTIONS, status(lab.directorB()))).as("standby's table after hostile messages")
                        .isEqualTo(connectionsBefore);

                streams.stopSending();
                long end = System.nanoTime() + 5_000_000_000L;
                while (!streams.drained() && System.nanoTime() < end) {
                    Thread.sleep(20);
                }
                System.out.printf("%s, %d worker(s): %d streams, %d counters echoed; failover stall median %d ms, worst %d ms;"
                        + " failback stall median %d ms, worst %d ms%n", mode, workers, streams.size(),
                        streams.countersEchoed(), failoverMedian, failoverWorst, failbackMedian, failbackWorst);
                String logs = TandemRun.logs(a, b);
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
                TandemRun.closeAll(open);
            }
        }
    }

    private void prepareRealServer(LabHost rs, String mode, List<AutoCloseable> open) throws Exception {
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
            // TUN: tandem realserver puts the VIP on loopback and decapsulates IP in IP in user space
            // (this kernel has no ipip module); both directors are accepted as tunnel sources
            case "TUN" -> {
                LabProcess setup = RealServerSetups.start(rs, mode, work.resolve(rs.name() + "-realserver.log"), 5);
                open.add(setup::stop);
                RealServerSetups.awaitReady(rs, setup);
            }
            default -> {
                // FULLNAT: replies go to the director's local addresses, on the LAN
            }
        }
    }

    static String config(String mode, int priority, Path key) {
        return config(mode, priority, key, 1);
    }

    static String config(String mode, int priority, Path key, int workers) {
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
        String globalSync = (mode.equals("FULLNAT") ? "" : "    lvs_sync_daemon eth0 inst VI_1\n")
                + (workers == 1 ? "" : "    forwarder_workers " + workers + "\n");
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

    private LabProcess startDirector(LabHost host, String mode, int priority, Path key, int workers)
            throws IOException {
        host.exec("sysctl", "-qw", "net.ipv4.ip_forward=0").orThrow();
        Path conf = work.resolve(host.name() + ".conf");
        Files.writeString(conf, config(mode, priority, key, workers));
        return TandemRun.start(host, conf, work.resolve(host.name() + ".log"));
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
}
