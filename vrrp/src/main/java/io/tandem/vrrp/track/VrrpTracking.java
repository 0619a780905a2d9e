package io.tandem.vrrp.track;

import io.tandem.core.process.CommandRunner;
import io.tandem.vrrp.VrrpTracker;
import io.tandem.vrrp.engine.VrrpInstance;
import io.tandem.vrrp.engine.VrrpScheduler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The scripts and files the instances track, wired to them: each {@code vrrp_script} that
 * some instance tracks (a tracker named {@link #scriptTracker}) runs in a
 * {@link ScriptTracker}, each tracked {@code track_file} (a tracker named
 * {@link #fileTracker}) is followed by a {@link TrackFileWatcher}; every change reaches
 * each instance that tracks it, on the instances' scheduler. A script or file nobody tracks
 * is not run or read, as in keepalived.
 *
 * <p>{@link #prepare} (on the scheduler's thread, before the instances start) applies the
 * initial states ({@code init_fail}, the files' values read now), so an instance starts
 * already knowing them; {@link #start} begins the runs.
 */
public final class VrrpTracking implements AutoCloseable {
    private final List<VrrpInstance> instances;
    private final VrrpScheduler scheduler;
    private final List<ScriptTracker> scripts = new ArrayList<>();
    private final Map<String, TrackFileConfig> files = new LinkedHashMap<>();
    private TrackFileWatcher watcher;

    /** The tracker name of {@code vrrp_script NAME}. */
    public static String scriptTracker(String scriptName) {
        return "script " + scriptName;
    }

    /** The tracker name of {@code track_file NAME}. */
    public static String fileTracker(String fileName) {
        return "file " + fileName;
    }

    /**
     * @throws IllegalArgumentException when an instance tracks a script or file not defined
     */
    public VrrpTracking(List<VrrpInstance> instances, List<VrrpScriptConfig> scriptConfigs,
                        List<TrackFileConfig> fileConfigs, VrrpScheduler scheduler, CommandRunner runner) {
        this.instances = List.copyOf(instances);
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        Map<String, VrrpScriptConfig> scriptsByTracker = new LinkedHashMap<>();
        scriptConfigs.forEach(s -> scriptsByTracker.put(scriptTracker(s.name()), s));
        Map<String, TrackFileConfig> filesByTracker = new LinkedHashMap<>();
        fileConfigs.forEach(f -> filesByTracker.put(fileTracker(f.name()), f));
        Map<String, VrrpScriptConfig> usedScripts = new LinkedHashMap<>();
        for (VrrpInstance instance : this.instances) {
            for (VrrpTracker t : instance.config().trackers()) {
                if (t.name().startsWith("script ")) {
                    VrrpScriptConfig s = scriptsByTracker.get(t.name());
                    if (s == null) {
                        throw new IllegalArgumentException("invalid tracker of " + instance.name() + ": " + t.name()
                                + " (expected: one of the vrrp_scripts " + scriptsByTracker.keySet() + ")");
                    }
                    usedScripts.put(t.name(), s);
                } else if (t.name().startsWith("file ")) {
                    TrackFileConfig f = filesByTracker.get(t.name());
                    if (f == null) {
                        throw new IllegalArgumentException("invalid tracker of " + instance.name() + ": " + t.name()
                                + " (expected: one of the track_files " + filesByTracker.keySet() + ")");
                    }
                    files.put(t.name(), f);
                }
            }
        }
        for (Map.Entry<String, VrrpScriptConfig> e : usedScripts.entrySet()) {
            String tracker = e.getKey();
            scripts.add(new ScriptTracker(e.getValue(), scheduler, runner, up -> setUp(tracker, up)));
        }
    }

    /** The scripts that run. */
    public List<ScriptTracker> scripts() {
        return List.copyOf(scripts);
    }

    /**
     * Initialises and reads the track files, and applies the initial states to the instances.
     * Call on the scheduler's thread before the instances start.
     */
    public void prepare() throws IOException {
        for (ScriptTracker s : scripts) {
            if (!s.up()) {
                setUp(scriptTracker(s.config().name()), false);
            }
        }
        if (!files.isEmpty()) {
            watcher = new TrackFileWatcher(List.copyOf(files.values()), (f, value) -> scheduler.schedule(
                    () -> setValue(fileTracker(f.name()), value), 0));
            for (TrackFileConfig f : files.values()) {
                setValue(fileTracker(f.name()), TrackFileWatcher.read(f.file()));
            }
        }
    }

    /** Starts the scripts and the file watcher. Call on the scheduler's thread. */
    public void start() {
        scripts.forEach(ScriptTracker::start);
        if (watcher != null) {
            watcher.start();
        }
    }

    private void setUp(String tracker, boolean up) {
        for (VrrpInstance instance : instances) {
            if (tracks(instance, tracker)) {
                instance.setTrackerUp(tracker, up);
            }
        }
    }

    private void setValue(String tracker, long value) {
        for (VrrpInstance instance : instances) {
            if (tracks(instance, tracker)) {
                instance.setTrackerValue(tracker, value);
            }
        }
    }

    private static boolean tracks(VrrpInstance instance, String tracker) {
        for (VrrpTracker t : instance.config().trackers()) {
            if (t.name().equals(tracker)) {
                return true;
            }
        }
        return false;
    }

    /** Stops the scripts and the watcher. */
    @Override
    public void close() {
        scripts.forEach(ScriptTracker::close);
        if (watcher != null) {
            watcher.close();
        }
    }
}
