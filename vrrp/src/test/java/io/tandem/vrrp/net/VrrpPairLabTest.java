package io.tandem.vrrp.net;

import static io.tandem.vrrp.net.VrrpLabSupport.await;
import static io.tandem.vrrp.net.VrrpLabSupport.config;
import static io.tandem.vrrp.net.VrrpLabSupport.engine;
import static io.tandem.vrrp.net.VrrpLabSupport.holdsVip;
import static io.tandem.vrrp.net.VrrpLabSupport.quietly;
import static io.tandem.vrrp.net.VrrpLabSupport.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.lab.Lab;
import io.tandem.core.lab.LabAddresses;
import io.tandem.core.lab.WithLab;
import io.tandem.vrrp.VrrpInstanceConfig;
import io.tandem.vrrp.VrrpState;
import io.tandem.vrrp.packet.VrrpVersion;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two Tandem VRRP engines, in director-a and director-b, on the lab's lan: VRRPv3 at
 * 100 ms. Master_Down_Interval for priority 100 is 3 x 100 + 60.9 = 360.9 ms; Skew_Time
 * 60.9 ms (RFC 9568 §6.1). Bounds below add a margin for a loaded 2-core CI machine.
 */
@WithLab(realServers = 1)
class VrrpPairLabTest {
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final Duration SETTLE = Duration.ofSeconds(5);
    private static final long MARGIN_MS = 150;

    private VrrpEngine a;
    private VrrpEngine b;

    @AfterEach
    void stop(Lab lab) throws Exception {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        lab.setBridgePortUp(lab.directorA().iface(), true);
        assertThat(holdsVip(lab.directorA()) || holdsVip(lab.directorB())).as("VIP left after close").isFalse();
    }

    @Test
    void theHigherPriorityWinsAndAShutdownHandsTheVipOverWithinSkewTime(Lab lab) throws Exception {
        b = engine(lab.directorB(), config(lab.directorB(), VrrpVersion.V3, INTERVAL, 100, true));
        a = engine(lab.directorA(), config(lab.directorA(), VrrpVersion.V3, INTERVAL, 150, true));
        assertThat(await(SETTLE, quietly(() -> state(a) == VrrpState.MASTER && state(b) == VrrpState.BACKUP)))
                .as("A master, B backup").isNotNegative();
        assertThat(holdsVip(lab.directorA())).isTrue();
        assertThat(holdsVip(lab.directorB())).isFalse();
        assertThat(lab.client().ping(LabAddresses.VIP, Duration.ofSeconds(2))).isTrue();

        long t0 = System.nanoTime();
        a.close(); // priority 0: B waits Skew_Time only
        a = null;
        long took = await(SETTLE, quietly(() -> state(b) == VrrpState.MASTER));
        long sinceClose = (System.nanoTime() - t0) / 1_000_000;
        assertThat(took).as("B became master").isNotNegative();
        System.out.printf("takeover after the master's shutdown (priority 0): %d ms (Skew_Time 61 ms)%n", sinceClose);
        assertThat(sinceClose).as("takeover after priority 0, ms").isLessThan(61 + MARGIN_MS);
        assertThat(holdsVip(lab.directorB())).isTrue();
        assertThat(holdsVip(lab.directorA())).isFalse();
        assertThat(lab.client().ping(LabAddresses.VIP, Duration.ofSeconds(2))).isTrue();
    }

    @Test
    void aCutLinkHandsOverWithinMasterDownIntervalAndTheMasterPreemptsWhenItReturns(Lab lab) throws Exception {
        a = engine(lab.directorA(), config(lab.directorA(), VrrpVersion.V3, INTERVAL, 150, true));
        b = engine(lab.directorB(), config(lab.directorB(), VrrpVersion.V3, INTERVAL, 100, true));
        assertThat(await(SETTLE, quietly(() -> state(a) == VrrpState.MASTER && state(b) == VrrpState.BACKUP)))
                .isNotNegative();

        long t0 = System.nanoTime();
        lab.setBridgePortUp(lab.directorA().iface(), false);
        assertThat(await(SETTLE, quietly(() -> state(b) == VrrpState.MASTER))).isNotNegative();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("takeover after the master's link cut: %d ms (Master_Down_Interval 361 ms)%n", ms);
        assertThat(ms).as("takeover after the link cut, ms").isLessThan(361 + MARGIN_MS);
        assertThat(holdsVip(lab.directorB())).isTrue();
        assertThat(lab.client().ping(LabAddresses.VIP, Duration.ofSeconds(2))).isTrue();

        lab.setBridgePortUp(lab.directorA().iface(), true);
        assertThat(await(SETTLE, quietly(() -> state(a) == VrrpState.MASTER && state(b) == VrrpState.BACKUP)))
                .as("A preempts when its adverts reach B again").isNotNegative();
        assertThat(await(SETTLE, quietly(() -> !holdsVip(lab.directorB())))).isNotNegative();
        assertThat(holdsVip(lab.directorA())).isTrue();
    }

    @Test
    void aMasterTrackingItsInterfaceGoesToFaultAndReleasesTheVipWhenItsLinkIsCut(Lab lab) throws Exception {
        VrrpInstanceConfig tracked = VrrpInstanceConfig.builder("VI_1", lab.directorA().interfaceName(),
                        VrrpLabSupport.VRID)
                .priority(150).version(VrrpVersion.V3).advertInterval(INTERVAL)
                .primaryAddress(lab.directorA().address()).virtualAddresses(java.util.List.of(VrrpLabSupport.vip()))
                .track(VrrpEngine.interfaceTracker(lab.directorA().interfaceName()), 0)
                .build();
        a = engine(lab.directorA(), tracked);
        b = engine(lab.directorB(), config(lab.directorB(), VrrpVersion.V3, INTERVAL, 100, true));
        assertThat(await(SETTLE, quietly(() -> state(a) == VrrpState.MASTER && state(b) == VrrpState.BACKUP)))
                .isNotNegative();
        lab.setBridgePortUp(lab.directorA().iface(), false);
        assertThat(await(SETTLE, quietly(() -> state(a) == VrrpState.FAULT))).as("A in FAULT").isNotNegative();
        assertThat(await(SETTLE, quietly(() -> !holdsVip(lab.directorA())))).as("A released the VIP").isNotNegative();
        assertThat(await(SETTLE, quietly(() -> state(b) == VrrpState.MASTER && holdsVip(lab.directorB()))))
                .isNotNegative();
        lab.setBridgePortUp(lab.directorA().iface(), true);
        assertThat(await(SETTLE, quietly(() -> state(a) == VrrpState.MASTER && state(b) == VrrpState.BACKUP)))
                .as("A leaves FAULT and preempts").isNotNegative();
    }

    @Test
    void withNopreemptTheReturningHigherPriorityStaysBackup(Lab lab) throws Exception {
        b = engine(lab.directorB(), config(lab.directorB(), VrrpVersion.V3, INTERVAL, 100, true));
        assertThat(await(SETTLE, quietly(() -> state(b) == VrrpState.MASTER))).isNotNegative();
        a = engine(lab.directorA(), config(lab.directorA(), VrrpVersion.V3, INTERVAL, 150, false));
        assertThat(await(SETTLE, quietly(() -> state(a) == VrrpState.BACKUP))).isNotNegative();
        Thread.sleep(1000); // ten adverts: long enough for a wrong preemption to show
        assertThat(state(a)).isEqualTo(VrrpState.BACKUP);
        assertThat(state(b)).isEqualTo(VrrpState.MASTER);
        assertThat(holdsVip(lab.directorB())).isTrue();
        assertThat(holdsVip(lab.directorA())).isFalse();
    }
}
