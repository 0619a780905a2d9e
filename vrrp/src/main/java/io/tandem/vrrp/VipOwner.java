package io.tandem.vrrp;

import java.net.InetAddress;
import java.util.List;

/**
 * Holds the virtual addresses on an interface (rtnetlink) and announces them:
 * gratuitous ARP for IPv4 (RFC 9568 §6.4.1 "broadcast a gratuitous ARP"), unsolicited
 * Neighbor Advertisements for IPv6 (RFC 9568 §6.4.1, RFC 4861 §7.2.6). Called on the
 * instance's event loop; implementations count and log failures rather than throw.
 */
public interface VipOwner {
    /** Adds {@code addresses} to {@code interfaceName}; addresses already present are kept. */
    void addAddresses(String interfaceName, List<InetAddress> addresses);

    /** Removes {@code addresses} from {@code interfaceName}; absent addresses are ignored. */
    void removeAddresses(String interfaceName, List<InetAddress> addresses);

    /** Sends gratuitous ARP / unsolicited NA for {@code addresses} on {@code interfaceName}. */
    void announce(String interfaceName, List<InetAddress> addresses);
}
