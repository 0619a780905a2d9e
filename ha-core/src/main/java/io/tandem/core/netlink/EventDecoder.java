package io.tandem.core.netlink;

import io.tandem.core.netlink.NetlinkEvent.AddressAdded;
import io.tandem.core.netlink.NetlinkEvent.AddressRemoved;
import io.tandem.core.netlink.NetlinkEvent.LinkChanged;
import io.tandem.core.netlink.NetlinkEvent.LinkDown;
import io.tandem.core.netlink.NetlinkEvent.LinkRemoved;
import io.tandem.core.netlink.NetlinkEvent.LinkUp;
import io.tandem.core.netlink.NetlinkEvent.NeighbourChanged;
import io.tandem.core.netlink.NetlinkEvent.NeighbourRemoved;
import java.net.ProtocolException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns rtnetlink notifications into {@link NetlinkEvent}s, remembering the
 * last state of each link so that a change of {@link Link#running()} reads as
 * {@link LinkUp} or {@link LinkDown}. Owned by one thread.
 */
final class EventDecoder {
    private final Map<Integer, Link> links = new HashMap<>();
    private final AttributeCursor attributes = new AttributeCursor();

    /** Records the current links, so that the first notification of each is compared with them. */
    void seed(List<Link> current) {
        links.clear();
        for (Link link : current) {
            links.put(link.index(), link);
        }
    }

    /** The event {@code message} announces, or null for a message of another type. */
    NetlinkEvent decode(MessageCursor message) throws ProtocolException {
        return switch (message.type()) {
            case IfInfoMsg.RTM_NEWLINK -> linkEvent(RtnlCodec.decodeLink(message, attributes));
            case IfInfoMsg.RTM_DELLINK -> {
                Link link = RtnlCodec.decodeLink(message, attributes);
                links.remove(link.index());
                yield new LinkRemoved(link);
            }
            case IfAddrMsg.RTM_NEWADDR -> new AddressAdded(RtnlCodec.decodeAddress(message, attributes));
            case IfAddrMsg.RTM_DELADDR -> new AddressRemoved(RtnlCodec.decodeAddress(message, attributes));
            case NdMsg.RTM_NEWNEIGH -> neighbourEvent(RtnlCodec.decodeNeighbour(message, attributes), false);
            case NdMsg.RTM_DELNEIGH -> neighbourEvent(RtnlCodec.decodeNeighbour(message, attributes), true);
            default -> null;
        };
    }

    private NetlinkEvent linkEvent(Link link) {
        Link previous = links.put(link.index(), link);
        if (previous != null && previous.running() == link.running()) {
            return new LinkChanged(link);
        }
        return link.running() ? new LinkUp(link) : new LinkDown(link);
    }

    private static NetlinkEvent neighbourEvent(Neighbour neighbour, boolean removed) {
        if (neighbour == null) {
            return null;
        }
        return removed ? new NeighbourRemoved(neighbour) : new NeighbourChanged(neighbour);
    }

    /**
     * Compares the links read after lost events with those remembered: the
     * events that went unseen (up, down, removed), in index order.
     */
    List<NetlinkEvent> resynchronise(List<Link> current) {
        List<NetlinkEvent> missed = new ArrayList<>();
        Set<Integer> gone = new HashSet<>(links.keySet());
        for (Link link : current) {
            gone.remove(link.index());
            Link previous = links.get(link.index());
            if (previous == null || previous.running() != link.running()) {
                missed.add(linkEvent(link));
            } else {
                links.put(link.index(), link);
            }
        }
        gone.stream().sorted().forEach(index -> missed.add(new LinkRemoved(links.remove(index))));
        return missed;
    }
}
