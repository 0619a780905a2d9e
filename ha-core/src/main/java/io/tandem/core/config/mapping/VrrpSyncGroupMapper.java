package io.tandem.core.config.mapping;

import io.tandem.core.config.keyword.Context;
import io.tandem.core.config.model.TrackedFile;
import io.tandem.core.config.model.TrackedInterface;
import io.tandem.core.config.model.TrackedScript;
import io.tandem.core.config.model.VrrpSyncGroup;
import io.tandem.core.config.reader.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Maps {@code vrrp_sync_group NAME { group { VI ... } ... }}. */
final class VrrpSyncGroupMapper {
    private final BlockWalker walker;
    private final Values values;
    private final Trackers trackers;
    private final DefinedNames names;

    VrrpSyncGroupMapper(BlockWalker walker, Values values, DefinedNames names) {
        this.walker = walker;
        this.values = values;
        this.trackers = new Trackers(values, names);
        this.names = names;
    }

    Optional<VrrpSyncGroup> map(Node block) {
        if (!values.shape(block, true)) {
            return Optional.empty();
        }
        String name = values.string(block, 0, "a group name");
        if (name == null) {
            return Optional.empty();
        }
        List<String> members = new ArrayList<>();
        List<TrackedInterface> interfaces = new ArrayList<>();
        List<TrackedScript> scripts = new ArrayList<>();
        List<TrackedFile> files = new ArrayList<>();
        VrrpInstanceMapper.NotifyDraft notify = new VrrpInstanceMapper.NotifyDraft();
        var flags = new Object() {
            boolean smtpAlert;
            boolean trackingWeight;
            boolean sawGroup;
        };
        walker.walk(block, Context.VRRP_SYNC_GROUP, n -> {
            boolean list = switch (n.keyword()) {
                case "group", "track_interface", "track_script", "track_file" -> true;
                default -> false;
            };
            if (!values.shape(n, list)) {
                return;
            }
            switch (n.keyword()) {
                case "group" -> {
                    flags.sawGroup = true;
                    trackers.lines(n).forEach(l -> l.words().forEach(member -> {
                        if (names.check(l, DefinedNames.Kind.VRRP_INSTANCE, member)) {
                            members.add(member);
                        }
                    }));
                }
                case "track_interface" -> interfaces.addAll(trackers.interfaces(n));
                case "track_script" -> scripts.addAll(trackers.scripts(n));
                case "track_file" -> files.addAll(trackers.files(n));
                case "notify_master", "notify_backup", "notify_fault", "notify_stop", "notify" ->
                        notify.set(n.keyword(), values.script(n));
                case "smtp_alert" -> GlobalDefsMapper.set(values.bool(n, 0, true), v -> flags.smtpAlert = v);
                case "sync_group_tracking_weight" -> flags.trackingWeight = true;
                default -> throw VrrpScriptMapper.unmapped(n, "vrrp_sync_group");
            }
        });
        if (!flags.sawGroup || members.isEmpty()) {
            values.error(block, "vrrp_sync_group " + name + ": no members (expected: group { INSTANCE ... })");
            return Optional.empty();
        }
        return Optional.of(new VrrpSyncGroup(name, block.location(), members, interfaces, scripts, files,
                notify.build(), flags.smtpAlert, flags.trackingWeight));
    }
}
