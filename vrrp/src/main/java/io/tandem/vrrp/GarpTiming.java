package io.tandem.vrrp;

import java.time.Duration;
import java.util.Objects;

/**
 * When a master announces its addresses (gratuitous ARP for IPv4, unsolicited Neighbor
 * Advertisements for IPv6), as keepalived.conf(5)'s {@code garp_*} keywords say:
 * {@code masterRepeat} frames per address on becoming MASTER and the same again after
 * {@code masterDelay} (zero: no second burst); every {@code masterRefresh} while MASTER,
 * {@code masterRefreshRepeat} frames (zero: no refresh); on an advertisement of lower
 * priority while MASTER, {@code lowerPriorityRepeat} frames and the same again after
 * {@code lowerPriorityDelay}.
 */
public record GarpTiming(Duration masterDelay, int masterRepeat, Duration masterRefresh, int masterRefreshRepeat,
                         Duration lowerPriorityDelay, int lowerPriorityRepeat) {
    /** keepalived's defaults: 5 s, 5 frames, no refresh (1 frame when set), 5 s, 5 frames. */
    public static final GarpTiming DEFAULTS = new GarpTiming(Duration.ofSeconds(5), 5, Duration.ZERO, 1,
            Duration.ofSeconds(5), 5);

    public GarpTiming {
        requireDelay("garp_master_delay", masterDelay);
        requireDelay("garp_master_refresh", masterRefresh);
        requireDelay("garp_lower_prio_delay", lowerPriorityDelay);
        requireRepeat("garp_master_repeat", masterRepeat);
        requireRepeat("garp_master_refresh_repeat", masterRefreshRepeat);
        requireRepeat("garp_lower_prio_repeat", lowerPriorityRepeat);
    }

    private static void requireDelay(String keyword, Duration delay) {
        Objects.requireNonNull(delay, keyword);
        if (delay.isNegative()) {
            throw new IllegalArgumentException("invalid " + keyword + ": " + delay + " (expected: >= 0)");
        }
    }

    private static void requireRepeat(String keyword, int repeat) {
        if (repeat < 1 || repeat > 255) {
            throw new IllegalArgumentException("invalid " + keyword + ": " + repeat + " (expected: 1 ~ 255)");
        }
    }

    /** These settings with {@code repeat} frames and {@code delay} to the second burst after becoming MASTER. */
    public GarpTiming withMaster(int repeat, Duration delay) {
        return new GarpTiming(delay, repeat, masterRefresh, masterRefreshRepeat, lowerPriorityDelay,
                lowerPriorityRepeat);
    }
}
