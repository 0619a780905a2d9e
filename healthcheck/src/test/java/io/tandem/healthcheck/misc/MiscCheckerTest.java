package io.tandem.healthcheck.misc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tandem.core.config.model.ScriptCommand;
import io.tandem.core.process.ProcessOutcome;
import io.tandem.core.process.ProcessRunner;
import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.FailureReason;
import io.tandem.healthcheck.HealthEvent;
import io.tandem.healthcheck.config.CheckerKind;
import io.tandem.healthcheck.config.MiscCheckConfig;
import io.tandem.healthcheck.config.OptionOverrides;
import io.tandem.healthcheck.config.RealServerConfig;
import io.tandem.healthcheck.config.VirtualServiceConfig;
import io.tandem.healthcheck.process.NotifyScripts;
import io.tandem.healthcheck.support.Transports;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MISC_CHECK with real scripts: exit codes, misc_dynamic, a hanging script killed with its child, user. */
class MiscCheckerTest {
    private static final InetSocketAddress RS = new InetSocketAddress("127.0.0.1", 80);
    private static final ProcessRunner RUNNER = new ProcessRunner();

    @TempDir
    Path dir;

    @AfterAll
    static void close() {
        RUNNER.close();
    }

    private Path script(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private static MiscChecker misc(List<String> command, Duration timeout, boolean dynamic, String user) {
        var options = OptionOverrides.NONE.resolve(CheckerKind.MISC_CHECK, RS);
        return new MiscChecker(new MiscCheckConfig(options, command, timeout, dynamic, user), RUNNER);
    }

    private static MiscChecker misc(Path script, boolean dynamic) {
        return misc(List.of(script.toString()), Duration.ofSeconds(5), dynamic, null);
    }

    @Test
    void exitCodesAndDynamicWeights() throws Exception {
        assertThat(Transports.run(misc(script("ok", "exit 0"), false))).isEqualTo(CheckResult.ok());
        CheckResult fail = Transports.run(misc(script("fail", "exit 1"), false));
        assertThat(fail.reason()).isEqualTo(FailureReason.EXIT_STATUS);
        assertThat(fail.detail()).endsWith("fail exited 1 (expected: 0)");

        Path twelve = script("twelve", "exit 12");
        assertThat(Transports.run(misc(twelve, true))).isEqualTo(CheckResult.ok(10));
        assertThat(Transports.run(misc(twelve, false)).reason()).isEqualTo(FailureReason.EXIT_STATUS);
        assertThat(Transports.run(misc(script("two", "exit 2"), true))).isEqualTo(CheckResult.ok(0));
        assertThat(Transports.run(misc(script("one", "exit 1"), true)).reason()).isEqualTo(FailureReason.EXIT_STATUS);

        CheckResult missing = Transports.run(misc(List.of(dir.resolve("nope").toString()), Duration.ofSeconds(1),
                false, null));
        assertThat(missing.reason()).isEqualTo(FailureReason.EXEC_ERROR);
    }

    @Test
    void aHangingScriptIsKilledWithItsChildrenOnMiscTimeout() throws Exception {
        Path hang = script("hang", "sleep 60 &\necho $! > " + dir.resolve("child") + "\necho $$ > "
                + dir.resolve("parent") + "\nwait");
        Transports.Timed t = Transports.timed(misc(List.of(hang.toString()), Duration.ofMillis(500), false, null));
        assertThat(t.result().reason()).isEqualTo(FailureReason.TIMEOUT);
        assertThat(t.result().detail()).contains("still running after PT0.5S, killed");
        assertThat(t.seconds()).isBetween(0.45, 1.5);
        for (String name : List.of("parent", "child")) {
            long pid = Long.parseLong(Files.readString(dir.resolve(name)).trim());
            Optional<ProcessHandle> h = ProcessHandle.of(pid);
            if (h.isPresent()) {
                h.get().onExit().get(5, TimeUnit.SECONDS);
            }
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as(name).isNotEqualTo(Optional.of(true));
        }
        // the same check recovers when the script is fixed
        Files.writeString(hang, "#!/bin/sh\nexit 0\n");
        assertThat(Transports.run(misc(List.of(hang.toString()), Duration.ofMillis(500), false, null)).success())
                .isTrue();
    }

    @Test
    void runsAsTheConfiguredUser() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "switching users needs root");
        List<String> isNobody = command("/bin/sh -c 'test \"$(id -un)\" = nobody'").argv();
        assertThat(Transports.run(misc(isNobody, Duration.ofSeconds(5), false, "nobody")).success()).isTrue();
        assertThat(Transports.run(misc(isNobody, Duration.ofSeconds(5), false, null)).reason())
                .isEqualTo(FailureReason.EXIT_STATUS);
    }

    @Test
    void notifyScriptsRunForTheirEvents() throws Exception {
        Path marker = dir.resolve("marker");
        Path notify = script("notify", "echo \"$@\" >> " + marker);
        RealServerConfig rs = new RealServerConfig(RS, 1, false, command(notify + " up 'rs one'"),
                command(notify + " down"), List.of());
        VirtualServiceConfig vs = new VirtualServiceConfig("vs", List.of(rs), 1, 0, command(notify + " quorum_up"),
                command(notify + " quorum_down"), null);
        NotifyScripts scripts = new NotifyScripts(RUNNER, Duration.ofSeconds(5));
        scripts.configure(List.of(vs));
        // the first event only states where the real server starts: no notify_up (keepalived's default)
        assertThat(scripts.run(new HealthEvent.RealServerUp("vs", RS, 1)).toCompletableFuture().get()).isEmpty();
        for (HealthEvent e : List.of(new HealthEvent.RealServerDown("vs", RS, HealthEvent.Disposition.REMOVE),
                new HealthEvent.QuorumLost("vs", 0, null), new HealthEvent.QuorumRegained("vs", 1),
                new HealthEvent.RealServerUp("vs", RS, 1))) {
            assertThat(scripts.run(e).toCompletableFuture().get(5, TimeUnit.SECONDS))
                    .contains(new ProcessOutcome.Exited(0));
        }
        assertThat(scripts.run(new HealthEvent.RealServerWeightChanged("vs", RS, 1, 2)).toCompletableFuture()
                .get()).isEmpty();
        assertThat(Files.readAllLines(marker)).containsExactly("down", "quorum_down", "quorum_up", "up rs one");
    }

    @Test
    void notifyScriptsRunAsTheirUser() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "switching users needs root");
        // nobody must reach the script and the marker in the test's own folder
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path marker = dir.resolve("user");
        Files.createFile(marker);
        Files.setPosixFilePermissions(marker, PosixFilePermissions.fromString("rw-rw-rw-"));
        Path notify = script("notify-user", "id -un >> " + marker);
        RealServerConfig rs = new RealServerConfig(RS, 1, false, null,
                ScriptCommand.of(notify.toString(), Optional.of("nobody"), Optional.empty()), List.of());
        NotifyScripts scripts = new NotifyScripts(RUNNER, Duration.ofSeconds(5));
        scripts.configure(List.of(VirtualServiceConfig.of("vs", List.of(rs))));
        scripts.run(new HealthEvent.RealServerUp("vs", RS, 1));
        assertThat(scripts.run(new HealthEvent.RealServerDown("vs", RS, HealthEvent.Disposition.DRAIN))
                .toCompletableFuture().get(5, TimeUnit.SECONDS)).contains(new ProcessOutcome.Exited(0));
        assertThat(Files.readAllLines(marker)).containsExactly("nobody");
    }

    private static ScriptCommand command(String line) {
        return ScriptCommand.of(line, Optional.empty(), Optional.empty());
    }
}
