package io.tandem.vrrp.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tandem.vrrp.VrrpInstanceConfig;
import io.tandem.vrrp.VrrpState;
import io.tandem.vrrp.packet.VrrpAdvertisement;
import io.tandem.vrrp.testing.RecordingVipOwner;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The production scheduler on an EmbeddedChannel's event loop with its clock frozen. */
class EventLoopVrrpSchedulerTest {
    @Test
    void runsAndCancelsTasksOnTheLoopClock() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        EventLoopVrrpScheduler scheduler = new EventLoopVrrpScheduler(channel.eventLoop());
        long start = scheduler.nanoTime();
        List<String> ran = new ArrayList<>();
        scheduler.schedule(() -> ran.add("a"), TimeUnit.SECONDS.toNanos(1));
        scheduler.schedule(() -> ran.add("b"), TimeUnit.SECONDS.toNanos(2)).cancel();
        channel.advanceTimeBy(999, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(ran).isEmpty();
        channel.advanceTimeBy(5, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(ran).containsExactly("a");
        assertThat(scheduler.nanoTime() - start).isEqualTo(TimeUnit.MILLISECONDS.toNanos(5999));
        channel.finishAndReleaseAll();
    }

    @Test
    void drivesAnInstance() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        List<VrrpAdvertisement> sent = new ArrayList<>();
        VrrpInstance instance = new VrrpInstance(VrrpInstanceConfig.builder("VI_1", "eth0", 51)
                .primaryAddress(InetAddress.ofLiteral("10.0.0.2"))
                .virtualAddresses(List.of(InetAddress.ofLiteral("10.0.0.100"))).build(),
                new EventLoopVrrpScheduler(channel.eventLoop()), sent::add, new RecordingVipOwner(),
                new SimpleMeterRegistry());
        instance.start();
        channel.advanceTimeBy(3609, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(instance.state()).isEqualTo(VrrpState.BACKUP);
        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(instance.state()).isEqualTo(VrrpState.MASTER);
        for (int i = 0; i < 3; i++) {
            channel.advanceTimeBy(1, TimeUnit.SECONDS);
            channel.runScheduledPendingTasks();
        }
        assertThat(sent).hasSize(4);
        channel.finishAndReleaseAll();
    }
}
