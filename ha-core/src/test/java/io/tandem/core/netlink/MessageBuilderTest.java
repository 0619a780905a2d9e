package io.tandem.core.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class MessageBuilderTest {
    private final MemorySegment buffer = MemorySegment.ofArray(new byte[256]);

    @Test
    void writesHeaderFamilyHeaderAndPaddedAttributes() {
        buffer.fill((byte) 0x5a); // garbage that padding must overwrite
        MessageBuilder request = new MessageBuilder(buffer).begin(IfAddrMsg.RTM_NEWADDR,
                Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL);
        long at = request.reserve(IfAddrMsg.SIZE);
        IfAddrMsg.family(buffer, at, 2);
        IfAddrMsg.prefixLength(buffer, at, 24);
        IfAddrMsg.index(buffer, at, 7);
        request.attribute(IfAddrMsg.IFA_LOCAL, new byte[] {10, 77, 0, 100});
        request.attributeString(IfAddrMsg.IFA_LABEL, "e0:vip");
        request.attributeU32(IfAddrMsg.IFA_FLAGS, IfAddrMsg.IFA_F_NODAD);
        int length = request.finish(42, 0);

        byte[] expected = new Wire()
                .u32(52)                 // nlmsg_len: 16 + 8 + 8 + 12 + 8
                .u16(20)                 // nlmsg_type RTM_NEWADDR
                .u16(0x0605)             // REQUEST | ACK | EXCL | CREATE
                .u32(42)                 // nlmsg_seq
                .u32(0)                  // nlmsg_pid: the kernel
                .u8(2)                   // ifa_family AF_INET
                .u8(24)                  // ifa_prefixlen
                .u8(0)                   // ifa_flags
                .u8(0)                   // ifa_scope
                .u32(7)                  // ifa_index
                .u16(8).u16(2)           // rta_len 8, IFA_LOCAL
                .bytes(10, 77, 0, 100)   // 10.77.0.100
                .u16(11).u16(3)          // rta_len 4 + 7, IFA_LABEL
                .ascii("e0:vip").u8(0)   // NUL-terminated
                .zeros(1)                // padding to 4
                .u16(8).u16(8)           // rta_len 8, IFA_FLAGS
                .u32(0x02)               // IFA_F_NODAD
                .toArray();
        assertThat(length).isEqualTo(expected.length);
        assertThat(buffer.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE)).containsExactly(expected);
    }

    @Test
    void lastAttributeIsNotPaddedInTheLength() {
        MessageBuilder request = new MessageBuilder(buffer).begin(IfInfoMsg.RTM_GETLINK, Netlink.NLM_F_REQUEST);
        request.reserve(IfInfoMsg.SIZE);
        request.attributeString(IfInfoMsg.IFLA_IFNAME, "eth0");

        assertThat(request.finish(1, 0)).isEqualTo(16 + 16 + 4 + 5);
        assertThat(NlMsgHdr.length(buffer, 0)).isEqualTo(41);
    }

    @Test
    void beginStartsAFreshMessage() {
        MessageBuilder request = new MessageBuilder(buffer).begin(IfInfoMsg.RTM_GETLINK, 1);
        request.reserve(IfInfoMsg.SIZE);
        request.attributeU32(IfInfoMsg.IFLA_MTU, 1500);

        request.begin(NdMsg.RTM_GETNEIGH, 1).reserve(NdMsg.SIZE);

        assertThat(request.finish(2, 0)).isEqualTo(NlMsgHdr.SIZE + NdMsg.SIZE);
        assertThat(NlMsgHdr.type(buffer, 0)).isEqualTo(NdMsg.RTM_GETNEIGH);
    }

    @Test
    void refusesToOverflowTheBuffer() {
        MessageBuilder request = new MessageBuilder(MemorySegment.ofArray(new byte[24])).begin(1, 1);

        assertThatThrownBy(() -> request.attribute(1, new byte[16]))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("netlink request too long: needs 36 bytes (expected: at most 24)");
    }
}
