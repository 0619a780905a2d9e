package io.tandem.director.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.director.reload.ConfigCheck;
import io.tandem.director.run.DirectorOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A configuration in a znode on an embedded ZooKeeper (curator-test's TestingServer, a real server in
 * this JVM on loopback): start-up refusals, diagnostics named {@code zk://...:LINE}, the watch, and
 * {@code tandem config push} refusing a broken file.
 */
class ZnodeConfigSourceTest {
    private static final DirectorOptions.Subsystems ALL = DirectorOptions.Subsystems.ALL;
    private static final String GOOD = """
            global_defs {
                router_id test
            }
            virtual_server 10.0.0.100 80 {
                lb_algo rr
                lb_kind NAT
                protocol TCP
                real_server 10.0.0.11 80 {
                    TCP_CHECK {
                        connect_timeout 1
                    }
                }
            }
            """;
    private static final String BROKEN = GOOD.replace("    lb_algo rr\n", "    lb_algo rr\n    lb_frobnicate yes\n");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path work;
    private TestingServer server;

    @BeforeEach
    void start() throws Exception {
        server = new TestingServer(true);
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private ZnodeLocator locator() {
        return ZnodeLocator.parse("zk://" + server.getConnectString() + "/tandem/config");
    }

    @Test
    void aMissingZnodeIsRefusedAtStart() {
        assertThatThrownBy(() -> ZnodeConfigSource.open(locator(), TIMEOUT))
                .isInstanceOf(IOException.class)
                .hasMessage(locator() + ": the znode /tandem/config does not exist on " + server.getConnectString()
                        + " (expected: a configuration written there, as by tandem config push)");
    }

    @Test
    void anUnreachableEnsembleIsRefusedAtStart() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort(); // closed again: nothing listens there
        }
        ZnodeLocator nowhere = ZnodeLocator.parse("zk://127.0.0.1:" + port + "/tandem/config");
        assertThatThrownBy(() -> ZnodeConfigSource.open(nowhere, Duration.ofSeconds(1)))
                .isInstanceOf(IOException.class)
                .hasMessage(nowhere + ": ZooKeeper 127.0.0.1:" + port + " did not answer within 1000 ms"
                        + " (expected: a reachable ensemble)");
    }

    @Test
    void diagnosticsNameTheZnodeAndTheLine() throws Exception {
        ZnodeWriter.write(locator(), BROKEN.getBytes(StandardCharsets.UTF_8), TIMEOUT);
        try (ZnodeConfigSource source = ZnodeConfigSource.open(locator(), TIMEOUT)) {
            ConfigCheck.Outcome outcome = source.read("test", ALL);
            assertThat(outcome.runnable()).isFalse();
            assertThat(outcome.errors()).singleElement().asString()
                    .startsWith(locator() + ":6: error: ").contains("lb_frobnicate");
        }
    }

    @Test
    void eachNewVersionIsCheckedAndHandedOnOnce() throws Exception {
        ZnodeWriter.write(locator(), GOOD.getBytes(StandardCharsets.UTF_8), TIMEOUT);
        LinkedBlockingQueue<ConfigCheck.Outcome> versions = new LinkedBlockingQueue<>();
        try (ZnodeConfigSource source = ZnodeConfigSource.open(locator(), TIMEOUT)) {
            assertThat(source.read("test", ALL).runnable()).isTrue();
            source.watch("test", ALL, versions::add);
            assertThat(versions.poll(1, TimeUnit.SECONDS)).as("the version already read is not handed on").isNull();

            String twoServers = GOOD.replace("    real_server 10.0.0.11 80 {", """
                        real_server 10.0.0.12 80 {
                            TCP_CHECK {
                                connect_timeout 1
                            }
                        }
                        real_server 10.0.0.11 80 {""");
            ZnodeWriter.write(locator(), twoServers.getBytes(StandardCharsets.UTF_8), TIMEOUT);
            ConfigCheck.Outcome added = versions.poll(10, TimeUnit.SECONDS);
            assertThat(added).isNotNull();
            assertThat(added.config().orElseThrow().virtualServers().getFirst().realServers()).hasSize(2);

            ZnodeWriter.write(locator(), BROKEN.getBytes(StandardCharsets.UTF_8), TIMEOUT);
            ConfigCheck.Outcome broken = versions.poll(10, TimeUnit.SECONDS);
            assertThat(broken).isNotNull();
            assertThat(broken.runnable()).isFalse();
            assertThat(broken.errors()).singleElement().asString().startsWith(locator() + ":6: error: ");
            assertThat(versions.poll(500, TimeUnit.MILLISECONDS)).as("no further version").isNull();
        }
    }

    @Test
    void pushWritesAValidFileAndRefusesABrokenOne() throws Exception {
        Path good = Files.writeString(work.resolve("good.conf"), GOOD);
        Path broken = Files.writeString(work.resolve("broken.conf"), BROKEN);
        CommandLine tandem = new CommandLine(new io.tandem.director.cli.TandemCommand());

        assertThat(tandem.execute("config", "push", "--zk", locator().toString(), "-i", "test", broken.toString()))
                .as("a broken file").isEqualTo(ConfigCheck.EXIT_ERRORS);
        assertThatThrownBy(() -> ZnodeConfigSource.open(locator(), TIMEOUT)).as("nothing written")
                .hasMessageContaining("does not exist");

        assertThat(tandem.execute("config", "push", "--zk", locator().toString(), "-i", "test", good.toString()))
                .isZero();
        try (ZnodeConfigSource source = ZnodeConfigSource.open(locator(), TIMEOUT)) {
            assertThat(source.read("test", ALL).runnable()).isTrue();
        }
        assertThat(tandem.execute("config", "push", "--zk", locator().toString(), "-i", "test", broken.toString()))
                .isEqualTo(ConfigCheck.EXIT_ERRORS);
        try (ZnodeConfigSource source = ZnodeConfigSource.open(locator(), TIMEOUT)) {
            assertThat(source.read("test", ALL).errors()).as("the good version stays").isEmpty();
        }
        assertThat(tandem.execute("check-config", "--config", locator().toString(), "-i", "test")).isZero();
        assertThat(tandem.execute("check-config", "--config", "zk://" + server.getConnectString() + "/nothing"))
                .isEqualTo(ConfigCheck.EXIT_CANNOT_RUN);
        assertThat(List.of(tandem.execute("check-config", "-f", good.toString(), "--config", locator().toString())))
                .as("-f and --config together").containsExactly(2);
    }
}
