package io.tandem.core.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.core.linux.Errno;
import java.lang.foreign.MemorySegment;
import java.net.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Multipart replies, acknowledgements and errors, as datagrams written by hand. */
class PendingReplyTest {
    private static final int SEQ = 77;
    private final List<String> delivered = new ArrayList<>();
    private final ReplyHandler handler = message -> delivered.add(message.type() + "/" + message.payloadLength());

    @Test
    void dumpSpansDatagramsUntilDone() throws Exception {
        PendingReply reply = new PendingReply(SEQ, true, false, () -> "RTM_GETLINK(dump)", handler);
        MemorySegment first = new Wire()
                .u32(20).u16(16).u16(Netlink.NLM_F_MULTI).u32(SEQ).u32(99).u32(1)  // RTM_NEWLINK, 4 bytes
                .u32(24).u16(16).u16(Netlink.NLM_F_MULTI).u32(SEQ).u32(99).u32(2).u32(3)
                .segment();
        MemorySegment second = new Wire()
                .u32(20).u16(16).u16(Netlink.NLM_F_MULTI).u32(SEQ - 1).u32(99).u32(0) // stale seq: ignored
                .u32(20).u16(16).u16(Netlink.NLM_F_MULTI).u32(SEQ).u32(99).u32(4)
                .u32(20).u16(Netlink.NLMSG_DONE).u16(Netlink.NLM_F_MULTI).u32(SEQ).u32(99).u32(0)
                .segment();

        assertThat(reply.accept(first, first.byteSize())).isFalse();
        assertThat(reply.accept(second, second.byteSize())).isTrue();
        assertThat(delivered).containsExactly("16/4", "16/8", "16/4");
        assertThat(reply.interrupted()).isFalse();
    }

    @Test
    void dumpInterruptedIsReported() throws Exception {
        PendingReply reply = new PendingReply(SEQ, true, false, () -> "RTM_GETADDR(dump)", handler);
        MemorySegment datagram = new Wire()
                .u32(20).u16(20).u16(Netlink.NLM_F_MULTI | Netlink.NLM_F_DUMP_INTR).u32(SEQ).u32(99).u32(1)
                .u32(20).u16(Netlink.NLMSG_DONE).u16(Netlink.NLM_F_MULTI).u32(SEQ).u32(99).u32(0)
                .segment();

        assertThat(reply.accept(datagram, datagram.byteSize())).isTrue();
        assertThat(reply.interrupted()).isTrue();
    }

    @Test
    void acknowledgementWithErrorZeroCompletesTheRequest() throws Exception {
        PendingReply reply = new PendingReply(SEQ, false, true, () -> "RTM_NEWADDR(10.77.0.100/24 dev eth0)", handler);
        MemorySegment ack = new Wire()
                .u32(36).u16(Netlink.NLMSG_ERROR).u16(Netlink.NLM_F_CAPPED).u32(SEQ).u32(99)
                .u32(0)                                                    // error 0: success
                .u32(52).u16(20).u16(0x605).u32(SEQ).u32(0)                // the request's header
                .segment();

        assertThat(reply.accept(ack, ack.byteSize())).isTrue();
        assertThat(delivered).isEmpty();
    }

    @Test
    void replyBeforeTheAcknowledgementIsDelivered() throws Exception {
        PendingReply reply = new PendingReply(SEQ, false, true, () -> "RTM_GETLINK(dev eth0)", handler);
        MemorySegment datagram = new Wire().u32(20).u16(16).u16(0).u32(SEQ).u32(99).u32(5).segment();
        MemorySegment ack = new Wire()
                .u32(36).u16(Netlink.NLMSG_ERROR).u16(Netlink.NLM_F_CAPPED).u32(SEQ).u32(99).u32(0)
                .u32(40).u16(18).u16(5).u32(SEQ).u32(0)
                .segment();

        assertThat(reply.accept(datagram, datagram.byteSize())).isFalse();
        assertThat(reply.accept(ack, ack.byteSize())).isTrue();
        assertThat(delivered).containsExactly("16/4");
    }

    @Test
    void errorNamesTheOperationAndErrno() {
        PendingReply reply = new PendingReply(SEQ, false, true, () -> "RTM_NEWADDR(10.77.0.100/24 dev eth0)", handler);
        MemorySegment error = new Wire()
                .u32(36).u16(Netlink.NLMSG_ERROR).u16(Netlink.NLM_F_CAPPED).u32(SEQ).u32(99)
                .u32(-Errno.EEXIST)                                        // -17
                .u32(52).u16(20).u16(0x605).u32(SEQ).u32(0)
                .segment();

        assertThatThrownBy(() -> reply.accept(error, error.byteSize()))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.EEXIST);
                    assertThat(e.call()).isEqualTo("RTM_NEWADDR(10.77.0.100/24 dev eth0)");
                    assertThat(e.kernelMessage()).isNull();
                })
                .hasMessage("RTM_NEWADDR(10.77.0.100/24 dev eth0): EEXIST");
    }

    @Test
    void extendedAcknowledgementTextIsKept() {
        PendingReply reply = new PendingReply(SEQ, false, true, () -> "RTM_NEWADDR(10.77.0.100/24 dev eth0)", handler);
        MemorySegment error = new Wire()
                .u32(71).u16(Netlink.NLMSG_ERROR).u16(Netlink.NLM_F_CAPPED | Netlink.NLM_F_ACK_TLVS)
                .u32(SEQ).u32(99)
                .u32(-Errno.EEXIST)
                .u32(52).u16(20).u16(0x605).u32(SEQ).u32(0)                // capped: header only
                .u16(35).u16(Netlink.NLMSGERR_ATTR_MSG)                    // 4 + 30 characters + NUL
                .ascii("ipv4: Address already assigned").u8(0)
                .zeros(1)                                                  // padding
                .segment();

        assertThatThrownBy(() -> reply.accept(error, error.byteSize()))
                .isInstanceOfSatisfying(NetlinkException.class,
                        e -> assertThat(e.kernelMessage()).isEqualTo("ipv4: Address already assigned"))
                .hasMessage("RTM_NEWADDR(10.77.0.100/24 dev eth0): EEXIST (ipv4: Address already assigned)");
    }

    @Test
    void uncappedErrorSkipsTheEchoedRequestBeforeItsAttributes() {
        PendingReply reply = new PendingReply(SEQ, false, true, () -> "RTM_NEWLINK(dev eth0 up)", handler);
        MemorySegment error = new Wire()
                .u32(60).u16(Netlink.NLMSG_ERROR).u16(Netlink.NLM_F_ACK_TLVS).u32(SEQ).u32(99)
                .u32(-Errno.EPERM)
                .u32(32).u16(16).u16(5).u32(SEQ).u32(0).zeros(16)          // the whole request echoed
                .u16(8).u16(Netlink.NLMSGERR_ATTR_MSG).ascii("no").zeros(2)
                .segment();

        assertThatThrownBy(() -> reply.accept(error, error.byteSize()))
                .hasMessage("RTM_NEWLINK(dev eth0 up): EPERM (no)");
    }

    @Test
    void doneCarryingAnErrorFailsTheDump() {
        PendingReply reply = new PendingReply(SEQ, true, false, () -> "RTM_GETNEIGH(dump)", handler);
        MemorySegment done = new Wire()
                .u32(20).u16(Netlink.NLMSG_DONE).u16(Netlink.NLM_F_MULTI).u32(SEQ).u32(99).u32(-Errno.ENOBUFS)
                .segment();

        assertThatThrownBy(() -> reply.accept(done, done.byteSize()))
                .hasMessage("RTM_GETNEIGH(dump): ENOBUFS");
    }

    @Test
    void truncatedErrorIsAProtocolViolation() {
        PendingReply reply = new PendingReply(SEQ, false, true, () -> "RTM_DELADDR(x)", handler);
        MemorySegment error = new Wire().u32(18).u16(Netlink.NLMSG_ERROR).u16(0).u32(SEQ).u32(99).u16(0).segment();

        assertThatThrownBy(() -> reply.accept(error, error.byteSize()))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("NLMSG_ERROR too short: payload 2 bytes (expected: at least 4)");
    }
}
