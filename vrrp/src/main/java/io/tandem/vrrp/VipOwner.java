package io.tandem.vrrp;

import java.util.List;

/**
 * Holds a master's addresses and routes (rtnetlink) and announces the addresses:
 * gratuitous ARP for IPv4 (RFC 9568 §6.4.1 "broadcast a gratuitous ARP"), unsolicited
 * Neighbor Advertisements for IPv6 (RFC 9568 §6.4.1, RFC 4861 §7.2.6). An address or
 * route without a device goes on the instance's interface, {@code interfaceName}. Called
 * on the instance's event loop; implementations count and log failures rather than throw.
 */
public interface VipOwner {
    /** Adds {@code addresses}; addresses already present are kept. */
    void addAddresses(String interfaceName, List<VirtualAddress> addresses);

    /** Removes {@code addresses}; absent addresses are ignored. */
    void removeAddresses(String interfaceName, List<VirtualAddress> addresses);

    /** One burst: {@code repeat} gratuitous ARPs / unsolicited NAs for each address, on its interface. */
    void announce(String interfaceName, List<VirtualAddress> addresses, int repeat);

    /** Adds {@code routes} ({@code virtual_routes}); routes already present are kept. */
    void addRoutes(String interfaceName, List<VirtualRoute> routes);

    /** Removes {@code routes}; absent routes are ignored. */
    void removeRoutes(String interfaceName, List<VirtualRoute> routes);

    /**
     * Runs the code of {@link #addAddresses} and {@link #announce} for {@code addresses} short
     * of changing or sending anything (device indexes looked up, messages and frames built),
     * so that the first takeover does not wait for class loading and linking: on a cold JVM
     * that cost tens of milliseconds of an IPv6 takeover meant to take Skew_Time. The default
     * does nothing.
     */
    default void rehearse(String interfaceName, List<VirtualAddress> addresses) {
    }
}
