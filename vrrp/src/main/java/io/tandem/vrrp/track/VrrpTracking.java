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
 *
 * <p>On a reload, {@link #reconfigure} keeps running every script whose configuration did not
 * change (its state carries over, as keepalived's reload keeps a script's result), stops the
 * ones no instance tracks any more, and tells the new instances the kept scripts' states.
 */
public final class VrrpTracking implements AutoCloseable {
    private List<VrrpInstance> instances;
    private final VrrpScheduler scheduler;
    private final CommandRunner runner;
    private final List<ScriptTracker> scripts = new ArrayList<>();
    private final Map<String, TrackFileConfig> files = new LinkedHashMap<>();
    private TrackFileWatcher watcher;
    /** What {@link #start} starts: every script at first, the new ones after a reload. */
    private final List<ScriptTracker> unstarted = new ArrayList<>();

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
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.runner = Objects.requireNonNull(runner, "runner");
        configure(instances, scriptConfigs, fileConfigs);
    }

    /** Finds what the instances track and makes the trackers of scripts not running yet. */
    private void configure(List<VrrpInstance> newInstances, List<VrrpScriptConfig> scriptConfigs,
                           List<TrackFileConfig> fileConfigs) {
        this.instances = List.copyOf(newInstances);
        files.clear();
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
        List<ScriptTracker> running = new ArrayList<>(scripts);
        scripts.clear();
        for (Map.Entry<String, VrrpScriptConfig> e : usedScripts.entrySet()) {
            String tracker = e.getKey();
            ScriptTracker same = running.stream().filter(r -> r.config().equals(e.getValue())).findFirst()
                    .orElse(null);
            if (same != null) {
                running.remove(same);
                scripts.add(same);
            } else {
                ScriptTracker created = new ScriptTracker(e.getValue(), scheduler, runner, up -> setUp(tracker, up));
                scripts.add(created);
                unstarted.add(created);
            }
        }
        running.forEach(ScriptTracker::close);
    }

    /**
     * A reload: {@code newInstances} are all the instances now, {@code fresh} those among them
     * that were just made. Scripts with an unchanged configuration keep running and their state
     * is applied to the fresh instances; new scripts and the track files are prepared as at start.
     * Call on the scheduler's thread before the fresh instances start, then {@link #start}.
     */
    public void reconfigure(List<VrrpInstance> newInstances, List<VrrpInstance> fresh,
                            List<VrrpScriptConfig> scriptConfigs, List<TrackFileConfig> fileConfigs)
            throws IOException {
        List<ScriptTracker> before = List.copyOf(scripts);
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
        configure(newInstances, scriptConfigs, fileConfigs);
        for (ScriptTracker s : scripts) {
            if (before.contains(s) && !s.up()) {
                String tracker = scriptTracker(s.config().name());
                fresh.stream().filter(i -> tracks(i, tracker)).forEach(i -> i.setTrackerUp(tracker, false));
            }
        }
        prepare(unstarted);
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
        prepare(scripts);
    }

    private void prepare(List<ScriptTracker> newScripts) throws IOException {
        for (ScriptTracker s : newScripts) {
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
        unstarted.forEach(ScriptTracker::start);
        unstarted.clear();
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
