package io.tandem.core.config.model;

import java.util.List;
import java.util.Optional;

/** A whole configuration: keepalived's blocks and Tandem's additions, immutable. */
public record KeepalivedConfig(GlobalDefs globalDefs, List<VrrpScript> vrrpScripts, List<TrackFile> trackFiles,
                               List<VrrpInstance> vrrpInstances, List<VrrpSyncGroup> syncGroups,
                               List<VirtualServerGroup> virtualServerGroups, List<VirtualServer> virtualServers,
                               List<IpAddressSpec> staticAddresses, List<RouteSpec> staticRoutes,
                               Optional<SslContextConfig> ssl, List<LocalAddressGroup> localAddressGroups,
                               Optional<SyncDaemon> syncDaemon, Admin admin, Optional<ZooKeeper> zooKeeper) {
    public KeepalivedConfig {
        vrrpScripts = List.copyOf(vrrpScripts);
        trackFiles = List.copyOf(trackFiles);
        vrrpInstances = List.copyOf(vrrpInstances);
        syncGroups = List.copyOf(syncGroups);
        virtualServerGroups = List.copyOf(virtualServerGroups);
        virtualServers = List.copyOf(virtualServers);
        staticAddresses = List.copyOf(staticAddresses);
        staticRoutes = List.copyOf(staticRoutes);
        localAddressGroups = List.copyOf(localAddressGroups);
    }

    /** The same configuration with {@code servers} as its virtual servers. */
    public KeepalivedConfig withVirtualServers(List<VirtualServer> servers) {
        return new KeepalivedConfig(globalDefs, vrrpScripts, trackFiles, vrrpInstances, syncGroups, virtualServerGroups,
                servers, staticAddresses, staticRoutes, ssl, localAddressGroups, syncDaemon, admin, zooKeeper);
    }

    public Optional<VrrpInstance> vrrpInstance(String name) {
        return vrrpInstances.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    public Optional<VrrpScript> vrrpScript(String name) {
        return vrrpScripts.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
