package io.tandem.core.netlink;

import io.tandem.core.linux.Libc;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.ProtocolException;

/**
 * Turns rtnetlink messages into {@link Link}, {@link IfAddress} and
 * {@link Neighbour} values, and writes the bodies of the requests that change
 * them (rtnetlink(7)).
 */
final class RtnlCodec {
    private RtnlCodec() {
    }

    /** An RTM_NEWLINK or RTM_DELLINK message: ifinfomsg then IFLA_* attributes. */
    static Link decodeLink(MessageCursor message, AttributeCursor attributes) throws ProtocolException {
        message.attributes(IfInfoMsg.SIZE, attributes);
        long at = message.payloadOffset();
        int index = IfInfoMsg.index(message.segment(), at);
        int flags = IfInfoMsg.flags(message.segment(), at);
        String name = null;
        HardwareAddress address = null;
        int mtu = 0;
        OperState operState = OperState.UNKNOWN;
        Boolean carrier = null;
        while (attributes.next()) {
            switch (attributes.type()) {
                case IfInfoMsg.IFLA_IFNAME -> name = attributes.string();
                case IfInfoMsg.IFLA_ADDRESS -> address = attributes.payloadLength() == 0
                        ? null : HardwareAddress.of(attributes.bytes());
                case IfInfoMsg.IFLA_MTU -> mtu = attributes.u32();
                case IfInfoMsg.IFLA_OPERSTATE -> operState = OperState.of(attributes.u8());
                case IfInfoMsg.IFLA_CARRIER -> carrier = attributes.u8() != 0;
                default -> { }
            }
        }
        if (name == null) {
            throw new ProtocolException("link message for ifindex " + index + " has no IFLA_IFNAME");
        }
        boolean hasCarrier = carrier != null ? carrier : (flags & IfInfoMsg.IFF_LOWER_UP) != 0;
        return new Link(index, name, address, mtu, flags, operState, hasCarrier);
    }

    /**
     * An RTM_NEWADDR or RTM_DELADDR message: ifaddrmsg then IFA_* attributes.
     * IFA_LOCAL is the interface's own address; IFA_ADDRESS is the peer on a
     * point-to-point link and equals IFA_LOCAL otherwise, so IFA_LOCAL wins.
     */
    static IfAddress decodeAddress(MessageCursor message, AttributeCursor attributes) throws ProtocolException {
        message.attributes(IfAddrMsg.SIZE, attributes);
        long at = message.payloadOffset();
        int family = IfAddrMsg.family(message.segment(), at);
        int flags = IfAddrMsg.flags(message.segment(), at);
        InetAddress local = null;
        InetAddress address = null;
        String label = null;
        while (attributes.next()) {
            switch (attributes.type()) {
                case IfAddrMsg.IFA_LOCAL -> local = attributes.inetAddress();
                case IfAddrMsg.IFA_ADDRESS -> address = attributes.inetAddress();
                case IfAddrMsg.IFA_LABEL -> label = attributes.string();
                case IfAddrMsg.IFA_FLAGS -> flags = attributes.u32();
                default -> { }
            }
        }
        InetAddress own = local != null ? local : address;
        if (own == null) {
            throw new ProtocolException("address message for ifindex " + IfAddrMsg.index(message.segment(), at)
                    + " has neither IFA_LOCAL nor IFA_ADDRESS");
        }
        if ((family == Libc.AF_INET) != (own instanceof Inet4Address)) {
            throw new ProtocolException("address message of family " + family + " carries " + AddressText.of(own));
        }
        return new IfAddress(IfAddrMsg.index(message.segment(), at), own,
                IfAddrMsg.prefixLength(message.segment(), at), own instanceof Inet4Address ? label : null,
                AddressScope.of(IfAddrMsg.scope(message.segment(), at)), flags);
    }

    /** An RTM_NEWNEIGH or RTM_DELNEIGH message: ndmsg then NDA_* attributes; null for entries without NDA_DST. */
    static Neighbour decodeNeighbour(MessageCursor message, AttributeCursor attributes) throws ProtocolException {
        message.attributes(NdMsg.SIZE, attributes);
        long at = message.payloadOffset();
        InetAddress destination = null;
        HardwareAddress hardwareAddress = null;
        while (attributes.next()) {
            switch (attributes.type()) {
                case NdMsg.NDA_DST -> destination = attributes.payloadLength() == 4
                        || attributes.payloadLength() == 16 ? attributes.inetAddress() : null;
                case NdMsg.NDA_LLADDR -> hardwareAddress = attributes.payloadLength() == 0
                        ? null : HardwareAddress.of(attributes.bytes());
                default -> { }
            }
        }
        if (destination == null) {
            return null;
        }
        return new Neighbour(NdMsg.index(message.segment(), at), destination, hardwareAddress,
                NdMsg.state(message.segment(), at), NdMsg.flags(message.segment(), at));
    }

    /** The body of RTM_NEWADDR / RTM_DELADDR for {@code address}. */
    static void writeAddress(MessageBuilder request, IfAddress address) {
        long at = request.reserve(IfAddrMsg.SIZE);
        IfAddrMsg.family(request.buffer(), at, address.family());
        IfAddrMsg.prefixLength(request.buffer(), at, address.prefixLength());
        IfAddrMsg.flags(request.buffer(), at, address.flags() & 0xff);
        IfAddrMsg.scope(request.buffer(), at, address.scope().value());
        IfAddrMsg.index(request.buffer(), at, address.ifindex());
        byte[] raw = address.address().getAddress();
        request.attribute(IfAddrMsg.IFA_LOCAL, raw);
        request.attribute(IfAddrMsg.IFA_ADDRESS, raw);
        if (address.label() != null) {
            request.attributeString(IfAddrMsg.IFA_LABEL, address.label());
        }
        if (address.flags() != 0) {
            request.attributeU32(IfAddrMsg.IFA_FLAGS, address.flags());
        }
    }

    /**
     * The body of RTM_NEWROUTE / RTM_DELROUTE for {@code route}, as {@code ip route} writes
     * it: a table above 255 goes in RTA_TABLE only. Deleting with {@code scope} NOWHERE
     * matches a route of any scope.
     */
    static void writeRoute(MessageBuilder request, Route route, AddressScope scope) {
        long at = request.reserve(RtMsg.SIZE);
        RtMsg.family(request.buffer(), at, route.destination() instanceof Inet4Address ? Libc.AF_INET : Libc.AF_INET6);
        RtMsg.dstLength(request.buffer(), at, route.prefixLength());
        RtMsg.table(request.buffer(), at, route.table() < 256 ? (int) route.table() : RtMsg.RT_TABLE_UNSPEC);
        RtMsg.protocol(request.buffer(), at, RtMsg.RTPROT_STATIC);
        RtMsg.scope(request.buffer(), at, scope.value());
        RtMsg.type(request.buffer(), at, route.type());
        request.attribute(RtMsg.RTA_DST, route.destination().getAddress());
        if (route.gateway() != null) {
            request.attribute(RtMsg.RTA_GATEWAY, route.gateway().getAddress());
        }
        if (route.ifindex() != 0) {
            request.attributeU32(RtMsg.RTA_OIF, route.ifindex());
        }
        if (route.source() != null) {
            request.attribute(RtMsg.RTA_PREFSRC, route.source().getAddress());
        }
        if (route.metric() >= 0) {
            request.attributeU32(RtMsg.RTA_PRIORITY, (int) route.metric());
        }
        if (route.table() >= 256) {
            request.attributeU32(RtMsg.RTA_TABLE, (int) route.table());
        }
    }

    /**
     * The body of RTM_NEWROUTE / RTM_DELROUTE for a default route via
     * {@code gateway} out of {@code ifindex} in the main table. Deleting
     * uses scope NOWHERE, which matches a route of any scope.
     */
    static void writeDefaultRoute(MessageBuilder request, InetAddress gateway, int ifindex, AddressScope scope) {
        long at = request.reserve(RtMsg.SIZE);
        RtMsg.family(request.buffer(), at, gateway instanceof Inet4Address ? Libc.AF_INET : Libc.AF_INET6);
        RtMsg.dstLength(request.buffer(), at, 0);
        RtMsg.table(request.buffer(), at, RtMsg.RT_TABLE_MAIN);
        RtMsg.protocol(request.buffer(), at, RtMsg.RTPROT_STATIC);
        RtMsg.scope(request.buffer(), at, scope.value());
        RtMsg.type(request.buffer(), at, RtMsg.RTN_UNICAST);
        request.attribute(RtMsg.RTA_GATEWAY, gateway.getAddress());
        request.attributeU32(RtMsg.RTA_OIF, ifindex);
    }
}
