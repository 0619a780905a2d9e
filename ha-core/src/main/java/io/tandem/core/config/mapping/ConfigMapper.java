package io.tandem.core.config.mapping;

import io.tandem.core.config.Diagnostics;
import io.tandem.core.config.keyword.Context;
import io.tandem.core.config.keyword.KeywordRegistry;
import io.tandem.core.config.model.Admin;
import io.tandem.core.config.model.GlobalDefs;
import io.tandem.core.config.model.IpAddressSpec;
import io.tandem.core.config.model.KeepalivedConfig;
import io.tandem.core.config.model.LocalAddressGroup;
import io.tandem.core.config.model.RouteSpec;
import io.tandem.core.config.model.SslContextConfig;
import io.tandem.core.config.model.SyncDaemon;
import io.tandem.core.config.model.TrackFile;
import io.tandem.core.config.model.VirtualServer;
import io.tandem.core.config.model.VirtualServerGroup;
import io.tandem.core.config.model.VrrpInstance;
import io.tandem.core.config.model.VrrpScript;
import io.tandem.core.config.model.VrrpSyncGroup;
import io.tandem.core.config.model.ZooKeeper;
import io.tandem.core.config.reader.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the block tree into a {@link KeepalivedConfig}: global_defs and virtual_server_group first
 * (other blocks take defaults from or refer to them), then every other top-level block through its mapper, then {@link CrossChecks}.
 * Problems go to the diagnostics; the model holds what could be mapped.
 */
public final class ConfigMapper {
    private final Diagnostics diagnostics;
    private final KeywordRegistry registry;

    public ConfigMapper(Diagnostics diagnostics) {
        this(diagnostics, KeywordRegistry.instance());
    }

    public ConfigMapper(Diagnostics diagnostics, KeywordRegistry registry) {
        this.diagnostics = diagnostics;
        this.registry = registry;
    }

    public KeepalivedConfig map(List<Node> top) {
        Values values = new Values(diagnostics);
        BlockWalker walker = new BlockWalker(registry, diagnostics);
        DefinedNames names = new DefinedNames(top, values);
        List<Node> globalBlocks = top.stream().filter(n -> n.keyword().equals("global_defs")).toList();
        GlobalDefs global = new GlobalDefsMapper(walker, values, names).map(globalBlocks);

        VrrpScriptMapper scripts = new VrrpScriptMapper(walker, values);
        VrrpInstanceMapper instances = new VrrpInstanceMapper(walker, values, names);
        VrrpSyncGroupMapper groups = new VrrpSyncGroupMapper(walker, values, names);
        CheckerMapper checkers = new CheckerMapper(walker, values, global.checkerLogAllFailures());
        List<VirtualServerGroup> vsGroups = new ArrayList<>();
        VirtualServerGroupMapper serverGroups = new VirtualServerGroupMapper(values);
        top.stream().filter(n -> n.keyword().equals("virtual_server_group"))
                .forEach(n -> serverGroups.map(n).ifPresent(vsGroups::add));
        VirtualServerMapper servers = new VirtualServerMapper(walker, values,
                new RealServerMapper(walker, values, checkers), names,
                name -> vsGroups.stream().filter(g -> g.name().equals(name)).findFirst());
        TandemBlocksMapper tandem = new TandemBlocksMapper(walker, values, names);
        AddressParser addresses = new AddressParser(values);
        Trackers lists = new Trackers(values, null);

        List<VrrpScript> vrrpScripts = new ArrayList<>();
        List<TrackFile> trackFiles = new ArrayList<>();
        List<VrrpInstance> vrrpInstances = new ArrayList<>();
        List<VrrpSyncGroup> syncGroups = new ArrayList<>();
        List<VirtualServer> virtualServers = new ArrayList<>();
        List<IpAddressSpec> staticAddresses = new ArrayList<>();
        List<RouteSpec> staticRoutes = new ArrayList<>();
        List<LocalAddressGroup> laddrGroups = new ArrayList<>();
        var single = new Object() {
            Optional<SslContextConfig> ssl = Optional.empty();
            Optional<SyncDaemon> syncDaemon = Optional.empty();
            Admin admin = Admin.DEFAULT;
            Optional<ZooKeeper> zooKeeper = Optional.empty();
        };
        Map<String, Node> seenSingle = new HashMap<>();
        Node root = new Node("", List.of(), io.tandem.core.config.Location.ofFile(java.nio.file.Path.of("")),
                top, true);
        walker.walk(root, Context.ROOT, n -> {
            switch (n.keyword()) {
                case "global_defs", "virtual_server_group" -> {
                    // mapped first, above
                }
                case "vrrp_script" -> scripts.script(n).ifPresent(vrrpScripts::add);
                case "track_file", "vrrp_track_file" -> scripts.trackFile(n).ifPresent(trackFiles::add);
                case "vrrp_instance" -> instances.map(n, global).ifPresent(vrrpInstances::add);
                case "vrrp_sync_group" -> groups.map(n).ifPresent(syncGroups::add);
                case "virtual_server" -> servers.map(n).ifPresent(virtualServers::add);
                case "static_ipaddress" -> lists.lines(n)
                        .forEach(l -> addresses.address(l).ifPresent(staticAddresses::add));
                case "static_routes" -> lists.lines(n).forEach(l -> addresses.route(l).ifPresent(staticRoutes::add));
                case "local_address_group" -> tandem.localAddressGroup(n).ifPresent(laddrGroups::add);
                case "SSL" -> {
                    if (once(seenSingle, n)) {
                        single.ssl = tandem.ssl(n);
                    }
                }
                case "sync_daemon" -> {
                    if (once(seenSingle, n)) {
                        single.syncDaemon = tandem.syncDaemon(n);
                    }
                    if (global.lvsSyncDaemon().isPresent()) {
                        diagnostics.error(n.location(), "sync_daemon and global_defs lvs_sync_daemon both configured"
                                + " (expected: one of them; sync_daemon can say everything lvs_sync_daemon can)");
                    }
                }
                case "admin" -> {
                    if (once(seenSingle, n)) {
                        single.admin = tandem.admin(n);
                    }
                }
                case "zookeeper" -> {
                    if (once(seenSingle, n)) {
                        single.zooKeeper = tandem.zooKeeper(n);
                    }
                }
                default -> throw VrrpScriptMapper.unmapped(n, "the top level");
            }
        });
        KeepalivedConfig config = new KeepalivedConfig(global, vrrpScripts, trackFiles, vrrpInstances, syncGroups,
                vsGroups, virtualServers, staticAddresses, staticRoutes, single.ssl, laddrGroups, single.syncDaemon,
                single.admin, single.zooKeeper);
        new CrossChecks(diagnostics).check(config);
        return config;
    }

    private boolean once(Map<String, Node> seen, Node n) {
        Node first = seen.putIfAbsent(n.keyword(), n);
        if (first != null) {
            diagnostics.error(n.location(), "second " + n.keyword() + " block (expected: one; the first is at "
                    + first.location() + ")");
            return false;
        }
        return true;
    }
}
