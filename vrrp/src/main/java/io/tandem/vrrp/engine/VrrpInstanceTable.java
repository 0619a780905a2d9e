package io.tandem.vrrp.engine;

import io.tandem.vrrp.metrics.VrrpDropCounters;
import io.tandem.vrrp.packet.AddressFamily;
import java.util.HashMap;
import java.util.Map;

/**
 * The instances by interface, address family and VRID (RFC 9568 §7.1: "the VRID is
 * configured on the receiving interface"). Looking one up allocates nothing.
 * Filled before the channel starts, changed by a reload on the event loop; read on the event loop.
 */
public final class VrrpInstanceTable implements VrrpDropCounters.InstanceNames {
    private final Map<String, VrrpInstance[][]> byInterface = new HashMap<>();

    /** Adds {@code instance}; its interface, family and VRID must be free. */
    public void add(VrrpInstance instance) {
        var config = instance.config();
        VrrpInstance[][] table = byInterface.computeIfAbsent(config.interfaceName(),
                k -> new VrrpInstance[AddressFamily.values().length][256]);
        VrrpInstance[] byVrid = table[config.family().ordinal()];
        if (byVrid[config.vrid()] != null) {
            throw new IllegalArgumentException("invalid instance " + config.name() + ": vrid " + config.vrid()
                    + " " + config.family() + " on " + config.interfaceName() + " is already used by "
                    + byVrid[config.vrid()].name() + " (expected: unique per interface and family)");
        }
        byVrid[config.vrid()] = instance;
    }

    /** Removes {@code instance} (a reload stopped it); its interface, family and VRID are free again. */
    public void remove(VrrpInstance instance) {
        var config = instance.config();
        VrrpInstance[][] table = byInterface.get(config.interfaceName());
        if (table != null && table[config.family().ordinal()][config.vrid()] == instance) {
            table[config.family().ordinal()][config.vrid()] = null;
        }
    }

    /** The instance, or {@code null}. */
    public VrrpInstance find(String interfaceName, AddressFamily family, int vrid) {
        VrrpInstance[][] table = byInterface.get(interfaceName);
        return table == null || vrid < 0 || vrid > 255 ? null : table[family.ordinal()][vrid];
    }

    @Override
    public String instanceName(String interfaceName, int vrid) {
        for (AddressFamily family : AddressFamily.values()) {
            VrrpInstance instance = find(interfaceName, family, vrid);
            if (instance != null) {
                return instance.name();
            }
        }
        return null;
    }
}
