package io.tandem.vrrp.track;

import java.util.List;
import java.util.Objects;

/** One {@code vrrp_sync_group}: the instances, by name, that change state together. */
public record SyncGroupConfig(String name, List<String> members) {
    public SyncGroupConfig {
        Objects.requireNonNull(name, "name");
        members = List.copyOf(members);
    }
}
