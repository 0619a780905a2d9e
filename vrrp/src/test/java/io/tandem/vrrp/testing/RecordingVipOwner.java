package io.tandem.vrrp.testing;

import io.tandem.vrrp.VipOwner;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Keeps the addresses an instance holds and logs each call as "add eth0 [10.0.0.100]". */
public final class RecordingVipOwner implements VipOwner {
    public final Set<InetAddress> held = new LinkedHashSet<>();
    public final List<String> calls = new ArrayList<>();

    @Override
    public void addAddresses(String interfaceName, List<InetAddress> addresses) {
        held.addAll(addresses);
        calls.add("add " + interfaceName + " " + hosts(addresses));
    }

    @Override
    public void removeAddresses(String interfaceName, List<InetAddress> addresses) {
        held.removeAll(addresses);
        calls.add("remove " + interfaceName + " " + hosts(addresses));
    }

    @Override
    public void announce(String interfaceName, List<InetAddress> addresses) {
        calls.add("announce " + interfaceName + " " + hosts(addresses));
    }

    private static List<String> hosts(List<InetAddress> addresses) {
        return addresses.stream().map(InetAddress::getHostAddress).toList();
    }
}
