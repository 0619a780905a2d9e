package io.tandem.director.vrrp;

import io.tandem.core.config.model.Garp;
import io.tandem.core.config.model.KeepalivedConfig;
import io.tandem.core.process.CommandRunner;
import io.tandem.vrrp.VrrpCoordination;
import io.tandem.vrrp.VrrpInstanceConfig;
import io.tandem.vrrp.VrrpTracker;
import io.tandem.vrrp.notify.NotifyConfig;
import io.tandem.vrrp.notify.VrrpNotifier;
import io.tandem.vrrp.track.SyncGroupConfig;
import io.tandem.vrrp.track.TrackFileConfig;
import io.tandem.vrrp.track.VrrpScriptConfig;
import io.tandem.vrrp.track.VrrpTracking;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything of a keepalived.conf that the VRRP engine runs, as the engine's own values: the
 * instances (with their trackers), the scripts and files they track, the sync groups, the notify
 * scripts and FIFOs, and the gratuitous-ARP timing. Two of them compare value by value, so a
 * reload can tell which instances changed ({@code io.tandem.director.reload.VrrpChanges}).
 *
 * @param garpRepeat {@code garp_master_repeat} of the first instance (the engine's, for all)
 * @param garpDelay  {@code garp_master_delay} of the first instance
 */
public record VrrpPart(List<VrrpInstanceConfig> instances, List<VrrpScriptConfig> scripts,
                       List<TrackFileConfig> trackFiles, List<SyncGroupConfig> syncGroups,
                       Map<String, NotifyConfig> instanceNotifies, List<VrrpNotifier.Group> groupNotifies,
                       List<Path> fifos, int garpRepeat, Duration garpDelay) {
    public VrrpPart {
        instances = List.copyOf(instances);
        scripts = List.copyOf(scripts);
        trackFiles = List.copyOf(trackFiles);
        syncGroups = List.copyOf(syncGroups);
        instanceNotifies = Map.copyOf(instanceNotifies);
        groupNotifies = List.copyOf(groupNotifies);
        fifos = List.copyOf(fifos);
    }

    /**
     * The VRRP part of {@code config}; primary addresses come from {@code addresses}.
     *
     * @throws IllegalArgumentException with the offending block's {@code file:line}
     */
    public static VrrpPart of(KeepalivedConfig config, VrrpConfigMapping.InterfaceAddresses addresses) {
        VrrpTrackingMapping tracking = new VrrpTrackingMapping(config);
        List<VrrpInstanceConfig> instances = new VrrpConfigMapping(config, addresses).mapAll(config.vrrpInstances());
        VrrpCoordination c = tracking.coordination((argv, user, timeout) -> {
            throw new IllegalStateException("not running");
        });
        Garp garp = config.vrrpInstances().isEmpty() ? Garp.DEFAULTS : config.vrrpInstances().getFirst().garp();
        return new VrrpPart(instances, c.scripts(), c.trackFiles(), c.syncGroups(), tracking.instanceNotifies(),
                tracking.groupNotifies(), tracking.fifos(), Math.max(1, garp.masterRepeat()), garp.masterDelay());
    }

    /** The scripts, files and groups for the engine, the scripts run by {@code runner}. */
    public VrrpCoordination coordination(CommandRunner runner) {
        return new VrrpCoordination(scripts, trackFiles, syncGroups, runner);
    }

    public Optional<VrrpInstanceConfig> instance(String name) {
        return instances.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    /** The sync group with {@code instance} among its members, if any. */
    public Optional<SyncGroupConfig> groupOf(String instance) {
        return syncGroups.stream().filter(g -> g.members().contains(instance)).findFirst();
    }

    /** The script a tracker name ({@link VrrpTracking#scriptTracker}) stands for, if it is one of this file's. */
    public Optional<VrrpScriptConfig> script(VrrpTracker tracker) {
        return scripts.stream().filter(s -> VrrpTracking.scriptTracker(s.name()).equals(tracker.name())).findFirst();
    }

    /** The track file a tracker name ({@link VrrpTracking#fileTracker}) stands for, if it is one of this file's. */
    public Optional<TrackFileConfig> trackFile(VrrpTracker tracker) {
        return trackFiles.stream().filter(f -> VrrpTracking.fileTracker(f.name()).equals(tracker.name())).findFirst();
    }

    /** True when the notify scripts and FIFOs are the same as {@code other}'s. */
    public boolean sameNotifications(VrrpPart other) {
        return notifying(instanceNotifies).equals(notifying(other.instanceNotifies))
                && groupNotifies.equals(other.groupNotifies) && fifos.equals(other.fifos);
    }

    /** The instances that have notify scripts (an instance without any is no change to the notifier). */
    private static Map<String, NotifyConfig> notifying(Map<String, NotifyConfig> notifies) {
        Map<String, NotifyConfig> out = new java.util.HashMap<>(notifies);
        out.values().removeIf(NotifyConfig.NONE::equals);
        return out;
    }
}
