package io.tandem.vrrp.engine;

import static io.tandem.vrrp.testing.VirtualScheduler.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tandem.vrrp.VrrpInstanceConfig;
import io.tandem.vrrp.VrrpState;
import io.tandem.vrrp.packet.InboundAdvertisement;
import io.tandem.vrrp.packet.VrrpAdvertisement;
import io.tandem.vrrp.testing.RecordingVipOwner;
import io.tandem.vrrp.testing.VirtualScheduler;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** keepalived's vrrp_sync_group: the members move together. */
class VrrpSyncGroupTest {
    private static final InetAddress PEER = InetAddress.ofLiteral("10.0.0.3");
    private static final InetAddress EXTERNAL_VIP = InetAddress.ofLiteral("192.0.2.100");
    private static final InetAddress INTERNAL_VIP = InetAddress.ofLiteral("10.0.0.254");

    private final VirtualScheduler clock = new VirtualScheduler();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<String> changes = new ArrayList<>();
    private final RecordingVipOwner vips = new RecordingVipOwner();

    private VrrpInstance member(String name, int vrid, InetAddress vip, UnaryOperator<VrrpInstanceConfig.Builder> settings) {
        VrrpInstance instance = new VrrpInstance(settings.apply(VrrpInstanceConfig.builder(name, "eth0", vrid)
                .primaryAddress(InetAddress.ofLiteral("10.0.0.2")).virtualAddresses(List.of(vip))).build(),
                clock, a -> { }, vips, registry);
        instance.addListener(c -> changes.add(c.instance() + " " + c.from() + " -> " + c.to()));
        return instance;
    }

    @Test
    void membersBecomeMasterReleaseFaultAndRecoverTogether() {
        VrrpInstance external = member("VI_EXT", 51, EXTERNAL_VIP, b -> b.priority(100));
        VrrpInstance internal = member("VI_INT", 52, INTERNAL_VIP, b -> b.priority(150).track("chk_gw", 0));
        new VrrpSyncGroup("G1", List.of(external, internal));
        external.start();
        internal.start();

        // VI_INT's Master_Down_Interval (3 s + 106/256 s) ends first; VI_EXT follows at once
        clock.advanceTo(seconds(3.4140625));
        assertThat(internal.state()).isEqualTo(VrrpState.MASTER);
        assertThat(external.state()).isEqualTo(VrrpState.MASTER);
        assertThat(vips.held).containsExactlyInAnyOrder(EXTERNAL_VIP, INTERNAL_VIP);

        // a higher-priority master for VRID 51 appears: both step down
        external.onAdvertisement(new InboundAdvertisement(
                VrrpAdvertisement.v3(51, 200, 100, List.of(EXTERNAL_VIP)), PEER, "eth0"));
        assertThat(external.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(internal.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(vips.held).isEmpty();

        // one member's weight-0 tracker fails: the whole group is in FAULT
        internal.setTrackerUp("chk_gw", false);
        assertThat(internal.state()).isEqualTo(VrrpState.FAULT);
        assertThat(external.state()).isEqualTo(VrrpState.FAULT);
        clock.advanceBy(seconds(30));
        assertThat(external.state()).as("no master down timer in FAULT").isEqualTo(VrrpState.FAULT);

        internal.setTrackerUp("chk_gw", true);
        assertThat(internal.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(external.state()).isEqualTo(VrrpState.BACKUP);

        assertThat(changes).containsExactly(
                "VI_EXT INIT -> BACKUP",
                "VI_INT INIT -> BACKUP",
                "VI_INT BACKUP -> MASTER",
                "VI_EXT BACKUP -> MASTER",
                "VI_EXT MASTER -> BACKUP",
                "VI_INT MASTER -> BACKUP",
                "VI_INT BACKUP -> FAULT",
                "VI_EXT BACKUP -> FAULT",
                "VI_INT FAULT -> BACKUP",
                "VI_EXT FAULT -> BACKUP");
    }

    @Test
    void aMemberFaultyAtStartupHoldsTheGroupInFault() {
        VrrpInstance external = member("VI_EXT", 51, EXTERNAL_VIP, b -> b.track("eth1", 0));
        VrrpInstance internal = member("VI_INT", 52, INTERNAL_VIP, b -> b);
        external.setTrackerUp("eth1", false);
        new VrrpSyncGroup("G1", List.of(external, internal));
        external.start();
        internal.start();
        assertThat(external.state()).isEqualTo(VrrpState.FAULT);
        assertThat(internal.state()).isEqualTo(VrrpState.FAULT);
    }

    @Test
    void anOwnerLeavingFaultTakesTheGroupToMaster() {
        VrrpInstance owner = member("VI_EXT", 51, EXTERNAL_VIP, b -> b.priority(255).track("eth1", 0));
        VrrpInstance other = member("VI_INT", 52, INTERNAL_VIP, b -> b);
        new VrrpSyncGroup("G1", List.of(owner, other));
        owner.start();
        other.start();
        assertThat(other.state()).isEqualTo(VrrpState.MASTER);
        owner.setTrackerUp("eth1", false);
        assertThat(owner.state()).isEqualTo(VrrpState.FAULT);
        assertThat(other.state()).isEqualTo(VrrpState.FAULT);
        owner.setTrackerUp("eth1", true);
        assertThat(owner.state()).isEqualTo(VrrpState.MASTER);
        assertThat(other.state()).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void anInstanceJoinsOneGroupOnly() {
        VrrpInstance a = member("A", 51, EXTERNAL_VIP, b -> b);
        VrrpInstance b = member("B", 52, INTERNAL_VIP, x -> x);
        VrrpInstance c = member("C", 53, InetAddress.ofLiteral("10.0.0.253"), x -> x);
        new VrrpSyncGroup("G1", List.of(a, b));
        assertThatIllegalArgumentException().isThrownBy(() -> new VrrpSyncGroup("G2", List.of(c, a)))
                .withMessage("invalid sync group member: A is already in a sync group (expected: one group per instance)");
        assertThatIllegalArgumentException().isThrownBy(() -> new VrrpSyncGroup("G3", List.of(c)))
                .withMessage("invalid sync group G3: 1 members (expected: >= 2)");
    }
}
