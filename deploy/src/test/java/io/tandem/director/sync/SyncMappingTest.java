package io.tandem.director.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.config.ConfigLoader;
import io.tandem.core.config.model.KeepalivedConfig;
import io.tandem.forwarder.sync.SyncOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncMappingTest {
    @TempDir
    Path dir;

    private KeepalivedConfig load(String text) throws IOException {
        Path file = dir.resolve("keepalived.conf");
        Files.writeString(file, text);
        ConfigLoader.Result result = ConfigLoader.load(file, "test");
        assertThat(result.hasErrors()).as(result.diagnostics().toString()).isFalse();
        return result.config().orElseThrow();
    }

    private static final String INSTANCE = """
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                priority 100
                virtual_ipaddress {
                    10.77.0.100/32
                }
            }
            """;

    @Test
    void keepalivedsKeywordTakesTheInstancesVridAsSyncIdAndIpvsDefaults() throws IOException {
        SyncOptions o = SyncMapping.options(load("global_defs {\n    lvs_sync_daemon eth1 inst VI_1\n}\n" + INSTANCE))
                .orElseThrow();
        assertThat(o.interfaceName()).contains("eth1");
        assertThat(o.syncId()).isEqualTo(51);
        assertThat(o.port()).isEqualTo(8848);
        assertThat(o.group()).isEqualTo(InetAddress.ofLiteral("224.0.0.81"));
        assertThat(o.ttl()).isEqualTo(1);
        assertThat(o.maxLength()).isEqualTo(1472);
        assertThat(o.unicastPeers()).isEmpty();
        assertThat(o.keyConfigured()).isFalse();
        assertThat(o.key()).isEqualTo(SyncOptions.derivedKey(51));
    }

    @Test
    void keepalivedsOptionsAreHonoured() throws IOException {
        SyncOptions o = SyncMapping.options(load("global_defs {\n    lvs_sync_daemon eth0 inst VI_1 id 9 maxlen 1200"
                + " port 8849 ttl 2 group 224.0.0.82\n}\n" + INSTANCE)).orElseThrow();
        assertThat(o.syncId()).isEqualTo(9);
        assertThat(o.maxLength()).isEqualTo(1200);
        assertThat(o.port()).isEqualTo(8849);
        assertThat(o.ttl()).isEqualTo(2);
        assertThat(o.group()).isEqualTo(InetAddress.ofLiteral("224.0.0.82"));
    }

    @Test
    void theSyncDaemonBlockNamesUnicastPeersAndAKeyFile() throws IOException {
        Path key = dir.resolve("sync.key");
        Files.writeString(key, "00112233445566778899aabbccddeeff\n00112233445566778899aabbccddeeff\n");
        SyncOptions o = SyncMapping.options(load(INSTANCE + """
                sync_daemon {
                    inst VI_1
                    unicast_src_ip 10.77.0.2
                    unicast_peer {
                        10.77.0.3
                    }
                    key_file %s
                }
                """.formatted(key))).orElseThrow();
        assertThat(o.unicastPeers()).containsExactly(InetAddress.ofLiteral("10.77.0.3"));
        assertThat(o.unicastSource()).contains(InetAddress.ofLiteral("10.77.0.2"));
        assertThat(o.syncId()).isEqualTo(51);
        assertThat(o.keyConfigured()).isTrue();
        assertThat(o.key()).isEqualTo(HexFormat.of().parseHex(
                "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"));
    }

    @Test
    void noSyncConfiguredMeansNone() throws IOException {
        assertThat(SyncMapping.options(load(INSTANCE))).isEmpty();
    }
}
