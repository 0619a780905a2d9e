package io.tandem.vrrp.engine;

import io.tandem.vrrp.GarpTiming;
import io.tandem.vrrp.VipOwner;
import io.tandem.vrrp.VrrpInstanceConfig;
import io.tandem.vrrp.packet.RateLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When one instance's master announces its addresses (gratuitous ARP / unsolicited NA,
 * RFC 9568 §6.4.1 and §6.4.2 "broadcast a gratuitous ARP request ... / send an
 * unsolicited ND Neighbor Advertisement ... for each IPv6 address"), with keepalived's
 * timing ({@link GarpTiming}): a burst on becoming MASTER and a second one after
 * {@code garp_master_delay}; a burst every {@code garp_master_refresh} while MASTER; a
 * burst, and another after {@code garp_lower_prio_delay}, when a lower-priority
 * advertisement arrives while MASTER (at most once a second, so a flood of them cannot
 * turn into a flood of frames). Timers run on the instance's scheduler.
 */
final class VipAnnouncements {
    private static final Logger LOG = LoggerFactory.getLogger(VipAnnouncements.class);
    private static final long LOWER_PRIORITY_INTERVAL_NANOS = 1_000_000_000L;

    private final VrrpInstanceConfig config;
    private final GarpTiming timing;
    private final VipOwner owner;
    private final RateLimiter lowerPriorityLimiter;
    private final VrrpTimer secondBurst;
    private final VrrpTimer refresh;
    private final VrrpTimer lowerPrioritySecondBurst;

    VipAnnouncements(VrrpInstanceConfig config, VrrpScheduler scheduler, VipOwner owner) {
        this.config = config;
        this.timing = config.garp();
        this.owner = owner;
        this.lowerPriorityLimiter = new RateLimiter(LOWER_PRIORITY_INTERVAL_NANOS, scheduler::nanoTime);
        this.secondBurst = new VrrpTimer(scheduler, () -> burst(timing.masterRepeat()));
        this.refresh = new VrrpTimer(scheduler, this::refreshExpired);
        this.lowerPrioritySecondBurst = new VrrpTimer(scheduler, () -> burst(timing.lowerPriorityRepeat()));
    }

    /** The instance became MASTER (its addresses are in place). */
    void becameMaster() {
        burst(timing.masterRepeat());
        start(secondBurst, timing.masterDelay().toNanos());
        start(refresh, timing.masterRefresh().toNanos());
    }

    /**
     * A lower-priority advertisement arrived while MASTER: its sender believes it is master and
     * may have announced the addresses (a split brain healing, two routers starting together).
     *
     * @return whether a burst went out (false: one did less than a second ago)
     */
    boolean lowerPriorityAdvertisement() {
        if (!lowerPriorityLimiter.tryAcquire()) {
            return false;
        }
        burst(timing.lowerPriorityRepeat());
        start(lowerPrioritySecondBurst, timing.lowerPriorityDelay().toNanos());
        return true;
    }

    /** The instance is no longer MASTER: no more announcements. */
    void stop() {
        secondBurst.cancel();
        refresh.cancel();
        lowerPrioritySecondBurst.cancel();
    }

    private void refreshExpired() {
        burst(timing.masterRefreshRepeat());
        refresh.start(timing.masterRefresh().toNanos());
    }

    private static void start(VrrpTimer timer, long delayNanos) {
        if (delayNanos > 0) {
            timer.start(delayNanos);
        }
    }

    private void burst(int repeat) {
        try {
            owner.announce(config.interfaceName(), config.heldAddresses(), repeat);
        } catch (RuntimeException e) {
            LOG.warn("{}: announcing the virtual addresses failed", config.name(), e);
        }
    }
}
