package io.tandem.vrrp.track;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.DefaultEventLoop;
import io.tandem.core.process.ProcessOutcome;
import io.tandem.core.process.ProcessRunner;
import io.tandem.vrrp.VrrpInstanceConfig;
import io.tandem.vrrp.VrrpState;
import io.tandem.vrrp.VrrpTracker;
import io.tandem.vrrp.engine.EventLoopVrrpScheduler;
import io.tandem.vrrp.engine.VrrpInstance;
import io.tandem.vrrp.testing.RecordingVipOwner;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vrrp_script and track_file with real processes and files, on a real event loop. */
class RealScriptTrackingTest {
    @TempDir
    Path dir;

    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final ProcessRunner runner = new ProcessRunner();
    private VrrpTracking tracking;

    @AfterEach
    void tearDown() throws Exception {
        if (tracking != null) {
            loop.submit(tracking::close).get(5, TimeUnit.SECONDS);
        }
        runner.close();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private VrrpInstance startInstance(VrrpInstanceConfig.Builder config, List<VrrpScriptConfig> scripts,
                                       List<TrackFileConfig> files) throws Exception {
        EventLoopVrrpScheduler scheduler = new EventLoopVrrpScheduler(loop);
        return onLoop(() -> {
            VrrpInstance vi = new VrrpInstance(config.primaryAddress(InetAddress.ofLiteral("10.0.0.2"))
                    .virtualAddresses(List.of(InetAddress.ofLiteral("192.0.2.100"))).build(), scheduler, a -> { },
                    new RecordingVipOwner(), new SimpleMeterRegistry());
            tracking = new VrrpTracking(List.of(vi), scripts, files, scheduler, runner);
            tracking.prepare();
            vi.start();
            tracking.start();
            return vi;
        });
    }

    private VrrpState state(VrrpInstance vi) {
        try {
            return onLoop(vi::state);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private int priority(VrrpInstance vi) {
        try {
            return onLoop(vi::effectivePriority);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aScriptWhoseExitCodeFlipsThroughAFileMovesTheInstanceInAndOutOfFault() throws Exception {
        Path code = dir.resolve("code");
        Files.writeString(code, "0\n");
        Path script = dir.resolve("check.sh");
        Files.writeString(script, "#!/bin/sh\nexit \"$(cat " + code + ")\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        VrrpScriptConfig chk = new VrrpScriptConfig("chk", List.of(script.toString()), Optional.empty(),
                Duration.ofMillis(100), Duration.ofSeconds(2), 2, 2, false);
        VrrpInstance vi = startInstance(VrrpInstanceConfig.builder("VI_1", "eth0", 51).priority(100)
                .track(new VrrpTracker(VrrpTracking.scriptTracker("chk"), 0)), List.of(chk), List.of());
        await("a first exit 0", () -> tracking.scripts().getFirst().lastOutcome() != null);
        assertThat(tracking.scripts().getFirst().lastOutcome()).isEqualTo(new ProcessOutcome.Exited(0));
        assertThat(state(vi)).isEqualTo(VrrpState.BACKUP);

        Files.writeString(code, "3\n");
        await("FAULT after two failures", () -> state(vi) == VrrpState.FAULT);
        assertThat(tracking.scripts().getFirst().lastOutcome()).isEqualTo(new ProcessOutcome.Exited(3));

        Files.writeString(code, "0\n");
        await("BACKUP after two successes", () -> state(vi) == VrrpState.BACKUP);
    }

    @Test
    void aHangingScriptIsKilledAtItsTimeoutAndCountsAsAFailure() throws Exception {
        Path script = dir.resolve("hang.sh");
        Files.writeString(script, "#!/bin/sh\nsleep 60\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        VrrpScriptConfig hang = new VrrpScriptConfig("hang", List.of(script.toString()), Optional.empty(),
                Duration.ofSeconds(1), Duration.ofMillis(300), 1, 1, false);
        long started = System.nanoTime();
        VrrpInstance vi = startInstance(VrrpInstanceConfig.builder("VI_1", "eth0", 51).priority(100)
                .track(new VrrpTracker(VrrpTracking.scriptTracker("hang"), -50)), List.of(hang), List.of());
        assertThat(priority(vi)).isEqualTo(100);
        await("the timeout", () -> priority(vi) == 50);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(elapsedMillis).isBetween(250L, 5000L);
        ProcessOutcome outcome = tracking.scripts().getFirst().lastOutcome();
        assertThat(outcome).isInstanceOf(ProcessOutcome.TimedOut.class);
        long pid = ((ProcessOutcome.TimedOut) outcome).pid();
        await("the killed script to be gone", () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        // the loop never waited: it answered while the script ran
        assertThat(state(vi)).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void aTrackFileIsReadAtStartAndOnEveryChange() throws Exception {
        Path file = dir.resolve("prio");
        TrackFileConfig f = new TrackFileConfig("prio", file, OptionalLong.of(2), false);
        VrrpInstance vi = startInstance(VrrpInstanceConfig.builder("VI_1", "eth0", 51).priority(100)
                .track(new VrrpTracker(VrrpTracking.fileTracker("prio"), 5, false, VrrpTracker.Kind.VALUE)),
                List.of(), List.of(f));
        assertThat(Files.readString(file)).isEqualTo("2\n"); // init_file made it
        assertThat(priority(vi)).isEqualTo(110);
        Files.writeString(file, "-4\n");
        await("priority 80", () -> priority(vi) == 80);
        Path tmp = dir.resolve("prio.new");
        Files.writeString(tmp, "-60\n");
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        await("FAULT (-300 < -253)", () -> state(vi) == VrrpState.FAULT);
        Files.delete(file);
        await("a missing file reads as 0", () -> state(vi) == VrrpState.BACKUP && priority(vi) == 100);
    }
}
