package io.tandem.forwarder.sched;

import java.util.List;
import java.util.Locale;

/** Creates a scheduler by its ipvsadm / keepalived.conf name and flags. */
public final class Schedulers {
    /** The names {@link #create} knows, in ipvsadm's order. */
    public static final List<String> NAMES =
            List.of("rr", "wrr", "lc", "wlc", "sh", "dh", "mh", "sed", "nq", "fo", "ovf");

    private Schedulers() {
    }

    /**
     * @param flags keepalived's scheduler flags: {@code sh-port}, {@code sh-fallback},
     *     {@code mh-port}, {@code mh-fallback} (others are ignored by the schedulers they do not concern)
     */
    public static Scheduler create(String name, List<String> flags) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "rr" -> new RoundRobinScheduler();
            case "wrr" -> new WeightedRoundRobinScheduler();
            case "lc" -> new LeastConnectionScheduler();
            case "wlc" -> new WeightedLeastConnectionScheduler();
            case "sed" -> new ShortestExpectedDelayScheduler();
            case "nq" -> new NeverQueueScheduler();
            case "fo" -> new WeightedFailoverScheduler();
            case "ovf" -> new OverflowScheduler();
            case "sh" -> HashBucketScheduler.sourceHashing(flags.contains("sh-port"), flags.contains("sh-fallback"));
            case "dh" -> HashBucketScheduler.destinationHashing();
            case "mh" -> new MaglevScheduler(MaglevScheduler.DEFAULT_TABLE_SIZE,
                    flags.contains("mh-port"), flags.contains("mh-fallback"));
            default -> throw new IllegalArgumentException("unknown scheduler: " + name + " (expected one of " + NAMES + ")");
        };
    }
}
