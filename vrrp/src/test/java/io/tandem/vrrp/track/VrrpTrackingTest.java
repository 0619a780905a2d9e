package io.tandem.vrrp.track;

import static io.tandem.vrrp.testing.VirtualScheduler.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tandem.core.process.CommandRunner;
import io.tandem.core.process.ProcessOutcome;
import io.tandem.vrrp.VrrpInstanceConfig;
import io.tandem.vrrp.VrrpState;
import io.tandem.vrrp.VrrpTracker;
import io.tandem.vrrp.engine.VrrpInstance;
import io.tandem.vrrp.engine.VrrpSyncGroup;
import io.tandem.vrrp.testing.RecordingVipOwner;
import io.tandem.vrrp.testing.VirtualScheduler;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * vrrp_script tracking on the injected clock: a scripted runner answers each run with the next
 * outcome (or leaves it running), so rise, fall, weights, FAULT and timing are exact.
 */
class VrrpTrackingTest {
    private static final InetAddress VIP = InetAddress.ofLiteral("192.0.2.100");

    private final VirtualScheduler clock = new VirtualScheduler();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RecordingVipOwner vips = new RecordingVipOwner();
    private final List<String> changes = new ArrayList<>();

    /** Answers runs from a queue of outcomes; an empty queue leaves the run pending. */
    private static final class ScriptedRunner implements CommandRunner {
        final Deque<ProcessOutcome> outcomes = new ArrayDeque<>();
        final List<Long> startedAt = new ArrayList<>();
        final List<CompletableFuture<ProcessOutcome>> pending = new ArrayList<>();
        final VirtualScheduler clock;

        ScriptedRunner(VirtualScheduler clock) {
            this.clock = clock;
        }

        @Override
        public CompletableFuture<ProcessOutcome> run(List<String> argv, String user, Duration timeout) {
            startedAt.add(clock.nanoTime());
            ProcessOutcome next = outcomes.poll();
            if (next != null) {
                return CompletableFuture.completedFuture(next);
            }
            CompletableFuture<ProcessOutcome> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        }

        void exits(int... codes) {
            for (int code : codes) {
                outcomes.add(new ProcessOutcome.Exited(code));
            }
        }
    }

    private final ScriptedRunner runner = new ScriptedRunner(clock);

    private static VrrpScriptConfig script(String name, int rise, int fall, boolean initFail) {
        return new VrrpScriptConfig(name, List.of("/bin/check", name), Optional.empty(), Duration.ofSeconds(2),
                Duration.ofSeconds(1), rise, fall, initFail);
    }

    private VrrpInstance instance(String name, int vrid, UnaryOperator<VrrpInstanceConfig.Builder> settings) {
        VrrpInstance instance = new VrrpInstance(settings.apply(VrrpInstanceConfig.builder(name, "eth0", vrid)
                .primaryAddress(InetAddress.ofLiteral("10.0.0.2")).virtualAddresses(List.of(VIP))).build(),
                clock, a -> { }, vips, registry);
        instance.addListener(c -> changes.add(c.instance() + " " + c.from() + " -> " + c.to()));
        return instance;
    }

    private VrrpTracking start(List<VrrpInstance> instances, List<VrrpScriptConfig> scripts) throws Exception {
        VrrpTracking tracking = new VrrpTracking(instances, scripts, List.of(), clock, runner);
        tracking.prepare();
        instances.forEach(VrrpInstance::start);
        tracking.start();
        return tracking;
    }

    @Test
    void weightZeroScriptFaultsAfterFallFailuresAndRecoversAfterRiseSuccesses() throws Exception {
        VrrpInstance vi = instance("VI_1", 51, b -> b.priority(100)
                .track(new VrrpTracker(VrrpTracking.scriptTracker("chk"), 0)));
        runner.exits(0, 1, 1, 1, 0, 0, 1, 0, 0);
        start(List.of(vi), List.of(script("chk", 2, 3, false)));
        clock.runDue();
        assertThat(runner.startedAt).containsExactly(0L); // first run at once

        clock.advanceTo(seconds(3.609375)); // Master_Down_Interval: master while the script passes
        assertThat(vi.state()).isEqualTo(VrrpState.MASTER);
        clock.advanceTo(seconds(4)); // runs at 2 s and 4 s failed: two of fall 3
        assertThat(vi.state()).isEqualTo(VrrpState.MASTER);
        clock.advanceTo(seconds(6)); // third failure
        assertThat(vi.state()).isEqualTo(VrrpState.FAULT);
        assertThat(vips.held).isEmpty();
        clock.advanceTo(seconds(8)); // one success of rise 2
        assertThat(vi.state()).isEqualTo(VrrpState.FAULT);
        clock.advanceTo(seconds(10)); // second success: leaves FAULT
        assertThat(vi.state()).isEqualTo(VrrpState.BACKUP);
        clock.advanceTo(seconds(12)); // a failure resets the count, a success does not leave "up"
        clock.advanceTo(seconds(16));
        assertThat(vi.state()).isNotEqualTo(VrrpState.FAULT);
        assertThat(runner.startedAt).containsExactly(0L, seconds(2), seconds(4), seconds(6), seconds(8), seconds(10),
                seconds(12), seconds(14), seconds(16));
        assertThat(changes).containsExactly("VI_1 INIT -> BACKUP", "VI_1 BACKUP -> MASTER", "VI_1 MASTER -> FAULT",
                "VI_1 FAULT -> BACKUP", "VI_1 BACKUP -> MASTER");
    }

    /**
     * A reload: the unchanged script keeps running on its schedule with its state (a fresh
     * instance learns it is down at once), the changed one is replaced, the dropped one stops.
     */
    @Test
    void reconfigureKeepsUnchangedScriptsAndTellsFreshInstancesTheirState() throws Exception {
        VrrpInstance kept = instance("VI_1", 51, b -> b.priority(100)
                .track(new VrrpTracker(VrrpTracking.scriptTracker("chk"), -30)));
        VrrpInstance gone = instance("VI_2", 52, b -> b.priority(100)
                .track(new VrrpTracker(VrrpTracking.scriptTracker("old"), -10)));
        runner.exits(1, 0); // chk fails (fall 1), old passes
        VrrpTracking tracking = start(List.of(kept, gone), List.of(script("chk", 1, 1, false),
                script("old", 1, 1, false)));
        clock.runDue();
        assertThat(kept.effectivePriority()).isEqualTo(70);
        List<ScriptTracker> before = tracking.scripts();

        gone.close();
        VrrpInstance fresh = instance("VI_3", 53, b -> b.priority(100)
                .track(new VrrpTracker(VrrpTracking.scriptTracker("chk"), -20))
                .track(new VrrpTracker(VrrpTracking.scriptTracker("new"), -5)));
        tracking.reconfigure(List.of(kept, fresh), List.of(fresh), List.of(script("chk", 1, 1, false),
                script("new", 1, 1, true)), List.of());
        assertThat(tracking.scripts()).hasSize(2).contains(before.getFirst());
        assertThat(before.get(1).config().name()).isEqualTo("old");
        fresh.start();
        assertThat(fresh.effectivePriority()).as("chk is down: known before its next run; new: init_fail")
                .isEqualTo(75);
        assertThat(kept.effectivePriority()).as("no change for the kept instance").isEqualTo(70);
        int runs = runner.startedAt.size();
        runner.exits(0); // the new script's first run passes
        tracking.start();
        clock.runDue();
        assertThat(runner.startedAt).as("only the new script starts now").hasSize(runs + 1);
        assertThat(fresh.effectivePriority()).isEqualTo(80);
        runner.exits(0, 0); // at 2 s: chk (kept, on its old schedule) passes, new passes
        clock.advanceTo(seconds(2));
        assertThat(runner.startedAt).hasSize(runs + 3);
        assertThat(kept.effectivePriority()).isEqualTo(100);
        assertThat(fresh.effectivePriority()).isEqualTo(100);
    }

    @Test
    void positiveWeightAddsWhileUpNegativeSubtractsWhileDown() throws Exception {
        VrrpInstance vi = instance("VI_1", 51, b -> b.priority(100)
                .track(new VrrpTracker(VrrpTracking.scriptTracker("plus"), 20))
                .track(new VrrpTracker(VrrpTracking.scriptTracker("minus"), -30)));
        VrrpTracking tracking = new VrrpTracking(List.of(vi), List.of(script("plus", 1, 1, false),
                script("minus", 1, 1, false)), List.of(), clock, runner);
        tracking.prepare();
        vi.start();
        assertThat(vi.effectivePriority()).isEqualTo(120); // both start up
        runner.exits(1, 1); // plus fails, minus fails
        tracking.start();
        clock.runDue();
        assertThat(vi.effectivePriority()).isEqualTo(70);
        runner.exits(0, 1); // plus back up
        clock.advanceTo(seconds(2));
        assertThat(vi.effectivePriority()).isEqualTo(90);
        runner.exits(0, 0); // minus back up too
        clock.advanceTo(seconds(4));
        assertThat(vi.effectivePriority()).isEqualTo(120);
    }

    @Test
    void reverseTurnsTheAdjustmentRound() throws Exception {
        VrrpInstance vi = instance("VI_1", 51, b -> b.priority(100)
                .track(new VrrpTracker(VrrpTracking.scriptTracker("plus"), 20, true, VrrpTracker.Kind.STATUS))
                .track(new VrrpTracker(VrrpTracking.scriptTracker("zero"), 0, true, VrrpTracker.Kind.STATUS)));
        runner.exits(0, 0);
        start(List.of(vi), List.of(script("plus", 1, 1, false), script("zero", 1, 1, false)));
        clock.runDue();
        // weight 20 reverse: up takes 20 off; weight 0 reverse: FAULT while the script is up
        assertThat(vi.effectivePriority()).isEqualTo(80);
        assertThat(vi.state()).isEqualTo(VrrpState.FAULT);
        runner.exits(1, 1);
        clock.advanceTo(seconds(2));
        assertThat(vi.effectivePriority()).isEqualTo(100);
        assertThat(vi.state()).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void initFailStartsInFaultUntilRiseSuccesses() throws Exception {
        VrrpInstance vi = instance("VI_1", 51, b -> b.priority(100)
                .track(new VrrpTracker(VrrpTracking.scriptTracker("chk"), 0)));
        runner.exits(0, 0);
        start(List.of(vi), List.of(script("chk", 2, 1, true)));
        assertThat(vi.state()).isEqualTo(VrrpState.FAULT);
        clock.runDue();
        assertThat(vi.state()).isEqualTo(VrrpState.FAULT);
        clock.advanceTo(seconds(2));
        assertThat(vi.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(changes).containsExactly("VI_1 INIT -> FAULT", "VI_1 FAULT -> BACKUP");
    }

    @Test
    void aRunIsNeverOverlappedAndALongRunDelaysTheNext() throws Exception {
        VrrpInstance vi = instance("VI_1", 51, b -> b.priority(100)
                .track(new VrrpTracker(VrrpTracking.scriptTracker("chk"), 0)));
        start(List.of(vi), List.of(script("chk", 1, 1, false)));
        clock.runDue();
        clock.advanceTo(seconds(5)); // the first run is still going (the runner kills at its timeout)
        assertThat(runner.startedAt).containsExactly(0L);
        runner.pending.getFirst().complete(new ProcessOutcome.TimedOut(1234));
        clock.runDue();
        assertThat(vi.state()).isEqualTo(VrrpState.FAULT); // a timeout is a failure
        assertThat(runner.startedAt).containsExactly(0L, seconds(5)); // the next starts at once
    }

    @Test
    void scriptsAndSyncGroupsTogether() throws Exception {
        VrrpInstance ext = instance("VI_EXT", 51, b -> b.priority(100)
                .track(new VrrpTracker(VrrpTracking.scriptTracker("gw"), 0)));
        VrrpInstance in = instance("VI_INT", 52, b -> b.priority(100));
        new VrrpSyncGroup("G1", List.of(ext, in));
        runner.exits(0, 0, 1); // runs at 0 s and 2 s pass, at 4 s fails
        start(List.of(ext, in), List.of(script("gw", 1, 1, false)));
        clock.advanceTo(seconds(3.609375));
        assertThat(List.of(ext.state(), in.state())).containsOnly(VrrpState.MASTER);
        clock.advanceTo(seconds(4)); // gw fails on VI_EXT: the whole group goes to FAULT
        assertThat(List.of(ext.state(), in.state())).containsOnly(VrrpState.FAULT);
        assertThat(vips.held).isEmpty();
    }

    @Test
    void anUndefinedScriptIsRefused() {
        VrrpInstance vi = instance("VI_1", 51, b -> b.track(new VrrpTracker(VrrpTracking.scriptTracker("nope"), 0)));
        assertThatIllegalArgumentException().isThrownBy(() -> new VrrpTracking(List.of(vi),
                List.of(script("chk", 1, 1, false)), List.of(), clock, runner))
                .withMessage("invalid tracker of VI_1: script nope (expected: one of the vrrp_scripts [script chk])");
    }

    @Test
    void valueTrackersMultiplyAndFault() {
        VrrpInstance vi = instance("VI_1", 51, b -> b.priority(100)
                .track(new VrrpTracker("file f", 10, false, VrrpTracker.Kind.VALUE))
                .track(new VrrpTracker("file z", 0, false, VrrpTracker.Kind.VALUE)));
        vi.start();
        vi.setTrackerValue("file f", 3);
        assertThat(vi.effectivePriority()).isEqualTo(130);
        vi.setTrackerValue("file f", -5);
        assertThat(vi.effectivePriority()).isEqualTo(50);
        vi.setTrackerValue("file f", 30); // 400: clamped to 254
        assertThat(vi.effectivePriority()).isEqualTo(254);
        vi.setTrackerValue("file f", -26); // -260 < -253: FAULT
        assertThat(vi.state()).isEqualTo(VrrpState.FAULT);
        vi.setTrackerValue("file f", 0);
        assertThat(vi.state()).isEqualTo(VrrpState.BACKUP);
        vi.setTrackerValue("file z", 1); // weight 0: non-zero is FAULT
        assertThat(vi.state()).isEqualTo(VrrpState.FAULT);
        vi.setTrackerValue("file z", 0);
        assertThat(vi.state()).isEqualTo(VrrpState.BACKUP);
        assertThatIllegalArgumentException().isThrownBy(() -> vi.setTrackerUp("file z", true))
                .withMessage("invalid use of tracker \"file z\": it is a VALUE tracker (expected: a STATUS tracker)");
    }
}
