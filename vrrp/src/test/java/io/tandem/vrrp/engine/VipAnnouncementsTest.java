package io.tandem.vrrp.engine;

import static io.tandem.vrrp.testing.VirtualScheduler.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tandem.core.netlink.AddressScope;
import io.tandem.vrrp.GarpTiming;
import io.tandem.vrrp.VirtualAddress;
import io.tandem.vrrp.VirtualRoute;
import io.tandem.vrrp.VrrpInstanceConfig;
import io.tandem.vrrp.VrrpState;
import io.tandem.vrrp.packet.InboundAdvertisement;
import io.tandem.vrrp.packet.VrrpAdvertisement;
import io.tandem.vrrp.testing.RecordingVipOwner;
import io.tandem.vrrp.testing.VirtualScheduler;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * When a master announces its addresses (keepalived's garp_master_delay / _repeat / _refresh /
 * _refresh_repeat, garp_lower_prio_delay / _repeat) and what it holds (excluded addresses,
 * virtual_routes), on the virtual clock. The owner (priority 255) is MASTER at t = 0.
 */
class VipAnnouncementsTest {
    private static final InetAddress VIP = InetAddress.ofLiteral("10.0.0.100");
    private static final InetAddress EXCLUDED = InetAddress.ofLiteral("fd00::100");
    private static final VirtualRoute ROUTE = VirtualRoute.unicast(InetAddress.ofLiteral("10.8.0.0"), 16,
            InetAddress.ofLiteral("10.0.0.1"), null);

    private final VirtualScheduler clock = new VirtualScheduler();
    private final RecordingVipOwner vips = new RecordingVipOwner();

    private VrrpInstance owner(GarpTiming garp, UnaryOperator<VrrpInstanceConfig.Builder> more) {
        VrrpInstanceConfig config = more.apply(VrrpInstanceConfig.builder("VI_1", "eth0", 51).priority(255)
                .primaryAddress(InetAddress.ofLiteral("10.0.0.2")).virtualAddresses(List.of(VIP)).garp(garp)).build();
        return new VrrpInstance(config, clock, a -> { }, vips, new SimpleMeterRegistry());
    }

    private static GarpTiming timing(double delay, int repeat, double refresh, int refreshRepeat, double lowerDelay,
            int lowerRepeat) {
        return new GarpTiming(Duration.ofNanos(seconds(delay)), repeat, Duration.ofNanos(seconds(refresh)),
                refreshRepeat, Duration.ofNanos(seconds(lowerDelay)), lowerRepeat);
    }

    private static InboundAdvertisement from(int priority) {
        return new InboundAdvertisement(VrrpAdvertisement.v3(51, priority, 100, List.of(VIP)),
                InetAddress.ofLiteral("10.0.0.3"), "eth0");
    }

    private List<String> announcements() {
        return vips.calls.stream().filter(c -> c.startsWith("announce")).toList();
    }

    @Test
    void keepalivedsDefaultsAreFiveFramesNowAndFiveMoreAfterFiveSecondsThenNothing() {
        VrrpInstance master = owner(GarpTiming.DEFAULTS, b -> b);
        master.start();
        assertThat(announcements()).containsExactly("announce eth0 [10.0.0.100] x5");
        clock.advanceTo(seconds(5) - 1);
        assertThat(announcements()).hasSize(1);
        clock.advanceTo(seconds(5));
        assertThat(announcements()).containsExactly("announce eth0 [10.0.0.100] x5", "announce eth0 [10.0.0.100] x5");
        clock.advanceTo(seconds(600));
        assertThat(announcements()).as("garp_master_refresh 0: no refresh").hasSize(2);
    }

    @Test
    void aZeroDelayMeansNoSecondBurst() {
        owner(timing(0, 2, 0, 1, 5, 5), b -> b).start();
        clock.advanceTo(seconds(60));
        assertThat(announcements()).containsExactly("announce eth0 [10.0.0.100] x2");
    }

    @Test
    void refreshRepeatsWhileMasterAndStopsWithIt() {
        VrrpInstance master = owner(timing(1, 3, 2, 2, 5, 5), b -> b);
        master.start();
        clock.advanceTo(seconds(6.5));
        // x3 at 0, x3 at 1 s (second burst), x2 at 2, 4 and 6 s (refresh)
        assertThat(announcements()).containsExactly("announce eth0 [10.0.0.100] x3", "announce eth0 [10.0.0.100] x3",
                "announce eth0 [10.0.0.100] x2", "announce eth0 [10.0.0.100] x2", "announce eth0 [10.0.0.100] x2");
        master.stop();
        assertThat(master.state()).isEqualTo(VrrpState.INIT);
        vips.calls.clear();
        clock.advanceTo(seconds(60));
        assertThat(vips.calls).as("nothing after leaving MASTER").isEmpty();
    }

    @Test
    void leavingMasterBeforeTheSecondBurstCancelsIt() {
        VrrpInstance master = owner(GarpTiming.DEFAULTS, b -> b);
        master.start();
        clock.advanceTo(seconds(1));
        master.stop();
        clock.advanceTo(seconds(10));
        assertThat(announcements()).containsExactly("announce eth0 [10.0.0.100] x5");
    }

    @Test
    void aLowerPriorityAdvertisementBringsItsOwnBurstAndSecondBurstAtMostOnceASecond() {
        VrrpInstance master = owner(timing(0, 5, 0, 1, 2, 3), b -> b);
        master.start();
        vips.calls.clear();
        clock.advanceTo(seconds(10));
        master.onAdvertisement(from(100));
        master.onAdvertisement(from(100)); // within the second: nothing more
        assertThat(announcements()).containsExactly("announce eth0 [10.0.0.100] x3");
        clock.advanceTo(seconds(12));
        assertThat(announcements()).as("garp_lower_prio_delay 2 s").containsExactly(
                "announce eth0 [10.0.0.100] x3", "announce eth0 [10.0.0.100] x3");
        assertThat(master.state()).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void excludedAddressesAreHeldAndAnnouncedButNotAdvertised() {
        List<VrrpAdvertisement> sent = new java.util.ArrayList<>();
        VrrpInstanceConfig config = VrrpInstanceConfig.builder("VI_1", "eth0", 51).priority(255)
                .primaryAddress(InetAddress.ofLiteral("10.0.0.2"))
                .addresses(List.of(new VirtualAddress(VIP, 24, "eth1", "eth1:vip", AddressScope.UNIVERSE)))
                .excludedAddresses(List.of(VirtualAddress.of(EXCLUDED))).garp(timing(0, 1, 0, 1, 5, 5)).build();
        new VrrpInstance(config, clock, sent::add, vips, new SimpleMeterRegistry()).start();
        assertThat(vips.held).containsExactly(VIP, EXCLUDED);
        assertThat(announcements()).containsExactly("announce eth0 [10.0.0.100, fd00:0:0:0:0:0:0:100] x1");
        assertThat(sent.getFirst().addresses()).as("only virtual_ipaddress is advertised").containsExactly(VIP);
    }

    @Test
    void virtualRoutesComeAfterTheAddressesAndGoBeforeThem() {
        VrrpInstance master = owner(timing(0, 1, 0, 1, 5, 5), b -> b.virtualRoutes(List.of(ROUTE)));
        master.start();
        assertThat(vips.routes).containsExactly(ROUTE);
        master.stop();
        assertThat(vips.routes).isEmpty();
        assertThat(vips.calls).containsExactly("add eth0 [10.0.0.100]", "add routes eth0 [10.8.0.0/16 via 10.0.0.1]",
                "announce eth0 [10.0.0.100] x1", "remove routes eth0 [10.8.0.0/16 via 10.0.0.1]",
                "remove eth0 [10.0.0.100]");
    }
}
