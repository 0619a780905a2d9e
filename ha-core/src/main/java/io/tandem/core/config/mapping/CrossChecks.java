package io.tandem.core.config.mapping;

import io.tandem.core.config.Diagnostics;
import io.tandem.core.config.Location;
import io.tandem.core.config.model.ForwardingMethod;
import io.tandem.core.config.model.KeepalivedConfig;
import io.tandem.core.config.model.LocalAddressGroup;
import io.tandem.core.config.model.State;
import io.tandem.core.config.model.VirtualServer;
import io.tandem.core.config.model.VirtualServerGroup;
import io.tandem.core.config.model.VrrpInstance;
import io.tandem.core.config.model.VrrpScript;
import io.tandem.core.config.model.VrrpSyncGroup;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Checks that need the whole model: names defined twice, two instances with one VRID on one
 * interface (RFC 5798 section 5.2.3: the VRID identifies the router on a LAN), an instance in two sync
 * groups, sync-group members with weighted trackers, FULLNAT services without local addresses, and
 * virtual servers defined twice. References to undefined names are checked where they are written.
 */
final class CrossChecks {
    private final Diagnostics diagnostics;

    CrossChecks(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    void check(KeepalivedConfig c) {
        unique(c.vrrpInstances(), VrrpInstance::name, VrrpInstance::location, "vrrp_instance");
        unique(c.vrrpScripts(), VrrpScript::name, VrrpScript::location, "vrrp_script");
        unique(c.syncGroups(), VrrpSyncGroup::name, VrrpSyncGroup::location, "vrrp_sync_group");
        unique(c.virtualServerGroups(), VirtualServerGroup::name, VirtualServerGroup::location, "virtual_server_group");
        unique(c.localAddressGroups(), LocalAddressGroup::name, LocalAddressGroup::location, "local_address_group");
        unique(c.virtualServers(), vs -> vs.address() + "/" + vs.protocol(), VirtualServer::location, "virtual_server");
        virtualRouterIds(c.vrrpInstances());
        syncGroupMembers(c);
        ownerState(c.vrrpInstances());
        fullNat(c.virtualServers());
        discovery(c);
    }

    /** {@code real_server_discovery} reads ZooKeeper: it needs the zookeeper block. */
    private void discovery(KeepalivedConfig c) {
        if (c.zooKeeper().isPresent()) {
            return;
        }
        for (VirtualServer vs : c.virtualServers()) {
            vs.discovery().ifPresent(d -> diagnostics.error(d.location(), "real_server_discovery " + d.path()
                    + ": no zookeeper block (expected: zookeeper { connect HOST:PORT } to read the registrations from)"));
        }
    }

    private <T> void unique(List<T> items, Function<T, String> key, Function<T, Location> at, String what) {
        Map<String, T> seen = new HashMap<>();
        for (T item : items) {
            T first = seen.putIfAbsent(key.apply(item), item);
            if (first != null) {
                diagnostics.error(at.apply(item), what + " " + key.apply(item) + " is defined twice (the first is at "
                        + at.apply(first) + ")");
            }
        }
    }

    private void virtualRouterIds(List<VrrpInstance> instances) {
        Map<String, VrrpInstance> seen = new HashMap<>();
        for (VrrpInstance i : instances) {
            if (i.interfaceName().isEmpty()) {
                continue;
            }
            String key = i.interfaceName().get() + "/" + i.virtualRouterId() + "/" + (i.isIpv6() ? "6" : "4");
            VrrpInstance first = seen.putIfAbsent(key, i);
            if (first != null) {
                diagnostics.error(i.location(), "vrrp_instance " + i.name() + ": virtual_router_id " + i.virtualRouterId()
                        + " on " + i.interfaceName().get() + " is already used by " + first.name() + " at "
                        + first.location() + " (expected: one VRID per interface and address family, RFC 5798 5.2.3)");
            }
        }
    }

    private void syncGroupMembers(KeepalivedConfig c) {
        Map<String, VrrpSyncGroup> groupOf = new HashMap<>();
        for (VrrpSyncGroup g : c.syncGroups()) {
            for (String member : g.instances()) {
                VrrpSyncGroup first = groupOf.putIfAbsent(member, g);
                if (first != null && first != g) {
                    diagnostics.error(g.location(), "vrrp_sync_group " + g.name() + ": instance " + member
                            + " is already in vrrp_sync_group " + first.name() + " (expected: at most one group)");
                }
                if (g.trackingWeight()) {
                    continue;
                }
                c.vrrpInstance(member).ifPresent(i -> {
                    boolean weighted = i.trackInterfaces().stream().anyMatch(t -> t.weight() != 0)
                            || i.trackScripts().stream().anyMatch(t -> t.weight().orElse(0) != 0)
                            || i.trackFiles().stream().anyMatch(t -> t.weight().orElse(0) != 0);
                    if (weighted) {
                        diagnostics.warning(i.location(), "vrrp_instance " + i.name() + " is in vrrp_sync_group "
                                + g.name() + " but has weighted trackers; keepalived ignores the weights (a failure"
                                + " means FAULT) unless the group sets sync_group_tracking_weight");
                    }
                });
            }
        }
    }

    private void ownerState(List<VrrpInstance> instances) {
        for (VrrpInstance i : instances) {
            if (i.priority() == 255 && i.initialState() == State.BACKUP) {
                diagnostics.warning(i.location(), "vrrp_instance " + i.name() + ": priority 255 makes it the address"
                        + " owner, which takes over as MASTER at once whatever its state (RFC 5798 6.4.1)");
            }
        }
    }

    private void fullNat(List<VirtualServer> servers) {
        for (VirtualServer vs : servers) {
            boolean fullNat = vs.method() == ForwardingMethod.FULLNAT
                    || vs.realServers().stream().anyMatch(r -> r.method() == ForwardingMethod.FULLNAT);
            if (fullNat && vs.localAddressGroup().isEmpty()) {
                diagnostics.error(vs.location(), "virtual_server " + vs.address() + ": FULLNAT needs local addresses"
                        + " (expected: laddr_group_name NAME naming a local_address_group)");
            } else if (!fullNat && vs.localAddressGroup().isPresent()) {
                diagnostics.warning(vs.location(), "virtual_server " + vs.address() + ": local address group "
                        + vs.localAddressGroup().get() + " is only used by FULLNAT (lb_kind is " + vs.method() + ")");
            }
        }
    }
}
