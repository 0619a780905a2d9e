package io.tandem.core.config.model;

import io.tandem.core.config.Location;
import java.util.List;

/** A {@code vrrp_sync_group}: instances that change state together, their shared trackers and notifies. */
public record VrrpSyncGroup(String name, Location location, List<String> instances,
                            List<TrackedInterface> trackInterfaces, List<TrackedScript> trackScripts,
                            List<TrackedFile> trackFiles, NotifyScripts notifyScripts, boolean smtpAlert,
                            boolean trackingWeight) {
    public VrrpSyncGroup {
        instances = List.copyOf(instances);
        trackInterfaces = List.copyOf(trackInterfaces);
        trackScripts = List.copyOf(trackScripts);
        trackFiles = List.copyOf(trackFiles);
    }
}
