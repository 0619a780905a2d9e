package io.tandem.vrrp.engine;

import static io.tandem.vrrp.testing.VirtualScheduler.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tandem.vrrp.VrrpInstanceConfig;
import io.tandem.vrrp.VrrpState;
import io.tandem.vrrp.VrrpStateChange;
import io.tandem.vrrp.packet.InboundAdvertisement;
import io.tandem.vrrp.packet.VrrpAdvertisement;
import io.tandem.vrrp.packet.VrrpAuthType;
import io.tandem.vrrp.packet.VrrpVersion;
import io.tandem.vrrp.testing.RecordingVipOwner;
import io.tandem.vrrp.testing.VirtualScheduler;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** One instance against a scripted peer, on the virtual clock (RFC 9568 §6.4, RFC 3768 §6.4). */
class VrrpInstanceTest {
    private static final InetAddress LOCAL = InetAddress.ofLiteral("10.0.0.2");
    private static final InetAddress PEER = InetAddress.ofLiteral("10.0.0.3");
    private static final InetAddress LOWER_PEER = InetAddress.ofLiteral("10.0.0.1");
    private static final InetAddress VIP = InetAddress.ofLiteral("10.0.0.100");

    /** v3, 1 s, priority 100: 3 x 1 s + (256 - 100) x 1 s / 256 = 3.609375 s. */
    private static final long MDI_100 = seconds(3.609375);
    /** v3, 1 s, priority 200: 3 s + 56/256 s. */
    private static final long MDI_200 = seconds(3.21875);
    /** v3, 1 s, priority 100: 156/256 s. */
    private static final long SKEW_100 = seconds(0.609375);

    private final VirtualScheduler clock = new VirtualScheduler();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RecordingVipOwner vips = new RecordingVipOwner();
    private final List<VrrpAdvertisement> sent = new ArrayList<>();
    private final List<String> changes = new ArrayList<>();

    private VrrpInstance instance(UnaryOperator<VrrpInstanceConfig.Builder> settings) {
        VrrpInstanceConfig config = settings.apply(VrrpInstanceConfig.builder("VI_1", "eth0", 51)
                .primaryAddress(LOCAL).virtualAddresses(List.of(VIP))).build();
        VrrpInstance instance = new VrrpInstance(config, clock, sent::add, vips, registry);
        instance.addListener(c -> changes.add(c.from() + " -> " + c.to()));
        return instance;
    }

    private static InboundAdvertisement v3From(InetAddress source, int priority, int intervalCentis) {
        return new InboundAdvertisement(VrrpAdvertisement.v3(51, priority, intervalCentis, List.of(VIP)), source, "eth0");
    }

    private static InboundAdvertisement v3(int priority) {
        return v3From(PEER, priority, 100);
    }

    /** Delivers {@code advert} at {@code first}, {@code first + period}, ... while before {@code until}. */
    private void every(long first, long period, long until, VrrpInstance to, InboundAdvertisement advert) {
        for (long t = first; t < until; t += period) {
            clock.schedule(() -> to.onAdvertisement(advert), t - clock.nanoTime());
        }
    }

    private double count(String name) {
        return registry.get(name).tags("iname", "VI_1", "intf", "eth0", "vrid", "51").counter().count();
    }

    @Test
    void timersAreTheRfcFormulas() {
        VrrpInstance v3 = instance(b -> b);
        assertThat(v3.skewTimeNanos()).isEqualTo(SKEW_100);
        assertThat(v3.masterDownIntervalNanos()).isEqualTo(MDI_100);
        VrrpInstance v3fast = instance(b -> b.advertInterval(Duration.ofMillis(10)).priority(100));
        // ((256 - 100) x 10 ms) / 256 = 6.09375 ms
        assertThat(v3fast.skewTimeNanos()).isEqualTo(6_093_750L);
        assertThat(v3fast.masterDownIntervalNanos()).isEqualTo(36_093_750L);
        VrrpInstance v2 = instance(b -> b.version(VrrpVersion.V2).advertInterval(Duration.ofSeconds(2)));
        // RFC 3768: Skew_Time = (256 - Priority) / 256 s, whatever the interval
        assertThat(v2.skewTimeNanos()).isEqualTo(SKEW_100);
        assertThat(v2.masterDownIntervalNanos()).isEqualTo(seconds(6.609375));
    }

    /** A backup's start runs the takeover's code once ahead of time, and takes nothing over. */
    @Test
    void startRehearsesTheTakeoverWithoutTakingOver() {
        List<VrrpAdvertisement> rehearsed = new ArrayList<>();
        VrrpInstanceConfig config = VrrpInstanceConfig.builder("VI_1", "eth0", 51).primaryAddress(LOCAL)
                .virtualAddresses(List.of(VIP)).build();
        VrrpInstance backup = new VrrpInstance(config, clock, new io.tandem.vrrp.AdvertTransmitter() {
            @Override
            public void transmit(VrrpAdvertisement advertisement) {
                sent.add(advertisement);
            }

            @Override
            public void rehearse(VrrpAdvertisement advertisement) {
                rehearsed.add(advertisement);
            }
        }, vips, registry);
        backup.start();
        assertThat(backup.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(vips.rehearsals).containsExactly("eth0 [10.0.0.100]");
        assertThat(rehearsed).singleElement().satisfies(a -> assertThat(a.priority()).isEqualTo(100));
        assertThat(sent).isEmpty();
        assertThat(vips.held).isEmpty();
        assertThat(vips.calls).noneMatch(c -> c.startsWith("add") || c.startsWith("announce"));
    }

    @Test
    void addressOwnerBecomesMasterAtStartupAndAdvertisesEveryInterval() {
        VrrpInstance owner = instance(b -> b.priority(255));
        owner.start();
        assertThat(owner.state()).isEqualTo(VrrpState.MASTER);
        assertThat(changes).containsExactly("INIT -> MASTER");
        assertThat(vips.calls).containsExactly("add eth0 [10.0.0.100]", "announce eth0 [10.0.0.100] x5");
        assertThat(sent).hasSize(1);
        assertThat(sent.getFirst().priority()).isEqualTo(255);
        clock.advanceBy(seconds(3.5));
        assertThat(sent).hasSize(4);
    }

    @Test
    void backupTakesOverAtExactlyMasterDownIntervalAfterTheLastAdvertisement() {
        VrrpInstance backup = instance(b -> b);
        backup.start();
        assertThat(backup.state()).isEqualTo(VrrpState.BACKUP);
        every(seconds(1), seconds(1), seconds(5.5), backup, v3(150)); // master sends at 1..5 s, then dies
        clock.advanceTo(seconds(5) + MDI_100 - 1);
        assertThat(backup.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(sent).isEmpty();
        clock.advanceBy(1);
        assertThat(backup.state()).isEqualTo(VrrpState.MASTER);
        assertThat(changes).containsExactly("INIT -> BACKUP", "BACKUP -> MASTER");
        assertThat(vips.held).containsExactly(VIP);
        assertThat(sent).hasSize(1);
        assertThat(count("keepalived.advertisements.received")).isEqualTo(5.0);
        assertThat(count("keepalived.become.master")).isEqualTo(1.0);
    }

    @Test
    void priorityZeroMakesTheBackupTakeOverAfterSkewTime() {
        VrrpInstance backup = instance(b -> b);
        backup.start();
        clock.advanceTo(seconds(1));
        backup.onAdvertisement(v3(150));
        clock.advanceTo(seconds(2));
        backup.onAdvertisement(v3(0));
        clock.advanceTo(seconds(2) + SKEW_100 - 1);
        assertThat(backup.state()).isEqualTo(VrrpState.BACKUP);
        clock.advanceBy(1);
        assertThat(backup.state()).isEqualTo(VrrpState.MASTER);
        assertThat(count("keepalived.priority.zero.received")).isEqualTo(1.0);
    }

    @Test
    void preemptingBackupIgnoresALowerPriorityMaster() {
        VrrpInstance backup = instance(b -> b.priority(200));
        backup.start();
        every(seconds(0.5), seconds(1), seconds(30), backup, v3(100));
        clock.advanceTo(MDI_200 - 1);
        assertThat(backup.state()).isEqualTo(VrrpState.BACKUP);
        clock.advanceBy(1);
        assertThat(backup.state()).isEqualTo(VrrpState.MASTER);
        clock.advanceTo(seconds(30));
        assertThat(backup.state()).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void nopreemptBackupLeavesALowerPriorityMasterAlone() {
        VrrpInstance backup = instance(b -> b.priority(200).preempt(false));
        backup.start();
        every(seconds(0.5), seconds(1), seconds(30), backup, v3(100));
        clock.advanceTo(seconds(30));
        assertThat(backup.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(changes).containsExactly("INIT -> BACKUP");
    }

    @Test
    void preemptDelayToleratesALowerPriorityMasterUntilItExpires() {
        VrrpInstance backup = instance(b -> b.priority(200).preemptDelay(Duration.ofSeconds(10)));
        backup.start();
        every(seconds(0.5), seconds(1), seconds(30), backup, v3(100));
        // adverts up to 9.5 s are still accepted (deadline 10 s after startup); later ones are ignored
        clock.advanceTo(seconds(9.5) + MDI_200 - 1);
        assertThat(backup.state()).isEqualTo(VrrpState.BACKUP);
        clock.advanceBy(1);
        assertThat(backup.state()).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void preemptDelayIsResetByAHigherPriorityMaster() {
        VrrpInstance backup = instance(b -> b.priority(200).preemptDelay(Duration.ofSeconds(10)));
        backup.start();
        clock.advanceTo(seconds(1));
        backup.onAdvertisement(v3(250)); // forgets the startup deadline
        clock.advanceTo(seconds(2));
        every(seconds(20), seconds(1), seconds(60), backup, v3(100)); // a lower master appears at 20 s
        every(seconds(2), seconds(1), seconds(20), backup, v3(250));
        // first lower advert at 20 s sets the deadline to 30 s; adverts up to 29 s are accepted
        clock.advanceTo(seconds(29) + MDI_200 - 1);
        assertThat(backup.state()).isEqualTo(VrrpState.BACKUP);
        clock.advanceBy(1);
        assertThat(backup.state()).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void masterStepsDownForAHigherPriority() {
        VrrpInstance master = instance(b -> b);
        master.start();
        clock.advanceTo(MDI_100);
        assertThat(master.state()).isEqualTo(VrrpState.MASTER);
        master.onAdvertisement(v3(150));
        assertThat(master.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(vips.held).isEmpty();
        // the first remove is the start's: addresses a crashed run may have left
        assertThat(vips.calls).containsExactly("remove eth0 [10.0.0.100]", "add eth0 [10.0.0.100]",
                "announce eth0 [10.0.0.100] x5", "remove eth0 [10.0.0.100]");
        assertThat(count("keepalived.release.master")).isEqualTo(1.0);
        int sentBefore = sent.size();
        clock.advanceBy(seconds(3));
        assertThat(sent).hasSize(sentBefore); // Adver_Timer cancelled
    }

    @Test
    void aStartingBackupRemovesAddressesACrashedRunLeftBehind() {
        vips.held.add(InetAddress.ofLiteral("10.0.0.100")); // what a killed process left on the interface
        VrrpInstance backup = instance(b -> b);
        backup.start();
        assertThat(backup.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(vips.calls).containsExactly("remove eth0 [10.0.0.100]");
        assertThat(vips.held).isEmpty();
    }

    @Test
    void masterKeepsItsRoleAgainstLowerPriorityAndAnswersAtOnceAsKeepalivedDoes() {
        VrrpInstance master = instance(b -> b);
        master.start();
        clock.advanceTo(MDI_100);
        int before = sent.size();
        master.onAdvertisement(v3(99));
        assertThat(master.state()).isEqualTo(VrrpState.MASTER);
        assertThat(sent).as("an advertisement in reply, so the other master yields now").hasSize(before + 1);
        assertThat(sent.getLast().priority()).isEqualTo(100);
    }

    @Test
    void lowerPrioNoAdvertKeepsTheMasterQuietAndHigherPrioSendAdvertSpeaksBeforeYielding() {
        VrrpInstance quiet = instance(b -> b.lowerPriorityNoAdvert(true).higherPrioritySendAdvert(true));
        quiet.start();
        clock.advanceTo(MDI_100);
        int before = sent.size();
        quiet.onAdvertisement(v3(99));
        assertThat(sent).hasSize(before);
        quiet.onAdvertisement(v3(150));
        assertThat(quiet.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(sent).as("one last advertisement before yielding").hasSize(before + 1);
        assertThat(sent.getLast().priority()).isEqualTo(100);
    }

    @Test
    void checkUnicastSourceDropsAdvertisementsFromStrangersAndCountsThem() {
        VrrpInstance backup = instance(b -> b.unicastPeers(List.of(PEER)).checkUnicastSource(true));
        backup.start();
        clock.advanceBy(seconds(1));
        backup.onAdvertisement(v3From(LOWER_PEER, 200, 100)); // not a peer: dropped
        assertThat(count("tandem.vrrp.unknown.peer")).isEqualTo(1.0);
        assertThat(count("keepalived.advertisements.received")).isZero();
        backup.onAdvertisement(v3From(PEER, 200, 100));
        assertThat(count("keepalived.advertisements.received")).isEqualTo(1.0);
        assertThat(backup.state()).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void theMulticastGroupIsTheIanaOneOfTheFamilyUnlessSet() {
        assertThat(instance(b -> b).config().multicastGroup()).isEqualTo(InetAddress.ofLiteral("224.0.0.18"));
        assertThatIllegalArgumentException().isThrownBy(() -> instance(b -> b.multicastGroup(
                InetAddress.ofLiteral("10.0.0.1")))).withMessage("invalid multicast group: 10.0.0.1 (expected: an IPV4"
                + " multicast address like the primary address)");
        VrrpInstanceConfig v6 = VrrpInstanceConfig.builder("VI_6", "eth0", 51)
                .primaryAddress(InetAddress.ofLiteral("fe80::2"))
                .virtualAddresses(List.of(InetAddress.ofLiteral("fd00::100"))).build();
        assertThat(v6.multicastGroup()).isEqualTo(InetAddress.ofLiteral("ff02::12"));
    }

    @Test
    void aMasterHearingALowerPriorityMasterAnnouncesItsAddressesAgainAtMostOnceASecond() {
        VrrpInstance master = instance(b -> b);
        master.start();
        clock.advanceTo(MDI_100);
        vips.calls.clear();
        master.onAdvertisement(v3(99));
        master.onAdvertisement(v3(99));
        assertThat(vips.calls).containsExactly("announce eth0 [10.0.0.100] x5");
        clock.advanceTo(MDI_100 + 1_000_000_000L);
        master.onAdvertisement(v3(99));
        assertThat(vips.calls).containsExactly("announce eth0 [10.0.0.100] x5", "announce eth0 [10.0.0.100] x5");
        assertThat(master.state()).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void equalPriorityTieGoesToTheHigherPrimaryAddress() {
        VrrpInstance master = instance(b -> b);
        master.start();
        clock.advanceTo(MDI_100);
        master.onAdvertisement(v3From(LOWER_PEER, 100, 100));
        assertThat(master.state()).as("10.0.0.1 < 10.0.0.2").isEqualTo(VrrpState.MASTER);
        master.onAdvertisement(v3From(PEER, 100, 100));
        assertThat(master.state()).as("10.0.0.3 > 10.0.0.2").isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void masterAnswersPriorityZeroAtOnce() {
        VrrpInstance master = instance(b -> b);
        master.start();
        clock.advanceTo(MDI_100);
        int sentBefore = sent.size();
        master.onAdvertisement(v3(0));
        assertThat(sent).hasSize(sentBefore + 1);
        assertThat(master.state()).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void backupAdoptsTheMastersV3Interval() {
        VrrpInstance backup = instance(b -> b);
        backup.start();
        every(seconds(1), seconds(0.5), seconds(3), backup, v3From(PEER, 150, 50));
        clock.advanceTo(seconds(2.5));
        assertThat(backup.masterAdverIntervalNanos()).isEqualTo(seconds(0.5));
        // 3 x 0.5 s + 156 x 0.5 s / 256 = 1.8046875 s after the last advert at 2.5 s
        assertThat(backup.masterDownIntervalNanos()).isEqualTo(seconds(1.8046875));
        clock.advanceTo(seconds(2.5) + seconds(1.8046875) - 1);
        assertThat(backup.state()).isEqualTo(VrrpState.BACKUP);
        clock.advanceBy(1);
        assertThat(backup.state()).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void v2DropsAMismatchedInterval() {
        VrrpInstance backup = instance(b -> b.version(VrrpVersion.V2));
        backup.start();
        InboundAdvertisement twoSeconds =
                new InboundAdvertisement(VrrpAdvertisement.v2(51, 150, 2, List.of(VIP)), PEER, "eth0");
        every(seconds(1), seconds(1), seconds(10), backup, twoSeconds);
        clock.advanceTo(MDI_100);
        assertThat(backup.state()).isEqualTo(VrrpState.MASTER);
        assertThat(count("keepalived.advertisements.interval.errors")).isEqualTo(3.0);
        assertThat(count("keepalived.advertisements.received")).isZero();
    }

    @Test
    void v2ChecksAuthTypeAndPassword() {
        VrrpInstance backup = instance(b -> b.version(VrrpVersion.V2).simplePassword("secret"));
        backup.start();
        byte[] wrong = "public\0\0".getBytes(StandardCharsets.US_ASCII);
        byte[] right = "secret\0\0".getBytes(StandardCharsets.US_ASCII);
        backup.onAdvertisement(new InboundAdvertisement(new VrrpAdvertisement(VrrpVersion.V2, 51, 150, 1,
                List.of(VIP), VrrpAuthType.SIMPLE_TEXT_PASSWORD, wrong), PEER, "eth0"));
        backup.onAdvertisement(new InboundAdvertisement(VrrpAdvertisement.v2(51, 150, 1, List.of(VIP)), PEER, "eth0"));
        assertThat(count("keepalived.authentication.failure")).isEqualTo(1.0);
        assertThat(count("keepalived.authentication.mismatch")).isEqualTo(1.0);
        assertThat(count("keepalived.advertisements.received")).isZero();
        backup.onAdvertisement(new InboundAdvertisement(new VrrpAdvertisement(VrrpVersion.V2, 51, 150, 1,
                List.of(VIP), VrrpAuthType.SIMPLE_TEXT_PASSWORD, right), PEER, "eth0"));
        assertThat(count("keepalived.advertisements.received")).isEqualTo(1.0);
    }

    @Test
    void mismatchedAddressListIsDroppedUnlessFromTheOwner() {
        VrrpInstance master = instance(b -> b);
        master.start();
        clock.advanceTo(MDI_100);
        List<InetAddress> other = List.of(InetAddress.ofLiteral("10.0.0.200"));
        master.onAdvertisement(new InboundAdvertisement(VrrpAdvertisement.v3(51, 200, 100, other), PEER, "eth0"));
        assertThat(master.state()).isEqualTo(VrrpState.MASTER);
        assertThat(count("keepalived.address.list.errors")).isEqualTo(1.0);
        master.onAdvertisement(new InboundAdvertisement(VrrpAdvertisement.v3(51, 255, 100, other), PEER, "eth0"));
        assertThat(master.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(count("keepalived.address.list.errors")).isEqualTo(2.0);
    }

    @Test
    void addressListCheckCanBeSwitchedOff() {
        VrrpInstance master = instance(b -> b.checkAdvertAddresses(false));
        master.start();
        clock.advanceTo(MDI_100);
        List<InetAddress> other = List.of(InetAddress.ofLiteral("10.0.0.200"));
        master.onAdvertisement(new InboundAdvertisement(VrrpAdvertisement.v3(51, 200, 100, other), PEER, "eth0"));
        assertThat(master.state()).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void otherVersionAndOwnAdvertisementsAreIgnored() {
        VrrpInstance master = instance(b -> b);
        master.start();
        clock.advanceTo(MDI_100);
        master.onAdvertisement(new InboundAdvertisement(VrrpAdvertisement.v2(51, 200, 1, List.of(VIP)), PEER, "eth0"));
        master.onAdvertisement(v3From(LOCAL, 200, 100));
        assertThat(master.state()).isEqualTo(VrrpState.MASTER);
        assertThat(count("tandem.vrrp.version.errors")).isEqualTo(1.0);
        assertThat(count("keepalived.advertisements.received")).isZero();
    }

    @Test
    void shutdownOfAMasterSendsPriorityZeroAndReleasesTheAddresses() {
        VrrpInstance master = instance(b -> b);
        master.start();
        clock.advanceTo(MDI_100);
        master.stop();
        assertThat(master.state()).isEqualTo(VrrpState.INIT);
        assertThat(sent.getLast().priority()).isZero();
        assertThat(vips.held).isEmpty();
        assertThat(count("keepalived.priority.zero.sent")).isEqualTo(1.0);
        int sentBefore = sent.size();
        clock.advanceBy(seconds(10));
        assertThat(sent).hasSize(sentBefore);
        assertThat(changes).containsExactly("INIT -> BACKUP", "BACKUP -> MASTER", "MASTER -> INIT");
    }

    @Test
    void weightZeroTrackerFailureIsFaultAndRecoveryIsBackup() {
        VrrpInstance master = instance(b -> b.track("chk_nginx", 0));
        master.start();
        clock.advanceTo(MDI_100);
        master.setTrackerUp("chk_nginx", false);
        assertThat(master.state()).isEqualTo(VrrpState.FAULT);
        assertThat(sent.getLast().priority()).isZero();
        assertThat(vips.held).isEmpty();
        int sentBefore = sent.size();
        clock.advanceBy(seconds(20));
        assertThat(master.state()).isEqualTo(VrrpState.FAULT);
        assertThat(sent).hasSize(sentBefore);
        master.onAdvertisement(v3(0)); // ignored in FAULT
        master.setTrackerUp("chk_nginx", true);
        assertThat(master.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(changes).containsExactly("INIT -> BACKUP", "BACKUP -> MASTER", "MASTER -> FAULT", "FAULT -> BACKUP");
    }

    @Test
    void ownerLeavesFaultAsMaster() {
        VrrpInstance owner = instance(b -> b.priority(255).track("eth1", 0));
        owner.setTrackerUp("eth1", false);
        owner.start();
        assertThat(owner.state()).isEqualTo(VrrpState.FAULT);
        owner.setTrackerUp("eth1", true);
        assertThat(owner.state()).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void trackerWeightsMakeTheEffectivePriority() {
        VrrpInstance master = instance(b -> b.track("chk_down", -60).track("chk_up", 20));
        assertThat(master.effectivePriority()).isEqualTo(120);
        master.start();
        clock.advanceTo(MDI_100);
        master.setTrackerUp("chk_down", false);
        assertThat(master.effectivePriority()).isEqualTo(60);
        assertThat(sent.getLast().priority()).as("sent at once").isEqualTo(60);
        assertThat(registry.get("tandem.vrrp.priority").gauge().value()).isEqualTo(60.0);
        master.setTrackerUp("chk_up", false);
        assertThat(master.effectivePriority()).isEqualTo(40);
        // a backup at 50 now preempts; the master sees its higher priority and steps down
        master.onAdvertisement(v3(50));
        assertThat(master.state()).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void effectivePriorityIsClampedAndAnOwnerStaysOwner() {
        assertThat(instance(b -> b.priority(200).track("a", 100)).effectivePriority()).isEqualTo(254);
        VrrpInstance low = instance(b -> b.priority(10).track("a", -50));
        low.setTrackerUp("a", false);
        assertThat(low.effectivePriority()).isEqualTo(1);
        VrrpInstance owner = instance(b -> b.priority(255).track("a", -50));
        owner.setTrackerUp("a", false);
        assertThat(owner.effectivePriority()).isEqualTo(255);
        assertThatIllegalArgumentException().isThrownBy(() -> owner.setTrackerUp("b", false))
                .withMessage("invalid tracker: \"b\" (expected: one of [a])");
    }

    @Test
    void startupDelayHoldsTheInstanceInInit() {
        VrrpInstance backup = instance(b -> b.startupDelay(Duration.ofSeconds(5)));
        backup.start();
        clock.advanceTo(seconds(5) - 1);
        assertThat(backup.state()).isEqualTo(VrrpState.INIT);
        backup.onAdvertisement(v3(150)); // ignored in INIT
        clock.advanceBy(1);
        assertThat(backup.state()).isEqualTo(VrrpState.BACKUP);
        clock.advanceTo(seconds(5) + MDI_100);
        assertThat(backup.state()).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void stopDuringStartupDelayCancelsIt() {
        VrrpInstance backup = instance(b -> b.startupDelay(Duration.ofSeconds(5)));
        backup.start();
        backup.stop();
        clock.advanceBy(seconds(20));
        assertThat(backup.state()).isEqualTo(VrrpState.INIT);
        assertThat(changes).isEmpty();
    }

    @Test
    void startTwiceIsRejected() {
        VrrpInstance backup = instance(b -> b);
        backup.start();
        assertThatIllegalStateException().isThrownBy(backup::start)
                .withMessage("invalid start of VI_1: already started (expected: INIT)");
    }

    @Test
    void aFailingListenerDoesNotStopTheOthers() {
        VrrpInstance owner = instance(b -> b.priority(255));
        List<VrrpStateChange> seen = new ArrayList<>();
        owner.addListener(c -> {
            throw new IllegalStateException("listener bug");
        });
        owner.addListener(seen::add);
        owner.start();
        assertThat(seen).singleElement().satisfies(c -> {
            assertThat(c.instance()).isEqualTo("VI_1");
            assertThat(c.to()).isEqualTo(VrrpState.MASTER);
            assertThat(c.priority()).isEqualTo(255);
            assertThat(c.epochMillis()).isEqualTo(VirtualScheduler.EPOCH_MILLIS);
        });
    }
}
