package io.tandem.vrrp.engine;

import static io.tandem.vrrp.testing.VirtualScheduler.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tandem.vrrp.VrrpInstanceConfig;
import io.tandem.vrrp.VrrpState;
import io.tandem.vrrp.testing.RecordingVipOwner;
import io.tandem.vrrp.testing.VirtualLan;
import io.tandem.vrrp.testing.VirtualLeases;
import io.tandem.vrrp.testing.VirtualScheduler;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two routers on the virtual LAN whose mastership is fenced by a lease ({@link VirtualLeases}, 1 ms
 * to the service): the split brain that plain VRRP gets when the advertisements are cut, and how the
 * lease gate prevents it; preemption, shutdown and a silent death through the lease.
 */
class FencedElectionTest {
    private static final InetAddress VIP = InetAddress.ofLiteral("10.0.0.100");
    private static final long TO_SERVICE = 1_000_000;

    private final VirtualScheduler clock = new VirtualScheduler();
    private final VirtualLan lan = new VirtualLan(clock, new SimpleMeterRegistry(), 100_000);
    private final VirtualLeases leases = new VirtualLeases(clock, TO_SERVICE);
    private final RecordingVipOwner vipsA = new RecordingVipOwner();
    private final RecordingVipOwner vipsB = new RecordingVipOwner();

    private VrrpInstance router(String name, String address, RecordingVipOwner vips, int priority, boolean fenced) {
        VrrpInstance i = lan.attach(VrrpInstanceConfig.builder(name, "eth0", 51).priority(priority)
                .advertInterval(Duration.ofMillis(100)).version(io.tandem.vrrp.packet.VrrpVersion.V3)
                .primaryAddress(InetAddress.ofLiteral(address)).virtualAddresses(List.of(VIP)).build(), vips);
        if (fenced) {
            VirtualLeases.Session session = leases.session(name);
            i.fence(session);
            session.listen((lease, held, reason) -> {
                if (lease.equals(i.leaseName())) {
                    i.leaseChanged(held, reason);
                }
            });
        }
        return i;
    }

    /** Advances by {@code nanos} in 10 ms steps and returns the largest number of VIP holders seen at once. */
    private int maxHoldersOver(long nanos) {
        int max = 0;
        for (long t = 0; t < nanos; t += 10_000_000) {
            clock.advanceBy(10_000_000);
            max = Math.max(max, (vipsA.held.isEmpty() ? 0 : 1) + (vipsB.held.isEmpty() ? 0 : 1));
        }
        return max;
    }

    private void partition() {
        lan.mute("A");
        lan.mute("B");
    }

    private void heal() {
        lan.unmute("A");
        lan.unmute("B");
    }

    @Test
    void withoutFencingAPartitionMakesTwoMasters() {
        VrrpInstance a = router("A", "10.0.0.2", vipsA, 200, false);
        VrrpInstance b = router("B", "10.0.0.3", vipsB, 100, false);
        a.start();
        b.start();
        clock.advanceBy(seconds(2));
        assertThat(a.state()).isEqualTo(VrrpState.MASTER);
        partition();
        assertThat(maxHoldersOver(seconds(3))).isEqualTo(2);
        assertThat(b.state()).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void withFencingAPartitionLeavesOneHolder() {
        VrrpInstance a = router("A", "10.0.0.2", vipsA, 200, true);
        VrrpInstance b = router("B", "10.0.0.3", vipsB, 100, true);
        a.start();
        b.start();
        clock.advanceBy(seconds(2));
        assertThat(a.state()).isEqualTo(VrrpState.MASTER);
        assertThat(leases.line("vrrp-51")).containsExactly("A");
        partition();
        assertThat(maxHoldersOver(seconds(5))).isEqualTo(1);
        assertThat(vipsA.held).containsExactly(VIP);
        assertThat(b.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(b.claiming()).isTrue();
        assertThat(vipsB.calls).isEmpty();
        assertThat(leases.line("vrrp-51")).containsExactly("A", "B");
        heal();
        assertThat(maxHoldersOver(seconds(2))).isEqualTo(1);
        // B hears the master again and gives up its claim; A stays master
        assertThat(b.claiming()).isFalse();
        assertThat(leases.line("vrrp-51")).containsExactly("A");
        assertThat(a.state()).isEqualTo(VrrpState.MASTER);
        assertThat(vipsB.calls).isEmpty();
    }

    @Test
    void aHigherPriorityRouterPreemptsThroughTheLease() {
        VrrpInstance a = router("A", "10.0.0.2", vipsA, 100, true);
        VrrpInstance b = router("B", "10.0.0.3", vipsB, 200, true);
        a.start();
        clock.advanceBy(seconds(2));
        assertThat(a.state()).isEqualTo(VrrpState.MASTER);
        b.start();
        assertThat(maxHoldersOver(seconds(2))).isEqualTo(1);
        assertThat(b.state()).isEqualTo(VrrpState.MASTER);
        assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(vipsA.held).isEmpty();
        assertThat(vipsB.held).containsExactly(VIP);
        assertThat(leases.line("vrrp-51")).containsExactly("B");
    }

    @Test
    void aStoppingMasterHandsOverWithinASecond() {
        VrrpInstance a = router("A", "10.0.0.2", vipsA, 200, true);
        VrrpInstance b = router("B", "10.0.0.3", vipsB, 100, true);
        a.start();
        b.start();
        clock.advanceBy(seconds(2));
        long stop = clock.nanoTime();
        a.stop();
        List<Long> bTook = new ArrayList<>();
        while (clock.nanoTime() - stop < seconds(1) && bTook.isEmpty()) {
            clock.advanceBy(1_000_000);
            if (!vipsA.held.isEmpty() && !vipsB.held.isEmpty()) {
                throw new AssertionError("two holders at " + clock.nanoTime());
            }
            if (b.state() == VrrpState.MASTER) {
                bTook.add(clock.nanoTime() - stop);
            }
        }
        // priority 0 reaches B, which claims after its skew time (~61 ms) and is granted 4 ms later
        assertThat(bTook).singleElement().satisfies(t -> assertThat(t).isLessThan(seconds(0.1)));
        assertThat(vipsB.held).containsExactly(VIP);
    }

    @Test
    void aSilentlyDeadMastersLeaseHoldsUntilItsSessionExpires() {
        VrrpInstance a = router("A", "10.0.0.2", vipsA, 200, true);
        VrrpInstance b = router("B", "10.0.0.3", vipsB, 100, true);
        a.start();
        b.start();
        clock.advanceBy(seconds(2));
        lan.mute("A");
        leases.session("A").die();
        clock.advanceBy(seconds(3));
        assertThat(b.claiming()).isTrue();
        assertThat(vipsB.held).as("the dead master's session still holds the lease").isEmpty();
        leases.expire("A");
        clock.advanceBy(seconds(0.01));
        assertThat(b.state()).isEqualTo(VrrpState.MASTER);
        assertThat(vipsB.held).containsExactly(VIP);
    }

    @Test
    void aRevokedLeaseTakesTheAddressesAway() {
        VrrpInstance a = router("A", "10.0.0.2", vipsA, 200, true);
        a.start();
        clock.advanceBy(seconds(2));
        assertThat(vipsA.held).containsExactly(VIP);
        a.leaseChanged(false, "session suspended, policy fail-closed");
        assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(vipsA.held).isEmpty();
    }

    @Test
    void aSyncGroupSharesOneLease() {
        RecordingVipOwner vips2 = new RecordingVipOwner();
        VrrpInstance a1 = router("A", "10.0.0.2", vipsA, 200, false);
        VrrpInstance a2 = lan.attach(VrrpInstanceConfig.builder("A2", "eth0", 52).priority(200)
                .primaryAddress(InetAddress.ofLiteral("10.0.0.2"))
                .virtualAddresses(List.of(InetAddress.ofLiteral("10.0.0.101"))).build(), vips2);
        new VrrpSyncGroup("G", List.of(a1, a2));
        VirtualLeases.Session session = leases.session("A");
        a1.fence(session);
        a2.fence(session);
        session.listen((lease, held, reason) -> List.of(a1, a2).forEach(i -> i.leaseChanged(held, reason)));
        a1.start();
        a2.start();
        clock.advanceBy(seconds(5));
        assertThat(a1.state()).isEqualTo(VrrpState.MASTER);
        assertThat(a2.state()).isEqualTo(VrrpState.MASTER);
        assertThat(a1.leaseName()).isEqualTo("vrrp-51-52");
        assertThat(leases.line("vrrp-51-52")).containsExactly("A");
        a1.leaseChanged(false, "revoked");
        a2.leaseChanged(false, "revoked");
        assertThat(a1.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(a2.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(vipsA.held).isEmpty();
        assertThat(vips2.held).isEmpty();
    }
}
