package io.tandem.core.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRunnerTest {
    @TempDir
    Path dir;

    @Test
    void exitStatusIsReported() throws Exception {
        try (ProcessRunner runner = new ProcessRunner()) {
            assertThat(runner.run(List.of("sh", "-c", "exit 7"), null, Duration.ofSeconds(5))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(new ProcessOutcome.Exited(7));
        }
    }

    @Test
    void aTimedOutShellIsKilledBeforeItCanRunItsNextCommand() throws Exception {
        Path after = dir.resolve("after");
        try (ProcessRunner runner = new ProcessRunner()) {
            ProcessOutcome outcome = runner.run(List.of("sh", "-c", "sleep 30; touch " + after), null,
                    Duration.ofMillis(300)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(outcome).isInstanceOf(ProcessOutcome.TimedOut.class);
            long pid = ((ProcessOutcome.TimedOut) outcome).pid();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
        Thread.sleep(200);
        assertThat(after).doesNotExist();
    }

    @Test
    void closeKillsWhatIsStillRunning() throws Exception {
        Path pidFile = dir.resolve("pid");
        ProcessRunner runner = new ProcessRunner();
        var outcome = runner.run(List.of("sh", "-c", "echo $$ > " + pidFile + "; exec sleep 30"), null,
                Duration.ofSeconds(60)).toCompletableFuture();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        runner.close();
        assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(ProcessOutcome.Exited.class); // killed: 128 + 9
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
}
