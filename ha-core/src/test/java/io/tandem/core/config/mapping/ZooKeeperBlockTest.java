package io.tandem.core.config.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.config.ConfigFiles;
import io.tandem.core.config.ConfigLoader;
import io.tandem.core.config.Diagnostic;
import io.tandem.core.config.model.ZooKeeper;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tandem's {@code zookeeper} block: values, defaults, and each bad value reported at its line. */
class ZooKeeperBlockTest {
    @TempDir
    Path dir;

    @Test
    void everyKeyword() {
        ConfigLoader.Result r = ConfigFiles.load(dir, """
                zookeeper {
                    connect 10.77.0.1:2181,zk2.example:2182
                    session_timeout 2.5
                    fencing off
                    policy fail-closed
                    path /tandem/pair1
                }
                """);
        assertThat(r.diagnostics()).isEmpty();
        ZooKeeper z = r.config().orElseThrow().zooKeeper().orElseThrow();
        assertThat(z.connect()).isEqualTo("10.77.0.1:2181,zk2.example:2182");
        assertThat(z.sessionTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(z.fencing()).isFalse();
        assertThat(z.policy()).isEqualTo(ZooKeeper.Policy.FAIL_CLOSED);
        assertThat(z.path()).isEqualTo("/tandem/pair1");
    }

    @Test
    void defaultsAreFencedFailOpen() {
        ConfigLoader.Result r = ConfigFiles.load(dir, "zookeeper {\n    connect [::1]:2181\n}\n");
        assertThat(r.diagnostics()).isEmpty();
        ZooKeeper z = r.config().orElseThrow().zooKeeper().orElseThrow();
        assertThat(z.fencing()).isTrue();
        assertThat(z.policy()).isEqualTo(ZooKeeper.Policy.FAIL_OPEN);
        assertThat(z.sessionTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(z.path()).isEqualTo("/tandem");
    }

    @Test
    void noZooKeeperBlockNoZooKeeper() {
        ConfigLoader.Result r = ConfigFiles.load(dir, "global_defs {\n    router_id a\n}\n");
        assertThat(r.config().orElseThrow().zooKeeper()).isEmpty();
    }

    @Test
    void badValuesAtTheirLines() {
        ConfigLoader.Result r = ConfigFiles.load(dir, """
                zookeeper {
                    connect zk1:2181,zk2
                    session_timeout 0.2
                    fencing maybe
                    policy fail-sometimes
                    path tandem
                    quorum 3
                }
                """);
        assertThat(r.diagnostics()).extracting(Diagnostic::line, Diagnostic::message).contains(
                org.assertj.core.groups.Tuple.tuple(2,
                        "connect zk1:2181,zk2: invalid port (none) of zk2 (expected: 1 ~ 65535)"),
                org.assertj.core.groups.Tuple.tuple(3,
                        "session_timeout 0.2: out of range (expected: seconds 1 ~ 3600)"),
                org.assertj.core.groups.Tuple.tuple(4,
                        "fencing maybe: not a boolean (expected: on|off|true|false|yes|no)"),
                org.assertj.core.groups.Tuple.tuple(5,
                        "policy fail-sometimes: invalid value (expected: fail-open|fail-closed)"),
                org.assertj.core.groups.Tuple.tuple(6,
                        "path tandem: not absolute (expected: a znode path starting with /)"));
        assertThat(r.diagnostics()).anySatisfy(d -> {
            assertThat(d.line()).isEqualTo(7);
            assertThat(d.message()).contains("quorum");
        });
        assertThat(r.hasErrors()).isTrue();
    }

    @Test
    void badServerAndMissingConnect() {
        ConfigLoader.Result r = ConfigFiles.load(dir, "zookeeper {\n    connect zk1:99999\n}\n");
        assertThat(r.diagnostics()).extracting(Diagnostic::line, Diagnostic::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2, "connect zk1:99999: invalid port 99999 of zk1 (expected: 1 ~ 65535)"));
        ConfigLoader.Result chroot = ConfigFiles.load(dir, "zookeeper {\n    connect :2181/chroot\n}\n");
        assertThat(chroot.diagnostics()).extracting(Diagnostic::line, Diagnostic::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2, "connect :2181/chroot: invalid server :2181/chroot"
                        + " (expected: host:port[,host:port...], the path keyword for a chroot)"));
        ConfigLoader.Result missing = ConfigFiles.load(dir, "zookeeper {\n    fencing on\n}\n");
        assertThat(missing.diagnostics()).extracting(Diagnostic::line, Diagnostic::message).contains(
                org.assertj.core.groups.Tuple.tuple(1,
                        "zookeeper: connect is missing (expected: connect host:port[,host:port...])"));
    }
}
