package io.tandem.director.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.config.ConfigLoader;
import io.tandem.core.config.model.KeepalivedConfig;
import io.tandem.core.lab.Lab;
import io.tandem.core.lab.LabAddresses;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.WithLab;
import io.tandem.director.run.MastershipSource;
import io.tandem.vrrp.VrrpState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A keepalived.conf with a {@code vrrp_script}, {@code notify_master} and {@code notify_fifo}, run
 * by {@link VrrpMastership} (what {@code tandem run} uses) in director-a and director-b: when the
 * master's track script starts failing, it goes to FAULT and the VIP moves to the backup; when the
 * script passes again, the master takes the VIP back (preempt). VRRPv3 at 100 ms.
 */
@WithLab(realServers = 1)
class VrrpTrackScriptLabTest {
    private static final Duration SETTLE = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private VrrpMastership a;
    private VrrpMastership b;

    @AfterEach
    void stop(Lab lab) throws Exception {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        assertThat(holdsVip(lab.directorA()) || holdsVip(lab.directorB())).as("VIP left after close").isFalse();
    }

    private String conf(String name, int priority, Path code) throws IOException {
        Path script = dir.resolve(name + "-check.sh");
        Files.writeString(script, "#!/bin/sh\nexit \"$(cat " + code + ")\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Path notify = dir.resolve(name + "-notify.sh");
        Files.writeString(notify, "#!/bin/sh\necho \"$*\" >> " + dir.resolve(name + "-notify.log") + "\n");
        Files.setPosixFilePermissions(notify, PosixFilePermissions.fromString("rwx------"));
        return """
                global_defs {
                    notify_fifo %s
                }
                vrrp_script chk_service {
                    script "%s"
                    interval 0.1
                    timeout 1
                    fall 2
                    rise 2
                }
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    priority %d
                    advert_int 0.1
                    version 3
                    virtual_ipaddress {
                        %s/24
                    }
                    track_script {
                        chk_service
                    }
                    notify "%s"
                }
                """.formatted(dir.resolve(name + ".fifo"), script, priority, LabAddresses.VIP, notify);
    }

    private VrrpMastership start(LabHost host, String conf) throws Exception {
        Path file = dir.resolve(host.name() + ".conf");
        Files.writeString(file, conf.replace("interface eth0", "interface " + host.interfaceName()));
        ConfigLoader.Result result = ConfigLoader.load(file, "test");
        assertThat(result.hasErrors()).as("diagnostics: %s", result.diagnostics()).isFalse();
        KeepalivedConfig config = result.config().orElseThrow();
        VrrpMastership m = new VrrpMastership(config);
        host.call((Callable<Void>) () -> {
            m.start(new MastershipSource.Listener() {
                @Override
                public void becameMaster() {
                }

                @Override
                public void becameBackup() {
                }
            });
            return null;
        });
        return m;
    }

    private static boolean holdsVip(LabHost host) throws IOException {
        String out = host.exec("ip", "-o", "-4", "addr", "show", "dev", host.interfaceName()).orThrow().stdout();
        return out.contains(" " + LabAddresses.VIP + "/");
    }

    private static boolean await(Callable<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.call()) {
                    return true;
                }
            } catch (Exception e) {
                // not yet
            }
            Thread.sleep(10);
        }
        return false;
    }

    @Test
    void aFailingTrackScriptOnTheMasterMovesTheVipAndItsRecoveryBringsItBack(Lab lab) throws Exception {
        Path codeA = dir.resolve("a.code");
        Path codeB = dir.resolve("b.code");
        Files.writeString(codeA, "0\n");
        Files.writeString(codeB, "0\n");
        a = start(lab.directorA(), conf("a", 150, codeA));
        b = start(lab.directorB(), conf("b", 100, codeB));
        assertThat(await(() -> a.states().get("VI_1") == VrrpState.MASTER && b.states().get("VI_1") == VrrpState.BACKUP
                && holdsVip(lab.directorA()))).as("A master with the VIP, B backup").isTrue();
        assertThat(lab.client().ping(LabAddresses.VIP, Duration.ofSeconds(2))).isTrue();

        Files.writeString(codeA, "1\n"); // A's service fails
        long t0 = System.nanoTime();
        assertThat(await(() -> a.states().get("VI_1") == VrrpState.FAULT && !holdsVip(lab.directorA())))
                .as("A in FAULT, VIP released").isTrue();
        assertThat(await(() -> b.states().get("VI_1") == VrrpState.MASTER && holdsVip(lab.directorB())))
                .as("B master with the VIP").isTrue();
        System.out.printf("VIP moved %d ms after the track script started failing (2 x 100 ms + Skew_Time)%n",
                (System.nanoTime() - t0) / 1_000_000);
        assertThat(lab.client().ping(LabAddresses.VIP, Duration.ofSeconds(2))).isTrue();

        Files.writeString(codeA, "0\n");
        assertThat(await(() -> a.states().get("VI_1") == VrrpState.MASTER && b.states().get("VI_1") == VrrpState.BACKUP
                && holdsVip(lab.directorA()) && !holdsVip(lab.directorB()))).as("A back, preempting").isTrue();

        Path logA = dir.resolve("a-notify.log");
        assertThat(await(() -> Files.readAllLines(logA).size() >= 4)).isTrue();
        assertThat(Files.readAllLines(logA)).startsWith("INSTANCE VI_1 BACKUP 150", "INSTANCE VI_1 MASTER 150",
                "INSTANCE VI_1 FAULT 150", "INSTANCE VI_1 BACKUP 150");
        assertThat(Files.readAllLines(dir.resolve("b-notify.log"))).containsSubsequence("INSTANCE VI_1 MASTER 100",
                "INSTANCE VI_1 BACKUP 100");
    }
}
