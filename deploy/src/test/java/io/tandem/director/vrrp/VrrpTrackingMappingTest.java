package io.tandem.director.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.tandem.core.config.ConfigLoader;
import io.tandem.core.config.model.KeepalivedConfig;
import io.tandem.core.process.ProcessOutcome;
import io.tandem.vrrp.VrrpCoordination;
import io.tandem.vrrp.VrrpInstanceConfig;
import io.tandem.vrrp.VrrpTracker;
import io.tandem.vrrp.VrrpTracker.Kind;
import io.tandem.vrrp.notify.NotifyCommand;
import io.tandem.vrrp.notify.NotifyConfig;
import io.tandem.vrrp.notify.VrrpNotifier;
import io.tandem.vrrp.track.SyncGroupConfig;
import io.tandem.vrrp.track.VrrpScriptConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vrrp_script, track_file, vrrp_sync_group and notify lines as the VRRP engine receives them. */
class VrrpTrackingMappingTest {
    @TempDir
    Path dir;

    private Path file;

    private KeepalivedConfig parse(String text) throws IOException {
        file = dir.resolve("keepalived.conf");
        Files.writeString(file, text);
        ConfigLoader.Result result = ConfigLoader.load(file, "test");
        assertThat(result.hasErrors()).as("diagnostics: %s", result.diagnostics()).isFalse();
        return result.config().orElseThrow();
    }

    private static VrrpConfigMapping.InterfaceAddresses anyAddress() {
        return (name, ipv6) -> Optional.of(InetAddress.ofLiteral("10.0.0.2"));
    }

    private static final String SCRIPTS = """
            global_defs {
                script_user nobody
                notify_fifo /run/tandem-test.fifo
            }
            vrrp_script chk_nginx {
                script "/usr/local/bin/check nginx"
                interval 0.5
                timeout 2
                weight -20
                rise 2
                fall 3
            }
            vrrp_script chk_gw {
                script /usr/local/bin/check_gw
                user root
                init_fail
            }
            track_file prio {
                file /run/prio
                weight 5
                init_file 1
            }
            """;

    @Test
    void instanceTrackersTakeTheirWeightsFromTheLineElseTheBlock() throws IOException {
        KeepalivedConfig config = parse(SCRIPTS + """
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    virtual_ipaddress {
                        10.0.0.100
                    }
                    track_interface {
                        eth1 weight 10 reverse
                    }
                    track_script {
                        chk_nginx
                        chk_gw weight 30 reverse
                    }
                    track_file {
                        prio
                    }
                    notify_master "/bin/echo master"
                    notify /usr/local/bin/notify
                }
                """);
        VrrpInstanceConfig c = new VrrpConfigMapping(config, anyAddress()).map(config.vrrpInstances().getFirst());
        assertThat(c.trackers()).containsExactly(new VrrpTracker("interface eth0", 0),
                new VrrpTracker("interface eth1", 10, true, Kind.STATUS),
                new VrrpTracker("script chk_nginx", -20, false, Kind.STATUS),
                new VrrpTracker("script chk_gw", 30, true, Kind.STATUS),
                new VrrpTracker("file prio", 5, false, Kind.VALUE));

        VrrpTrackingMapping tracking = new VrrpTrackingMapping(config);
        VrrpCoordination coordination = tracking.coordination((argv, user, timeout) ->
                CompletableFuture.completedFuture(new ProcessOutcome.Exited(0)));
        assertThat(coordination.scripts()).containsExactly(
                new VrrpScriptConfig("chk_nginx", List.of("/usr/local/bin/check", "nginx"), Optional.of("nobody"),
                        Duration.ofMillis(500), Duration.ofSeconds(2), 2, 3, false),
                new VrrpScriptConfig("chk_gw", List.of("/usr/local/bin/check_gw"), Optional.of("root"),
                        Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 1, true));
        assertThat(coordination.trackFiles()).singleElement()
                .satisfies(f -> assertThat(f.initValue().getAsLong()).isEqualTo(1));
        assertThat(tracking.instanceNotifies().get("VI_1")).isEqualTo(new NotifyConfig(
                Optional.of(new NotifyCommand(List.of("/bin/echo", "master"), Optional.of("nobody"))),
                Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(new NotifyCommand(List.of("/usr/local/bin/notify"), Optional.of("nobody")))));
        assertThat(tracking.fifos()).containsExactly(Path.of("/run/tandem-test.fifo"));
    }

    @Test
    void syncGroupTrackersApplyToEveryMemberAndWeightedOnesAreIgnoredWithoutTrackingWeight() throws IOException {
        KeepalivedConfig config = parse(SCRIPTS + """
                vrrp_sync_group G1 {
                    group {
                        VI_A
                        VI_B
                    }
                    track_script {
                        chk_gw
                    }
                    notify_fault /bin/group_fault
                }
                vrrp_instance VI_A {
                    interface eth0
                    virtual_router_id 51
                    virtual_ipaddress {
                        10.0.0.100
                    }
                    track_script {
                        chk_nginx
                    }
                }
                vrrp_instance VI_B {
                    interface eth0
                    virtual_router_id 52
                    virtual_ipaddress {
                        10.0.0.101
                    }
                }
                """);
        VrrpConfigMapping mapping = new VrrpConfigMapping(config, anyAddress());
        // chk_nginx has weight -20: ignored in a sync group, as keepalived does
        assertThat(mapping.map(config.vrrpInstances().get(0)).trackers()).containsExactly(
                new VrrpTracker("interface eth0", 0), new VrrpTracker("script chk_gw", 0));
        assertThat(mapping.map(config.vrrpInstances().get(1)).trackers()).containsExactly(
                new VrrpTracker("interface eth0", 0), new VrrpTracker("script chk_gw", 0));
        VrrpTrackingMapping tracking = new VrrpTrackingMapping(config);
        assertThat(tracking.coordination((a, u, t) -> null).syncGroups())
                .containsExactly(new SyncGroupConfig("G1", List.of("VI_A", "VI_B")));
        assertThat(tracking.groupNotifies()).containsExactly(new VrrpNotifier.Group("G1", List.of("VI_A", "VI_B"),
                new NotifyConfig(Optional.empty(), Optional.empty(),
                        Optional.of(new NotifyCommand(List.of("/bin/group_fault"), Optional.of("nobody"))),
                        Optional.empty(), Optional.empty())));
    }

    @Test
    void whatTheEngineCannotRunIsRefusedWithFileAndLine() throws IOException {
        KeepalivedConfig config = parse("""
                vrrp_script chk {
                    script /bin/true
                    user nobody nogroup
                }
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    virtual_ipaddress {
                        10.0.0.100
                    }
                    track_script {
                        chk
                    }
                }
                """);
        assertThatIllegalArgumentException().isThrownBy(() -> VrrpMastership.checkTracking(config))
                .withMessage(file + ":1: vrrp_script chk: /bin/true: running scripts as group nogroup is not"
                        + " supported yet (expected: a user only, whose own group applies)");

        KeepalivedConfig lowerPri = parse("""
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    virtual_ipaddress {
                        10.0.0.100
                    }
                    notify_master_rx_lower_pri /bin/true
                }
                """);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = io.tandem.director.cli.CheckConfigCommandAccess.check(file, new PrintStream(err, true,
                StandardCharsets.UTF_8));
        assertThat(lowerPri.vrrpInstances()).hasSize(1);
        assertThat(status).isEqualTo(5);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(file + ":1: vrrp_instance VI_1:"
                + " notify_master_rx_lower_pri is not supported yet; keepalived would run it when a master hears a"
                + " lower-priority master (expected: no such line)\n");
    }

    @Test
    void trackFileWeightOutsideTheInstanceRangeIsRefused() throws IOException {
        KeepalivedConfig config = parse("""
                track_file big {
                    file /run/big
                    weight 1000
                }
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    virtual_ipaddress {
                        10.0.0.100
                    }
                    track_file {
                        big
                    }
                }
                """);
        assertThatIllegalArgumentException().isThrownBy(() -> VrrpMastership.checkTracking(config))
                .withMessage(file + ":5: vrrp_instance VI_1: track_file big: weight 1000 (from " + file
                        + ":1) is out of range for a vrrp_instance (expected: -254 ~ 254)");
    }
}
