package io.tandem.core.netlink;

/**
 * A network interface as RTM_NEWLINK describes it (rtnetlink(7)).
 *
 * @param index the interface index (ifindex), positive
 * @param name the interface name, such as {@code eth0}
 * @param address its hardware address, or null when the link type has none
 * @param mtu the MTU in bytes
 * @param flags the IFF_* device flags
 * @param operState the RFC 2863 operational state
 * @param carrier whether the link has carrier (IFLA_CARRIER, else IFF_LOWER_UP)
 */
public record Link(int index, String name, HardwareAddress address, int mtu, int flags, OperState operState,
        boolean carrier) {
    public Link {
        if (index <= 0) {
            throw new IllegalArgumentException("invalid interface index: " + index + " (expected: > 0)");
        }
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("interface " + index + " has no name");
        }
        if (operState == null) {
            throw new IllegalArgumentException("interface " + name + " has no operational state");
        }
    }

    /** Administratively up (IFF_UP, {@code ip link set NAME up}). */
    public boolean adminUp() {
        return (flags & IfInfoMsg.IFF_UP) != 0;
    }

    /**
     * Up and able to pass traffic: IFF_UP and IFF_RUNNING, the test keepalived
     * applies to tracked interfaces. A veth whose peer is down loses carrier and
     * with it IFF_RUNNING.
     */
    public boolean running() {
        return adminUp() && (flags & IfInfoMsg.IFF_RUNNING) != 0;
    }

    public boolean loopback() {
        return (flags & IfInfoMsg.IFF_LOOPBACK) != 0;
    }

    @Override
    public String toString() {
        return index + ": " + name + " " + (address == null ? "-" : address) + " mtu " + mtu
                + (adminUp() ? " UP" : " DOWN") + (carrier ? " carrier" : " no-carrier") + " state " + operState;
    }
}
