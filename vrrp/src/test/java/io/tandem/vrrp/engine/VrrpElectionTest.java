package io.tandem.vrrp.engine;

import static io.tandem.vrrp.testing.VirtualScheduler.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tandem.vrrp.VrrpInstanceConfig;
import io.tandem.vrrp.VrrpState;
import io.tandem.vrrp.packet.VrrpChecksumMode;
import io.tandem.vrrp.packet.VrrpVersion;
import io.tandem.vrrp.testing.RecordingVipOwner;
import io.tandem.vrrp.testing.VirtualLan;
import io.tandem.vrrp.testing.VirtualScheduler;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Routers on one virtual segment: every advertisement goes through the encoder and decoder. */
class VrrpElectionTest {
    private static final InetAddress VIP = InetAddress.ofLiteral("10.0.0.100");

    private final VirtualScheduler clock = new VirtualScheduler();
    private final VirtualLan lan = new VirtualLan(clock, new SimpleMeterRegistry(), 100_000); // 0.1 ms on the wire
    private final RecordingVipOwner vipsA = new RecordingVipOwner();
    private final RecordingVipOwner vipsB = new RecordingVipOwner();

    private VrrpInstance router(String name, String address, RecordingVipOwner vips,
                                UnaryOperator<VrrpInstanceConfig.Builder> settings) {
        return lan.attach(settings.apply(VrrpInstanceConfig.builder(name, "eth0", 51)
                .primaryAddress(InetAddress.ofLiteral(address)).virtualAddresses(List.of(VIP))).build(), vips);
    }

    @Test
    void higherPriorityWinsTheElection() {
        VrrpInstance a = router("A", "10.0.0.2", vipsA, b -> b.priority(100));
        VrrpInstance b = router("B", "10.0.0.3", vipsB, b2 -> b2.priority(200));
        a.start();
        b.start();
        clock.advanceBy(seconds(60));
        assertThat(b.state()).isEqualTo(VrrpState.MASTER);
        assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(vipsA.calls).as("A never held the VIP (only the start's clean-up)")
                .containsExactly("remove eth0 [10.0.0.100]");
        assertThat(vipsB.held).containsExactly(VIP);
        // B took over at its Master_Down_Interval, 3 s + 56/256 s
        assertThat(lan.sentBy("B").getFirst().atNanos()).isEqualTo(seconds(3.21875));
        assertThat(lan.sentBy("A")).isEmpty();
    }

    @Test
    void aLateHigherPriorityRouterPreemptsTheMaster() {
        VrrpInstance a = router("A", "10.0.0.2", vipsA, b -> b.priority(100));
        VrrpInstance b = router("B", "10.0.0.3", vipsB, b2 -> b2.priority(200));
        a.start();
        clock.advanceTo(seconds(10));
        assertThat(a.state()).isEqualTo(VrrpState.MASTER);
        b.start();
        clock.advanceTo(seconds(10) + seconds(3.21875));
        assertThat(b.state()).isEqualTo(VrrpState.MASTER);
        clock.advanceBy(100_000);
        assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(vipsA.held).isEmpty();
        clock.advanceBy(seconds(60));
        assertThat(b.state()).isEqualTo(VrrpState.MASTER);
        assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void aLateNopreemptRouterStaysBackup() {
        VrrpInstance a = router("A", "10.0.0.2", vipsA, b -> b.priority(100));
        VrrpInstance b = router("B", "10.0.0.3", vipsB, b2 -> b2.priority(200).preempt(false));
        a.start();
        clock.advanceTo(seconds(10));
        b.start();
        clock.advanceBy(seconds(60));
        assertThat(a.state()).isEqualTo(VrrpState.MASTER);
        assertThat(b.state()).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void equalPrioritiesElectTheHigherPrimaryAddress() {
        VrrpInstance a = router("A", "10.0.0.2", vipsA, b -> b);
        VrrpInstance b = router("B", "10.0.0.3", vipsB, b2 -> b2);
        a.start();
        b.start();
        // same Master_Down_Interval: both become master at once, then the tie is broken (RFC 9568 §6.4.3)
        clock.advanceTo(seconds(3.609375));
        assertThat(a.state()).isEqualTo(VrrpState.MASTER);
        assertThat(b.state()).isEqualTo(VrrpState.MASTER);
        clock.advanceBy(seconds(60));
        assertThat(b.state()).isEqualTo(VrrpState.MASTER);
        assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(vipsA.held).isEmpty();
    }

    @Test
    void aStoppingMasterHandsOverAfterSkewTime() {
        VrrpInstance a = router("A", "10.0.0.2", vipsA, b -> b.priority(100));
        VrrpInstance b = router("B", "10.0.0.3", vipsB, b2 -> b2.priority(200));
        a.start();
        b.start();
        clock.advanceTo(seconds(30));
        b.stop();
        // priority-0 advert arrives 0.1 ms later; A waits Skew_Time = 156/256 s
        clock.advanceTo(seconds(30) + 100_000 + seconds(0.609375) - 1);
        assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
        clock.advanceBy(1);
        assertThat(a.state()).isEqualTo(VrrpState.MASTER);
        assertThat(vipsB.held).isEmpty();
        assertThat(vipsA.held).containsExactly(VIP);
    }

    @Test
    void aSilentlyFailedMasterIsReplacedAfterMasterDownInterval() {
        VrrpInstance a = router("A", "10.0.0.2", vipsA, b -> b.advertInterval(Duration.ofMillis(10)));
        VrrpInstance b = router("B", "10.0.0.3", vipsB, b2 -> b2.priority(200).advertInterval(Duration.ofMillis(10)));
        a.start();
        b.start();
        clock.advanceTo(seconds(1));
        assertThat(b.state()).isEqualTo(VrrpState.MASTER);
        lan.mute("B"); // B's host dies: no priority-0 advertisement
        long lastArrival = lan.sentBy("B").getLast().atNanos() + 100_000;
        clock.advanceTo(seconds(2));
        assertThat(a.state()).isEqualTo(VrrpState.MASTER);
        // 3 x 10 ms + 156 x 10 ms / 256 = 36.09375 ms after B's last advertisement reached A
        assertThat(lan.sentBy("A").getFirst().atNanos()).isEqualTo(lastArrival + 36_093_750L);
    }

    @Test
    void v2RoutersWithAPasswordElectAMaster() {
        VrrpInstance a = router("A", "10.0.0.2", vipsA, b -> b.version(VrrpVersion.V2).simplePassword("secret"));
        VrrpInstance b = router("B", "10.0.0.3", vipsB, b2 -> b2.version(VrrpVersion.V2).simplePassword("secret")
                .priority(150));
        a.start();
        b.start();
        clock.advanceBy(seconds(60));
        assertThat(b.state()).isEqualTo(VrrpState.MASTER);
        assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void routersWithDifferentChecksumFormsUnderstandEachOther() {
        VrrpInstance a = router("A", "10.0.0.2", vipsA, b -> b.checksumMode(VrrpChecksumMode.MESSAGE_ONLY));
        VrrpInstance b = router("B", "10.0.0.3", vipsB, b2 -> b2.priority(150));
        a.start();
        b.start();
        clock.advanceBy(seconds(60));
        assertThat(b.state()).isEqualTo(VrrpState.MASTER);
        assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
        b.stop();
        clock.advanceBy(seconds(5));
        assertThat(a.state()).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void ipv6RoutersElectAMaster() {
        InetAddress vip6 = InetAddress.ofLiteral("2001:db8::100");
        VrrpInstance a = lan.attach(VrrpInstanceConfig.builder("A6", "eth0", 51)
                .primaryAddress(InetAddress.ofLiteral("fe80::2")).virtualAddresses(List.of(vip6)).build(), vipsA);
        VrrpInstance b = lan.attach(VrrpInstanceConfig.builder("B6", "eth0", 51).priority(150)
                .primaryAddress(InetAddress.ofLiteral("fe80::3")).virtualAddresses(List.of(vip6)).build(), vipsB);
        a.start();
        b.start();
        clock.advanceBy(seconds(60));
        assertThat(b.state()).isEqualTo(VrrpState.MASTER);
        assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(vipsB.held).containsExactly(vip6);
    }
}
