package io.tandem.core.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link MessageCursor} and {@link AttributeCursor} over hand-made datagrams. */
class CursorTest {
    @Test
    void walksSeveralMessagesOfOneDatagramSkippingPadding() throws Exception {
        MemorySegment datagram = new Wire()
                .u32(21).u16(16).u16(Netlink.NLM_F_MULTI).u32(9).u32(1234)  // 21 bytes: header + 5
                .bytes(1, 2, 3, 4, 5).zeros(3)                               // payload, padding to 24
                .u32(20).u16(3).u16(Netlink.NLM_F_MULTI).u32(9).u32(1234)   // NLMSG_DONE
                .u32(0)                                                      // error 0
                .segment();
        MessageCursor cursor = new MessageCursor().wrap(datagram, datagram.byteSize());
        List<String> seen = new ArrayList<>();
        while (cursor.next()) {
            seen.add(cursor.type() + "@" + cursor.offset() + "+" + cursor.payloadLength() + " seq " + cursor.seq()
                    + " pid " + cursor.portId());
        }
        assertThat(seen).containsExactly("16@0+5 seq 9 pid 1234", "3@24+4 seq 9 pid 1234");
    }

    @Test
    void lastMessageMayEndUnpadded() throws Exception {
        MemorySegment datagram = new Wire().u32(17).u16(16).u16(0).u32(1).u32(0).u8(7).segment();
        MessageCursor cursor = new MessageCursor().wrap(datagram, datagram.byteSize());

        assertThat(cursor.next()).isTrue();
        assertThat(cursor.end()).isEqualTo(17);
        assertThat(cursor.next()).isFalse();
    }

    @Test
    void rejectsTruncatedHeaderAndImpossibleLength() throws Exception {
        MemorySegment shortTail = new Wire().u32(16).u16(3).u16(0).u32(1).u32(0).zeros(8).segment();
        MessageCursor cursor = new MessageCursor().wrap(shortTail, shortTail.byteSize());
        assertThat(cursor.next()).isTrue();
        assertThatThrownBy(cursor::next).isInstanceOf(ProtocolException.class)
                .hasMessage("truncated netlink header: 8 bytes at offset 16 (expected: at least 16)");

        MemorySegment tooLong = new Wire().u32(64).u16(16).u16(0).u32(1).u32(0).zeros(16).segment();
        assertThatThrownBy(() -> new MessageCursor().wrap(tooLong, tooLong.byteSize()).next())
                .isInstanceOf(ProtocolException.class)
                .hasMessage("invalid nlmsg_len: 64 at offset 0 (expected: 16 ~ 32)");

        MemorySegment tooShort = new Wire().u32(8).u16(16).u16(0).u32(1).u32(0).segment();
        assertThatThrownBy(() -> new MessageCursor().wrap(tooShort, tooShort.byteSize()).next())
                .hasMessage("invalid nlmsg_len: 8 at offset 0 (expected: 16 ~ 16)");
    }

    @Test
    void attributesAreAlignedToFourBytes() throws Exception {
        MemorySegment attributes = new Wire()
                .u16(5).u16(16).u8(6).zeros(3)              // IFLA_OPERSTATE u8 6, 3 bytes padding
                .u16(9).u16(3).ascii("eth0").u8(0).zeros(3) // IFLA_IFNAME "eth0\0", padding
                .u16(8).u16(0x8000 | 4).u32(1500)           // NLA_F_NESTED bit set on type 4
                .u16(8).u16(1).bytes(192, 0, 2, 1)          // an address
                .segment();
        AttributeCursor cursor = new AttributeCursor().wrap(attributes, 0, attributes.byteSize());

        assertThat(cursor.next()).isTrue();
        assertThat(cursor.type()).isEqualTo(16);
        assertThat(cursor.u8()).isEqualTo(6);
        assertThat(cursor.next()).isTrue();
        assertThat(cursor.payloadOffset()).isEqualTo(12);
        assertThat(cursor.string()).isEqualTo("eth0");
        assertThat(cursor.next()).isTrue();
        assertThat(cursor.type()).isEqualTo(4);
        assertThat(cursor.u32()).isEqualTo(1500);
        assertThat(cursor.next()).isTrue();
        assertThat(cursor.inetAddress()).isEqualTo(InetAddress.getByName("192.0.2.1"));
        assertThat(cursor.next()).isFalse();
    }

    @Test
    void rejectsAttributesThatOverrunTheMessage() {
        MemorySegment attributes = new Wire().u16(12).u16(3).ascii("eth0").segment();
        AttributeCursor cursor = new AttributeCursor().wrap(attributes, 0, attributes.byteSize());

        assertThatThrownBy(cursor::next).isInstanceOf(ProtocolException.class)
                .hasMessage("invalid rta_len: 12 at offset 0 (expected: 4 ~ 8)");
    }

    @Test
    void rejectsPayloadsOfTheWrongSize() throws Exception {
        MemorySegment attributes = new Wire().u16(6).u16(4).u16(1500).zeros(2).u16(7).u16(1).bytes(1, 2, 3).segment();
        AttributeCursor cursor = new AttributeCursor().wrap(attributes, 0, attributes.byteSize());

        assertThat(cursor.next()).isTrue();
        assertThatThrownBy(cursor::u32).hasMessage("attribute type 4: payload of 2 bytes (expected: at least 4)");
        assertThat(cursor.next()).isTrue();
        assertThatThrownBy(cursor::inetAddress).hasMessage("attribute type 1: address of 3 bytes (expected: 4 or 16)");
    }
}
