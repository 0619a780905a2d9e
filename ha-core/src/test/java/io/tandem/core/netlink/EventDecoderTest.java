package io.tandem.core.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.netlink.NetlinkEvent.AddressAdded;
import io.tandem.core.netlink.NetlinkEvent.AddressRemoved;
import io.tandem.core.netlink.NetlinkEvent.LinkChanged;
import io.tandem.core.netlink.NetlinkEvent.LinkDown;
import io.tandem.core.netlink.NetlinkEvent.LinkRemoved;
import io.tandem.core.netlink.NetlinkEvent.LinkUp;
import java.lang.foreign.MemorySegment;
import java.net.ProtocolException;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventDecoderTest {
    private static final int RUNNING = IfInfoMsg.IFF_UP | IfInfoMsg.IFF_RUNNING | IfInfoMsg.IFF_LOWER_UP;
    private final EventDecoder decoder = new EventDecoder();

    @Test
    void runningStateChangesAreUpAndDownOtherChangesAreChanged() throws Exception {
        decoder.seed(List.of(new Link(3, "eth0", null, 1500, RUNNING, OperState.UP, true)));

        assertThat(decode(RtnlMessages.link(IfInfoMsg.RTM_NEWLINK, 3, "eth0", RUNNING, 6, 1)))
                .isInstanceOf(LinkChanged.class);
        NetlinkEvent down = decode(RtnlMessages.link(IfInfoMsg.RTM_NEWLINK, 3, "eth0", IfInfoMsg.IFF_UP, 2, 0));
        assertThat(down).isInstanceOfSatisfying(LinkDown.class, d -> assertThat(d.link().carrier()).isFalse());
        assertThat(decode(RtnlMessages.link(IfInfoMsg.RTM_NEWLINK, 3, "eth0", IfInfoMsg.IFF_UP, 2, 0)))
                .isInstanceOf(LinkChanged.class);
        assertThat(decode(RtnlMessages.link(IfInfoMsg.RTM_NEWLINK, 3, "eth0", RUNNING, 6, 1)))
                .isInstanceOf(LinkUp.class);
        assertThat(decode(RtnlMessages.link(IfInfoMsg.RTM_DELLINK, 3, "eth0", 0, 2, 0)))
                .isInstanceOf(LinkRemoved.class);
    }

    @Test
    void aLinkSeenForTheFirstTimeReportsItsState() throws Exception {
        decoder.seed(List.of());

        assertThat(decode(RtnlMessages.link(IfInfoMsg.RTM_NEWLINK, 9, "veth", 0, 2, 0))).isInstanceOf(LinkDown.class);
        assertThat(decode(RtnlMessages.link(IfInfoMsg.RTM_NEWLINK, 10, "vet2", RUNNING, 6, 1)))
                .isInstanceOf(LinkUp.class);
    }

    @Test
    void addressesAreAddedAndRemoved() throws Exception {
        assertThat(decode(RtnlMessages.ipv4Address(IfAddrMsg.RTM_NEWADDR, 2, new int[] {10, 0, 0, 1},
                new int[] {10, 0, 0, 1}, 24, "eth0"))).isInstanceOf(AddressAdded.class);
        assertThat(decode(RtnlMessages.ipv4Address(IfAddrMsg.RTM_DELADDR, 2, new int[] {10, 0, 0, 1},
                new int[] {10, 0, 0, 1}, 24, "eth0"))).isInstanceOf(AddressRemoved.class);
    }

    @Test
    void otherMessageTypesAreNotEvents() throws Exception {
        MemorySegment route = new Wire().u32(28).u16(RtMsg.RTM_NEWROUTE).u16(0).u32(0).u32(0).zeros(12).segment();

        assertThat(decode(route)).isNull();
    }

    @Test
    void resynchronisingReportsWhatWasMissed() {
        Link eth0 = new Link(2, "eth0", null, 1500, RUNNING, OperState.UP, true);
        Link eth1 = new Link(3, "eth1", null, 1500, RUNNING, OperState.UP, true);
        Link eth2 = new Link(4, "eth2", null, 1500, RUNNING, OperState.UP, true);
        decoder.seed(List.of(eth0, eth1, eth2));
        Link eth1Down = new Link(3, "eth1", null, 1500, IfInfoMsg.IFF_UP, OperState.DOWN, false);
        Link eth0Mtu = new Link(2, "eth0", null, 9000, RUNNING, OperState.UP, true);

        List<NetlinkEvent> missed = decoder.resynchronise(List.of(eth0Mtu, eth1Down));

        assertThat(missed).containsExactly(new LinkDown(eth1Down), new LinkRemoved(eth2));
    }

    private NetlinkEvent decode(MemorySegment message) throws ProtocolException {
        MessageCursor cursor = new MessageCursor().wrap(message, message.byteSize());
        assertThat(cursor.next()).isTrue();
        return decoder.decode(cursor);
    }
}
