package io.tandem.vrrp;

import io.tandem.core.process.CommandRunner;
import io.tandem.vrrp.track.SyncGroupConfig;
import io.tandem.vrrp.track.TrackFileConfig;
import io.tandem.vrrp.track.VrrpScriptConfig;
import java.util.List;
import java.util.Objects;

/**
 * What ties the instances of an engine to each other and to the host: the {@code vrrp_script}s
 * and {@code track_file}s their trackers name, the sync groups, the runner for the scripts, and the
 * fence that mastership must pass ({@link MastershipFence#NONE} for plain VRRP).
 */
public record VrrpCoordination(List<VrrpScriptConfig> scripts, List<TrackFileConfig> trackFiles,
                               List<SyncGroupConfig> syncGroups, CommandRunner runner, MastershipFence fence) {
    public VrrpCoordination {
        scripts = List.copyOf(scripts);
        trackFiles = List.copyOf(trackFiles);
        syncGroups = List.copyOf(syncGroups);
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(fence, "fence");
    }

    /** Without fencing. */
    public VrrpCoordination(List<VrrpScriptConfig> scripts, List<TrackFileConfig> trackFiles,
                            List<SyncGroupConfig> syncGroups, CommandRunner runner) {
        this(scripts, trackFiles, syncGroups, runner, MastershipFence.NONE);
    }

    /** The same, with mastership fenced by {@code newFence}. */
    public VrrpCoordination withFence(MastershipFence newFence) {
        return new VrrpCoordination(scripts, trackFiles, syncGroups, runner, newFence);
    }

    /** No scripts, files or groups. */
    public static VrrpCoordination none() {
        return new VrrpCoordination(List.of(), List.of(), List.of(), (argv, user, timeout) -> {
            throw new IllegalStateException("no command runner (expected: none needed without vrrp_scripts)");
        });
    }
}
