package io.tandem.core.netlink;

/**
 * What the kernel announced on the rtnetlink multicast groups, typed.
 * Link events compare {@link Link#running()} with the last state seen for the
 * interface: {@link LinkUp} and {@link LinkDown} when it changed (or for an
 * interface seen for the first time), {@link LinkChanged} otherwise.
 */
public sealed interface NetlinkEvent {
    /** The interface became (or appeared) up and running: IFF_UP and IFF_RUNNING. */
    record LinkUp(Link link) implements NetlinkEvent {
    }

    /** The interface went (or appeared) down: not IFF_UP, or no carrier. */
    record LinkDown(Link link) implements NetlinkEvent {
    }

    /** Something else about a link changed (MTU, address, name, flags) without a change of running state. */
    record LinkChanged(Link link) implements NetlinkEvent {
    }

    /** The interface was deleted (RTM_DELLINK). */
    record LinkRemoved(Link link) implements NetlinkEvent {
    }

    record AddressAdded(IfAddress address) implements NetlinkEvent {
    }

    record AddressRemoved(IfAddress address) implements NetlinkEvent {
    }

    /** A neighbour cache entry was created or changed state (RTM_NEWNEIGH). */
    record NeighbourChanged(Neighbour neighbour) implements NetlinkEvent {
    }

    record NeighbourRemoved(Neighbour neighbour) implements NetlinkEvent {
    }

    /**
     * The socket buffer overflowed (ENOBUFS) and the kernel dropped events.
     * Link states were read again and any differences already delivered as
     * {@link LinkUp} / {@link LinkDown}; addresses and neighbours should be
     * re-read by whoever depends on them.
     */
    record EventsLost() implements NetlinkEvent {
    }
}
