package io.tandem.director.vrrp;

import io.tandem.vrrp.VrrpInstanceConfig;
import io.tandem.vrrp.VrrpTracker;
import io.tandem.vrrp.track.SyncGroupConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a reload does to the VRRP instances, by name:
 * <ul>
 * <li>{@code kept}: the same instance configuration, the same tracked scripts and files, the same
 *     sync group: it goes on with its state (no transition, no gratuitous ARP, no VIP re-added).</li>
 * <li>{@code restarted}: in both files but something of the above changed: it is shut down
 *     (priority-0 advert, VIPs released, the peer takes over at once if it can) and started
 *     again from INIT with the new configuration. keepalived's reload keeps an instance's state
 *     where it can; Tandem restarts a changed instance rather than mutate a running state machine.</li>
 * <li>{@code added} start from INIT; {@code removed} are shut down like a stop.</li>
 * </ul>
 * A sync group restarts as a whole: when one member is not kept, no member is (its members
 * move together, so they start together).
 */
public record VrrpChanges(Set<String> kept, Set<String> restarted, Set<String> added, Set<String> removed,
                          boolean notificationsChanged) {
    public VrrpChanges {
        kept = sorted(kept);
        restarted = sorted(restarted);
        added = sorted(added);
        removed = sorted(removed);
    }

    private static Set<String> sorted(Set<String> names) {
        return java.util.Collections.unmodifiableSortedSet(new TreeSet<>(names));
    }

    public static VrrpChanges of(VrrpPart old, VrrpPart next) {
        Set<String> oldNames = names(old);
        Set<String> newNames = names(next);
        Set<String> kept = new LinkedHashSet<>();
        for (String name : newNames) {
            if (oldNames.contains(name) && unchanged(old, next, name)) {
                kept.add(name);
            }
        }
        // a sync group (as it was or as it is now) with a member that is not kept restarts whole
        boolean shrunk = true;
        while (shrunk) {
            shrunk = false;
            for (VrrpPart part : List.of(old, next)) {
                for (SyncGroupConfig g : part.syncGroups()) {
                    if (!kept.containsAll(g.members()) && kept.removeAll(g.members())) {
                        shrunk = true;
                    }
                }
            }
        }
        Set<String> restarted = new TreeSet<>();
        Set<String> added = new TreeSet<>();
        for (String name : newNames) {
            if (!kept.contains(name)) {
                (oldNames.contains(name) ? restarted : added).add(name);
            }
        }
        Set<String> removed = new TreeSet<>(oldNames);
        removed.removeAll(newNames);
        return new VrrpChanges(kept, restarted, added, removed, !old.sameNotifications(next));
    }

    private static Set<String> names(VrrpPart part) {
        Set<String> names = new LinkedHashSet<>();
        part.instances().forEach(i -> names.add(i.name()));
        return names;
    }

    private static boolean unchanged(VrrpPart old, VrrpPart next, String name) {
        VrrpInstanceConfig before = old.instance(name).orElseThrow();
        VrrpInstanceConfig after = next.instance(name).orElseThrow();
        if (!before.equals(after) || !old.groupOf(name).equals(next.groupOf(name))) {
            return false;
        }
        for (VrrpTracker t : after.trackers()) {
            if (!same(old.script(t), next.script(t)) || !same(old.trackFile(t), next.trackFile(t))) {
                return false;
            }
        }
        return true;
    }

    private static <T> boolean same(Optional<T> a, Optional<T> b) {
        return Objects.equals(a.orElse(null), b.orElse(null));
    }

    /** True when nothing of VRRP changes. */
    public boolean none() {
        return restarted.isEmpty() && added.isEmpty() && removed.isEmpty() && !notificationsChanged;
    }

    /** For the reload's log line: {@code vrrp: kept [VI_1], restarted [VI_2], added [], removed []}. */
    public String summary() {
        List<String> parts = new ArrayList<>();
        parts.add("kept " + kept);
        if (!restarted.isEmpty()) {
            parts.add("restarted " + restarted);
        }
        if (!added.isEmpty()) {
            parts.add("added " + added);
        }
        if (!removed.isEmpty()) {
            parts.add("removed " + removed);
        }
        if (notificationsChanged) {
            parts.add("notify scripts replaced");
        }
        return "vrrp: " + String.join(", ", parts);
    }
}
