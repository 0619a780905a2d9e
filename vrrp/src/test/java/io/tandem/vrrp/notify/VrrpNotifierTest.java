package io.tandem.vrrp.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.process.ProcessRunner;
import io.tandem.vrrp.VrrpState;
import io.tandem.vrrp.VrrpStateChange;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** notify_* scripts and notify_fifo with real processes: in order, one at a time per instance, with a timeout. */
class VrrpNotifierTest {
    @TempDir
    Path dir;

    private final ProcessRunner runner = new ProcessRunner();

    @AfterEach
    void tearDown() {
        runner.close();
    }

    /** A script that logs "start ARGS", sleeps, logs "end ARGS": overlapping runs would interleave. */
    private NotifyCommand logging(String name, double sleepSeconds) throws Exception {
        Path script = dir.resolve(name + ".sh");
        Path log = dir.resolve("log");
        Files.writeString(script, "#!/bin/sh\necho \"start " + name + " $*\" >> " + log + "\nsleep " + sleepSeconds
                + "\necho \"end " + name + " $*\" >> " + log + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return new NotifyCommand(List.of(script.toString(), "arg"), Optional.empty());
    }

    private static VrrpStateChange change(String instance, VrrpState from, VrrpState to, int priority) {
        return new VrrpStateChange(instance, from, to, priority, "test", 0);
    }

    private List<String> log() throws Exception {
        Path log = dir.resolve("log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Test
    void scriptsOfOneInstanceRunInOrderNeverTogetherAndNotifyGetsFourArguments() throws Exception {
        NotifyConfig vi = new NotifyConfig(Optional.of(logging("master", 0.3)), Optional.of(logging("backup", 0.1)),
                Optional.of(logging("fault", 0.1)), Optional.of(logging("stop", 0)), Optional.of(logging("notify", 0)));
        try (VrrpNotifier notifier = new VrrpNotifier(Map.of("VI_1", vi), List.of(), List.of(),
                Duration.ofSeconds(5), runner)) {
            notifier.stateChanged(change("VI_1", VrrpState.INIT, VrrpState.BACKUP, 100));
            notifier.stateChanged(change("VI_1", VrrpState.BACKUP, VrrpState.MASTER, 100));
            notifier.stateChanged(change("VI_1", VrrpState.MASTER, VrrpState.FAULT, 100));
            notifier.stateChanged(change("VI_1", VrrpState.FAULT, VrrpState.INIT, 100));
        }
        assertThat(log()).containsExactly(
                "start backup arg", "end backup arg", "start notify arg INSTANCE VI_1 BACKUP 100",
                "end notify arg INSTANCE VI_1 BACKUP 100",
                "start master arg", "end master arg", "start notify arg INSTANCE VI_1 MASTER 100",
                "end notify arg INSTANCE VI_1 MASTER 100",
                "start fault arg", "end fault arg", "start notify arg INSTANCE VI_1 FAULT 100",
                "end notify arg INSTANCE VI_1 FAULT 100",
                "start stop arg", "end stop arg", "start notify arg INSTANCE VI_1 STOP 100",
                "end notify arg INSTANCE VI_1 STOP 100");
    }

    @Test
    void aHangingNotifyIsKilledAndTheNextOneStillRuns() throws Exception {
        NotifyConfig vi = new NotifyConfig(Optional.of(logging("master", 60)), Optional.of(logging("backup", 0)),
                Optional.empty(), Optional.empty(), Optional.empty());
        long started = System.nanoTime();
        try (VrrpNotifier notifier = new VrrpNotifier(Map.of("VI_1", vi), List.of(), List.of(),
                Duration.ofMillis(500), runner)) {
            notifier.stateChanged(change("VI_1", VrrpState.BACKUP, VrrpState.MASTER, 100));
            notifier.stateChanged(change("VI_1", VrrpState.MASTER, VrrpState.BACKUP, 100));
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5000);
        assertThat(log()).containsExactly("start master arg", "start backup arg", "end backup arg");
    }

    @Test
    void groupsNotifyWhenAllMembersAgreeAndTheFifoGetsKeepalivedsLines() throws Exception {
        Path fifo = dir.resolve("notify.fifo");
        NotifyConfig group = new NotifyConfig(Optional.of(logging("gmaster", 0)), Optional.empty(),
                Optional.of(logging("gfault", 0)), Optional.empty(), Optional.empty());
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        try (VrrpNotifier notifier = new VrrpNotifier(Map.of(), List.of(new VrrpNotifier.Group("G1",
                List.of("VI_A", "VI_B"), group)), List.of(fifo), Duration.ofSeconds(5), runner)) {
            assertThat(Files.isRegularFile(fifo)).isFalse();
            assertThat(Files.exists(fifo)).isTrue(); // made as a FIFO
            Thread reader = Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(new FileInputStream(fifo.toFile()),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (Exception e) {
                    lines.add("error " + e);
                }
            });
            notifier.stateChanged(change("VI_A", VrrpState.INIT, VrrpState.BACKUP, 100));
            notifier.stateChanged(change("VI_B", VrrpState.INIT, VrrpState.BACKUP, 90));
            notifier.stateChanged(change("VI_A", VrrpState.BACKUP, VrrpState.MASTER, 100));
            notifier.stateChanged(change("VI_B", VrrpState.BACKUP, VrrpState.MASTER, 90));
            notifier.stateChanged(change("VI_B", VrrpState.MASTER, VrrpState.FAULT, 90));
            List<String> got = new ArrayList<>();
            while (got.size() < 8) {
                String line = lines.poll(5, TimeUnit.SECONDS);
                assertThat(line).as("FIFO line %d", got.size() + 1).isNotNull();
                got.add(line);
            }
            // BACKUP as soon as a member is, none being MASTER or FAULT
            assertThat(got).containsExactly("INSTANCE \"VI_A\" BACKUP 100", "GROUP \"G1\" BACKUP 0",
                    "INSTANCE \"VI_B\" BACKUP 90", "INSTANCE \"VI_A\" MASTER 100", "INSTANCE \"VI_B\" MASTER 90",
                    "GROUP \"G1\" MASTER 0", "INSTANCE \"VI_B\" FAULT 90", "GROUP \"G1\" FAULT 0");
            assertThat(lines.poll(200, TimeUnit.MILLISECONDS)).isNull(); // VI_A MASTER alone changed no group state
            reader.interrupt();
        }
        assertThat(log()).containsExactly("start gmaster arg", "end gmaster arg", "start gfault arg",
                "end gfault arg");
    }
}
