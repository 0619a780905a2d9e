package io.tandem.core.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.ProtocolException;
import org.junit.jupiter.api.Test;

class RtnlCodecTest {
    private final AttributeCursor attributes = new AttributeCursor();

    @Test
    void decodesALink() throws Exception {
        MemorySegment message = RtnlMessages.link(IfInfoMsg.RTM_NEWLINK, 3, "eth0",
                IfInfoMsg.IFF_UP | IfInfoMsg.IFF_RUNNING | IfInfoMsg.IFF_LOWER_UP, 6, 1);

        Link link = RtnlCodec.decodeLink(at(message), attributes);

        assertThat(link).isEqualTo(new Link(3, "eth0", HardwareAddress.parse("02:00:5e:10:00:01"), 1500,
                0x10041, OperState.UP, true));
        assertThat(link.running()).isTrue();
        assertThat(link).hasToString("3: eth0 02:00:5e:10:00:01 mtu 1500 UP carrier state UP");
    }

    @Test
    void linkWithoutCarrierIsNotRunning() throws Exception {
        Link link = RtnlCodec.decodeLink(at(RtnlMessages.link(IfInfoMsg.RTM_NEWLINK, 3, "eth0",
                IfInfoMsg.IFF_UP, 3, 0)), attributes);

        assertThat(link.adminUp()).isTrue();
        assertThat(link.carrier()).isFalse();
        assertThat(link.operState()).isEqualTo(OperState.LOWERLAYERDOWN);
        assertThat(link.running()).isFalse();
    }

    @Test
    void linkWithoutNameIsRejected() {
        MemorySegment message = new Wire().u32(32).u16(16).u16(0).u32(0).u32(0)
                .u8(0).u8(0).u16(1).u32(4).u32(0).u32(0).segment();

        assertThatThrownBy(() -> RtnlCodec.decodeLink(at(message), attributes))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("link message for ifindex 4 has no IFLA_IFNAME");
    }

    @Test
    void messageShorterThanItsFamilyHeaderIsRejected() {
        MemorySegment message = new Wire().u32(24).u16(20).u16(0).u32(0).u32(0).u32(0).u32(0).segment();

        assertThatThrownBy(() -> RtnlCodec.decodeLink(at(message), attributes))
                .hasMessage("netlink message type 20 too short: payload 8 bytes (expected: at least 16)");
    }

    @Test
    void ipv4AddressIsTheLocalOneNotThePeer() throws Exception {
        MemorySegment message = RtnlMessages.ipv4Address(IfAddrMsg.RTM_NEWADDR, 5,
                new int[] {10, 77, 0, 2}, new int[] {10, 77, 0, 1}, 32, "tun0");

        IfAddress address = RtnlCodec.decodeAddress(at(message), attributes);

        assertThat(address).isEqualTo(new IfAddress(5, InetAddress.getByName("10.77.0.2"), 32, "tun0",
                AddressScope.UNIVERSE, 0x280));
    }

    @Test
    void decodesAnIpv6AddressWithoutLabel() throws Exception {
        MemorySegment message = new Wire()
                .u32(16 + 8 + 20).u16(20).u16(0).u32(0).u32(0)
                .u8(10).u8(64).u8(0x02).u8(253)             // AF_INET6, /64, IFA_F_NODAD, scope link
                .u32(2)
                .u16(20).u16(1)                              // IFA_ADDRESS
                .bytes(0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)
                .segment();

        IfAddress address = RtnlCodec.decodeAddress(at(message), attributes);

        assertThat(address).isEqualTo(new IfAddress(2, InetAddress.getByName("fe80::1"), 64, null,
                AddressScope.LINK, IfAddrMsg.IFA_F_NODAD));
        assertThat(address).hasToString("fe80::1/64 ifindex 2 scope link flags 0x2");
    }

    @Test
    void decodesANeighbour() throws Exception {
        MemorySegment message = new Wire()
                .u32(16 + 12 + 8 + 12).u16(NdMsg.RTM_NEWNEIGH).u16(0).u32(0).u32(0)
                .u8(2).u8(0).u16(0)                          // AF_INET, pads
                .u32(7)                                      // ndm_ifindex
                .u16(NudState.REACHABLE).u8(0).u8(1)         // state, flags, type
                .u16(8).u16(1).bytes(10, 77, 0, 11)          // NDA_DST
                .u16(10).u16(2).bytes(2, 0, 0, 0, 0, 0x0b).zeros(2) // NDA_LLADDR
                .segment();

        Neighbour neighbour = RtnlCodec.decodeNeighbour(at(message), attributes);

        assertThat(neighbour).isEqualTo(new Neighbour(7, InetAddress.getByName("10.77.0.11"),
                HardwareAddress.parse("02:00:00:00:00:0b"), NudState.REACHABLE, 0));
        assertThat(neighbour.resolved()).isTrue();
        assertThat(neighbour).hasToString("10.77.0.11 ifindex 7 lladdr 02:00:00:00:00:0b REACHABLE");
    }

    @Test
    void incompleteNeighbourHasNoHardwareAddress() throws Exception {
        MemorySegment message = new Wire()
                .u32(16 + 12 + 8).u16(NdMsg.RTM_NEWNEIGH).u16(0).u32(0).u32(0)
                .u8(2).u8(0).u16(0).u32(7).u16(NudState.INCOMPLETE).u8(0).u8(1)
                .u16(8).u16(1).bytes(10, 77, 0, 12)
                .segment();

        Neighbour neighbour = RtnlCodec.decodeNeighbour(at(message), attributes);

        assertThat(neighbour.hardwareAddress()).isNull();
        assertThat(neighbour.resolved()).isFalse();
    }

    @Test
    void writesAddressRequestBody() {
        MessageBuilder request = new MessageBuilder(MemorySegment.ofArray(new byte[128]))
                .begin(IfAddrMsg.RTM_DELADDR, Netlink.NLM_F_REQUEST);
        RtnlCodec.writeAddress(request, IfAddress.of(4, ip("10.77.0.100"), 24).withScope(AddressScope.HOST));
        int length = request.finish(3, 0);

        byte[] expected = new Wire()
                .u32(40).u16(21).u16(1).u32(3).u32(0)       // nlmsghdr RTM_DELADDR
                .u8(2).u8(24).u8(0).u8(254).u32(4)           // AF_INET /24 flags 0 scope host, ifindex 4
                .u16(8).u16(2).bytes(10, 77, 0, 100)         // IFA_LOCAL
                .u16(8).u16(1).bytes(10, 77, 0, 100)         // IFA_ADDRESS
                .toArray();
        assertThat(request.buffer().asSlice(0, length).toArray(ValueLayout.JAVA_BYTE)).containsExactly(expected);
    }

    @Test
    void writesRouteRequestBodyWithALargeTableInRtaTable() {
        MessageBuilder request = new MessageBuilder(MemorySegment.ofArray(new byte[128]))
                .begin(RtMsg.RTM_NEWROUTE, Netlink.NLM_F_REQUEST);
        Route route = new Route(RtMsg.RTN_UNICAST, ip("10.8.0.0"), 16, ip("10.77.0.1"), 3, null, 1000, 20, null);
        RtnlCodec.writeRoute(request, route, route.scope());
        int length = request.finish(5, 0);

        byte[] expected = new Wire()
                .u32(68).u16(24).u16(1).u32(5).u32(0)       // nlmsghdr RTM_NEWROUTE
                .u8(2).u8(16).u8(0).u8(0)                    // AF_INET, dst /16, src /0, tos 0
                .u8(0).u8(4).u8(0).u8(1).u32(0)              // table in RTA_TABLE, static, universe, unicast; flags
                .u16(8).u16(1).bytes(10, 8, 0, 0)            // RTA_DST
                .u16(8).u16(5).bytes(10, 77, 0, 1)           // RTA_GATEWAY
                .u16(8).u16(4).u32(3)                        // RTA_OIF
                .u16(8).u16(6).u32(20)                       // RTA_PRIORITY
                .u16(8).u16(15).u32(1000)                    // RTA_TABLE
                .toArray();
        assertThat(request.buffer().asSlice(0, length).toArray(ValueLayout.JAVA_BYTE)).containsExactly(expected);
    }

    @Test
    void anOnLinkRouteDefaultsToLinkScopeAndAGatewayToUniverse() {
        assertThat(Route.unicast(ip("10.8.0.0"), 16, null, 3).scope()).isEqualTo(AddressScope.LINK);
        assertThat(Route.unicast(ip("10.8.0.0"), 16, ip("10.77.0.1"), 3).scope()).isEqualTo(AddressScope.UNIVERSE);
        assertThatThrownBy(() -> new Route(RtMsg.RTN_BLACKHOLE, ip("10.8.0.0"), 16, ip("10.77.0.1"), 0, null, 254, -1,
                null)).hasMessage("invalid gateway 10.77.0.1 for a route of type 6 (expected: none, only unicast"
                + " routes have a next hop)");
        assertThatThrownBy(() -> Route.unicast(ip("10.8.0.0"), 33, null, 0))
                .hasMessage("invalid prefix length for 10.8.0.0: 33 (expected: 0 ~ 32)");
    }

    private static MessageCursor at(MemorySegment message) throws ProtocolException {
        MessageCursor cursor = new MessageCursor().wrap(message, message.byteSize());
        assertThat(cursor.next()).isTrue();
        return cursor;
    }

    private static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
