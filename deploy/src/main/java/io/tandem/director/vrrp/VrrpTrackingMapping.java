package io.tandem.director.vrrp;

import io.tandem.core.config.model.GlobalDefs;
import io.tandem.core.config.model.KeepalivedConfig;
import io.tandem.core.config.model.NotifyFifo;
import io.tandem.core.config.model.NotifyScripts;
import io.tandem.core.config.model.ScriptCommand;
import io.tandem.core.config.model.TrackFile;
import io.tandem.core.config.model.TrackedFile;
import io.tandem.core.config.model.TrackedInterface;
import io.tandem.core.config.model.TrackedScript;
import io.tandem.core.config.model.VrrpInstance;
import io.tandem.core.config.model.VrrpScript;
import io.tandem.core.config.model.VrrpSyncGroup;
import io.tandem.core.process.CommandRunner;
import io.tandem.vrrp.VrrpCoordination;
import io.tandem.vrrp.VrrpTracker;
import io.tandem.vrrp.net.VrrpEngine;
import io.tandem.vrrp.notify.NotifyCommand;
import io.tandem.vrrp.notify.NotifyConfig;
import io.tandem.vrrp.notify.VrrpNotifier;
import io.tandem.vrrp.track.SyncGroupConfig;
import io.tandem.vrrp.track.TrackFileConfig;
import io.tandem.vrrp.track.VrrpScriptConfig;
import io.tandem.vrrp.track.VrrpTracking;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracking, sync-group and notify parts of a keepalived.conf for the VRRP engine, as
 * keepalived.conf(5) describes them:
 * <ul>
 * <li>{@code track_script} lines take the weight of the line, else the {@code vrrp_script}'s
 * (default 0: FAULT while down); {@code track_file} lines the line's, else the {@code track_file}'s
 * (default 1), which must fit -254 ~ 254 for an instance.</li>
 * <li>A sync group's {@code track_interface}, {@code track_script} and {@code track_file} apply to
 * every member. In a sync group, a tracker with a non-zero weight is ignored, with a warning,
 * unless {@code sync_group_tracking_weight} is set ("Any trackers with a non-zero priority will be
 * ignored").</li>
 * <li>Scripts run as their {@code user}, else {@code global_defs script_user}, else as Tandem.</li>
 * <li>{@code notify_*} of instances and groups, {@code notify_fifo} and {@code vrrp_notify_fifo}.</li>
 * </ul>
 * What the engine cannot do yet is refused with the block's {@code file:line}: a script group
 * ({@code user NAME GROUP}, {@code script_group}), {@code notify_master_rx_lower_pri}, the FIFOs'
 * {@code *_script} readers.
 */
final class VrrpTrackingMapping {
    private static final Logger LOG = LoggerFactory.getLogger(VrrpTrackingMapping.class);

    private final KeepalivedConfig config;
    private final GlobalDefs globals;

    VrrpTrackingMapping(KeepalivedConfig config) {
        this.config = config;
        this.globals = config.globalDefs();
    }

    /** The sync group {@code instance} is in, if any. */
    Optional<VrrpSyncGroup> groupOf(VrrpInstance instance) {
        return config.syncGroups().stream().filter(g -> g.instances().contains(instance.name())).findFirst();
    }

    /**
     * The trackers of {@code instance} beyond its own interface: its track_interface, track_script and
     * track_file lines and those of its sync group. {@code tracked} holds the interfaces already tracked.
     */
    List<VrrpTracker> trackers(VrrpInstance instance, Set<String> tracked) {
        String where = instance.location() + ": vrrp_instance " + instance.name();
        Optional<VrrpSyncGroup> group = groupOf(instance);
        boolean weightsAllowed = group.map(VrrpSyncGroup::trackingWeight).orElse(true);
        Map<String, VrrpTracker> out = new LinkedHashMap<>();
        List<TrackedInterface> interfaces = new ArrayList<>(instance.trackInterfaces());
        List<TrackedScript> scripts = new ArrayList<>(instance.trackScripts());
        List<TrackedFile> files = new ArrayList<>(instance.trackFiles());
        group.ifPresent(g -> {
            interfaces.addAll(g.trackInterfaces());
            scripts.addAll(g.trackScripts());
            files.addAll(g.trackFiles());
        });
        for (TrackedInterface t : interfaces) {
            if (!tracked.contains(t.name())) {
                add(out, new VrrpTracker(VrrpEngine.interfaceTracker(t.name()), t.weight(), t.reverse(),
                        VrrpTracker.Kind.STATUS), weightsAllowed, where, group);
                tracked.add(t.name());
            }
        }
        for (TrackedScript t : scripts) {
            VrrpScript script = config.vrrpScripts().stream().filter(s -> s.name().equals(t.name())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(where + ": track_script " + t.name()
                            + ": no such vrrp_script (expected: one of " + config.vrrpScripts().stream()
                            .map(VrrpScript::name).toList() + ")"));
            int weight = t.weight().orElse(script.weight());
            add(out, new VrrpTracker(VrrpTracking.scriptTracker(t.name()), weight,
                    t.reverse() || script.weightReverse(), VrrpTracker.Kind.STATUS), weightsAllowed, where, group);
        }
        for (TrackedFile t : files) {
            TrackFile file = trackFile(t.name()).orElseThrow(() -> new IllegalArgumentException(where
                    + ": track_file " + t.name() + ": no such track_file (expected: one of "
                    + config.trackFiles().stream().map(TrackFile::name).toList() + ")"));
            long weight = t.weight().isPresent() ? t.weight().getAsInt() : file.weight();
            if (weight < -254 || weight > 254) {
                throw new IllegalArgumentException(where + ": track_file " + t.name() + ": weight " + weight
                        + " (from " + file.location() + ") is out of range for a vrrp_instance (expected: -254 ~ 254)");
            }
            add(out, new VrrpTracker(VrrpTracking.fileTracker(t.name()), (int) weight,
                    t.reverse() || file.weightReverse(), VrrpTracker.Kind.VALUE), weightsAllowed, where, group);
        }
        return List.copyOf(out.values());
    }

    private static void add(Map<String, VrrpTracker> out, VrrpTracker tracker, boolean weightsAllowed, String where,
                            Optional<VrrpSyncGroup> group) {
        if (tracker.weight() != 0 && !weightsAllowed) {
            LOG.warn("{}: {} has weight {} in vrrp_sync_group {}: ignored, as keepalived does (expected: weight 0,"
                    + " or sync_group_tracking_weight)", where, tracker.name(), tracker.weight(),
                    group.map(VrrpSyncGroup::name).orElse("?"));
            return;
        }
        out.putIfAbsent(tracker.name(), tracker);
    }

    private Optional<TrackFile> trackFile(String name) {
        return config.trackFiles().stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** The scripts, files and groups for the engine, with {@code runner} for the scripts. */
    VrrpCoordination coordination(CommandRunner runner) {
        List<VrrpScriptConfig> scripts = new ArrayList<>();
        for (VrrpScript s : config.vrrpScripts()) {
            String where = s.location() + ": vrrp_script " + s.name();
            Optional<String> user = user(s.script(), where);
            try {
                scripts.add(new VrrpScriptConfig(s.name(), s.script().argv(), user, s.interval(),
                        s.timeout(), s.rise(), s.fall(), s.initFail()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        List<TrackFileConfig> files = config.trackFiles().stream()
                .map(f -> new TrackFileConfig(f.name(), f.file(), f.initValue(), f.initOverwrite())).toList();
        List<SyncGroupConfig> groups = config.syncGroups().stream()
                .map(g -> new SyncGroupConfig(g.name(), g.instances())).toList();
        return new VrrpCoordination(scripts, files, groups, runner);
    }

    /** Each instance's notify scripts, by name. */
    Map<String, NotifyConfig> instanceNotifies() {
        Map<String, NotifyConfig> out = new LinkedHashMap<>();
        for (VrrpInstance i : config.vrrpInstances()) {
            out.put(i.name(), notify(i.notifyScripts(), i.location() + ": vrrp_instance " + i.name()));
        }
        return out;
    }

    /** Each sync group's members and notify scripts. */
    List<VrrpNotifier.Group> groupNotifies() {
        return config.syncGroups().stream().map(g -> new VrrpNotifier.Group(g.name(), g.instances(),
                notify(g.notifyScripts(), g.location() + ": vrrp_sync_group " + g.name()))).toList();
    }

    /** {@code notify_fifo} and {@code vrrp_notify_fifo}, which both carry the VRRP events. */
    List<Path> fifos() {
        List<Path> out = new ArrayList<>();
        for (Optional<NotifyFifo> fifo : List.of(globals.notifyFifo(), globals.vrrpNotifyFifo())) {
            if (fifo.isEmpty()) {
                continue;
            }
            if (fifo.get().script().isPresent()) {
                throw new IllegalArgumentException("global_defs: the notify FIFO script "
                        + fifo.get().script().get().commandLine() + " is not supported yet; keepalived would start it"
                        + " to read " + fifo.get().path() + " (expected: a FIFO read by a process of your own)");
            }
            if (!out.contains(fifo.get().path())) {
                out.add(fifo.get().path());
            }
        }
        return out;
    }

    private NotifyConfig notify(NotifyScripts n, String where) {
        if (n.masterRxLowerPriority().isPresent()) {
            throw new IllegalArgumentException(where + ": notify_master_rx_lower_pri is not supported yet;"
                    + " keepalived would run it when a master hears a lower-priority master (expected: no such line)");
        }
        return new NotifyConfig(command(n.master(), where), command(n.backup(), where), command(n.fault(), where),
                command(n.stop(), where), command(n.any(), where));
    }

    private Optional<NotifyCommand> command(Optional<ScriptCommand> c, String where) {
        return c.map(s -> new NotifyCommand(s.argv(), user(s, where)));
    }

    /** The script's user, else script_user; a group is refused (the runner runs as a user only). */
    private Optional<String> user(ScriptCommand s, String where) {
        if (s.group().isPresent() || (s.user().isEmpty() && globals.scriptGroup().isPresent())) {
            throw new IllegalArgumentException(where + ": " + s.commandLine() + ": running scripts as group "
                    + s.group().or(globals::scriptGroup).orElseThrow() + " is not supported yet"
                    + " (expected: a user only, whose own group applies)");
        }
        return s.user().or(globals::scriptUser);
    }
}
