package io.tandem.director.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.config.ConfigLoader;
import io.tandem.core.config.model.KeepalivedConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which VRRP instances a reload keeps, restarts, adds and removes, between two parsed files. */
class VrrpChangesTest {
    @TempDir
    Path dir;
    private int files;

    private VrrpPart part(String text) throws IOException {
        Path file = dir.resolve("keepalived-" + files++ + ".conf");
        Files.writeString(file, text);
        ConfigLoader.Result result = ConfigLoader.load(file, "test");
        assertThat(result.hasErrors()).as("diagnostics: %s", result.diagnostics()).isFalse();
        KeepalivedConfig config = result.config().orElseThrow();
        return VrrpPart.of(config, (name, ipv6) -> Optional.of(InetAddress.ofLiteral("10.0.0.2")));
    }

    private static String instance(String name, int vrid, int priority, String extra) {
        return """
                vrrp_instance %s {
                    interface eth0
                    virtual_router_id %d
                    priority %d
                    virtual_ipaddress {
                        10.0.0.%d
                    }
                %s}
                """.formatted(name, vrid, priority, vrid, extra);
    }

    private static String script(int interval) {
        return """
                vrrp_script chk {
                    script /usr/local/bin/chk
                    interval %d
                }
                """.formatted(interval);
    }

    private static final String GROUP = """
            vrrp_sync_group G {
                group {
                    VI_2
                    VI_3
                }
            }
            """;

    private static final String TRACK_CHK = "    track_script {\n        chk\n    }\n";

    /** The base file: VI_1 tracks the script, VI_2 and VI_3 are a sync group, VI_4 stands alone. */
    private static String base() {
        return script(1) + GROUP + instance("VI_1", 51, 100, TRACK_CHK) + instance("VI_2", 52, 100, "")
                + instance("VI_3", 53, 100, "") + instance("VI_4", 54, 100, "");
    }

    @Test
    void theSameInstancesOnOtherLinesWithAVirtualServerAddedAreAllKept() throws IOException {
        String moved = "# a comment\n\n" + base() + """
                virtual_server 10.0.0.100 80 {
                    real_server 10.0.0.11 80 {
                    }
                }
                """;
        VrrpChanges changes = VrrpChanges.of(part(base()), part(moved));
        assertThat(changes.kept()).containsExactly("VI_1", "VI_2", "VI_3", "VI_4");
        assertThat(changes.none()).isTrue();
        assertThat(changes.summary()).isEqualTo("vrrp: kept [VI_1, VI_2, VI_3, VI_4]");
    }

    @Test
    void aChangedInstanceRestartsAlone() throws IOException {
        String next = script(1) + GROUP + instance("VI_1", 51, 110, TRACK_CHK) + instance("VI_2", 52, 100, "")
                + instance("VI_3", 53, 100, "") + instance("VI_4", 54, 100, "");
        VrrpChanges changes = VrrpChanges.of(part(base()), part(next));
        assertThat(changes.restarted()).containsExactly("VI_1");
        assertThat(changes.kept()).containsExactly("VI_2", "VI_3", "VI_4");
        assertThat(changes.added()).isEmpty();
        assertThat(changes.removed()).isEmpty();
    }

    @Test
    void aChangedMemberRestartsItsWholeSyncGroup() throws IOException {
        String next = script(1) + GROUP + instance("VI_1", 51, 100, TRACK_CHK) + instance("VI_2", 52, 100, "")
                + instance("VI_3", 53, 100, "    advert_int 2\n") + instance("VI_4", 54, 100, "");
        VrrpChanges changes = VrrpChanges.of(part(base()), part(next));
        assertThat(changes.restarted()).containsExactly("VI_2", "VI_3");
        assertThat(changes.kept()).containsExactly("VI_1", "VI_4");
    }

    @Test
    void aChangedScriptRestartsTheInstancesThatTrackIt() throws IOException {
        String next = script(2) + GROUP + instance("VI_1", 51, 100, TRACK_CHK) + instance("VI_2", 52, 100, "")
                + instance("VI_3", 53, 100, "") + instance("VI_4", 54, 100, "");
        VrrpChanges changes = VrrpChanges.of(part(base()), part(next));
        assertThat(changes.restarted()).containsExactly("VI_1");
        assertThat(changes.kept()).containsExactly("VI_2", "VI_3", "VI_4");
    }

    @Test
    void joiningASyncGroupRestartsTheGroupAndTheNewcomer() throws IOException {
        String group = GROUP.replace("VI_3\n", "VI_3\n        VI_4\n");
        String next = script(1) + group + instance("VI_1", 51, 100, TRACK_CHK) + instance("VI_2", 52, 100, "")
                + instance("VI_3", 53, 100, "") + instance("VI_4", 54, 100, "");
        VrrpChanges changes = VrrpChanges.of(part(base()), part(next));
        assertThat(changes.restarted()).containsExactly("VI_2", "VI_3", "VI_4");
        assertThat(changes.kept()).containsExactly("VI_1");
    }

    @Test
    void addedAndRemovedInstances() throws IOException {
        String next = script(1) + GROUP + instance("VI_1", 51, 100, TRACK_CHK) + instance("VI_2", 52, 100, "")
                + instance("VI_3", 53, 100, "") + instance("VI_5", 55, 100, "");
        VrrpChanges changes = VrrpChanges.of(part(base()), part(next));
        assertThat(changes.added()).containsExactly("VI_5");
        assertThat(changes.removed()).containsExactly("VI_4");
        assertThat(changes.kept()).containsExactly("VI_1", "VI_2", "VI_3");
        assertThat(changes.summary()).isEqualTo("vrrp: kept [VI_1, VI_2, VI_3], added [VI_5], removed [VI_4]");
    }

    @Test
    void newNotifyScriptsKeepTheInstances() throws IOException {
        String next = script(1) + GROUP + instance("VI_1", 51, 100, TRACK_CHK) + instance("VI_2", 52, 100, "")
                + instance("VI_3", 53, 100, "") + instance("VI_4", 54, 100, "    notify_master /bin/true\n");
        VrrpChanges changes = VrrpChanges.of(part(base()), part(next));
        assertThat(changes.kept()).containsExactly("VI_1", "VI_2", "VI_3", "VI_4");
        assertThat(changes.notificationsChanged()).isTrue();
        assertThat(changes.none()).isFalse();
    }
}
