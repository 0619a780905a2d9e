package io.tandem.vrrp.testing;

import io.tandem.vrrp.VipOwner;
import io.tandem.vrrp.VirtualAddress;
import io.tandem.vrrp.VirtualRoute;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps the addresses and routes an instance holds and logs each call as "add eth0 [10.0.0.100]",
 * "announce eth0 [10.0.0.100] x5", "add routes eth0 [10.8.0.0/16 via 10.0.0.1]".
 */
public final class RecordingVipOwner implements VipOwner {
    public final Set<InetAddress> held = new LinkedHashSet<>();
    public final Set<VirtualRoute> routes = new LinkedHashSet<>();
    public final List<String> calls = new ArrayList<>();
    /** {@link #rehearse} calls, as "eth0 [10.0.0.100]" (kept apart: they change nothing). */
    public final List<String> rehearsals = new ArrayList<>();

    @Override
    public void addAddresses(String interfaceName, List<VirtualAddress> addresses) {
        addresses.forEach(a -> held.add(a.address()));
        calls.add("add " + interfaceName + " " + hosts(addresses));
    }

    @Override
    public void removeAddresses(String interfaceName, List<VirtualAddress> addresses) {
        addresses.forEach(a -> held.remove(a.address()));
        calls.add("remove " + interfaceName + " " + hosts(addresses));
    }

    @Override
    public void announce(String interfaceName, List<VirtualAddress> addresses, int repeat) {
        calls.add("announce " + interfaceName + " " + hosts(addresses) + " x" + repeat);
    }

    @Override
    public void addRoutes(String interfaceName, List<VirtualRoute> added) {
        routes.addAll(added);
        calls.add("add routes " + interfaceName + " " + added);
    }

    @Override
    public void removeRoutes(String interfaceName, List<VirtualRoute> removed) {
        removed.forEach(routes::remove);
        calls.add("remove routes " + interfaceName + " " + removed);
    }

    @Override
    public void rehearse(String interfaceName, List<VirtualAddress> addresses) {
        rehearsals.add(interfaceName + " " + hosts(addresses));
    }

    private static List<String> hosts(List<VirtualAddress> addresses) {
        return addresses.stream().map(a -> a.address().getHostAddress()).toList();
    }
}
