package io.tandem.core.netlink;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.ProtocolException;

/**
 * {@code struct nlmsgerr}, the payload of NLMSG_ERROR (RFC 3549, section
 * 2.3.2.2): a negative errno, or 0 for an acknowledgement, then the header of
 * the request it answers (the whole request unless NLM_F_CAPPED), then, with
 * NLM_F_ACK_TLVS, extended-acknowledgement attributes.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Error code (-errno or 0)                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Original request header (16 bytes) [and payload]       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 NLMSGERR_ATTR_* attributes ...                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class NlMsgErr {
    public static final int ERROR_OFFSET = 0;
    public static final int REQUEST_OFFSET = 4;
    public static final int SIZE = 4 + NlMsgHdr.SIZE;

    private NlMsgErr() {
    }

    /** The error code of the NLMSG_ERROR message under {@code message}: 0 or a negative errno. */
    public static int error(MessageCursor message) throws ProtocolException {
        if (message.payloadLength() < 4) {
            throw new ProtocolException("NLMSG_ERROR too short: payload " + message.payloadLength()
                    + " bytes (expected: at least 4)");
        }
        return message.segment().get(ValueLayout.JAVA_INT_UNALIGNED, message.payloadOffset() + ERROR_OFFSET);
    }

    /** The kernel's error text (NLMSGERR_ATTR_MSG), or null when the message carries none. */
    public static String kernelMessage(MessageCursor message) throws ProtocolException {
        if ((message.flags() & Netlink.NLM_F_ACK_TLVS) == 0 || message.payloadLength() < SIZE) {
            return null;
        }
        MemorySegment s = message.segment();
        long request = message.payloadOffset() + REQUEST_OFFSET;
        int echoed = (message.flags() & Netlink.NLM_F_CAPPED) != 0 ? NlMsgHdr.SIZE : NlMsgHdr.length(s, request);
        long tlvs = request + Netlink.align(echoed);
        if (echoed < NlMsgHdr.SIZE || tlvs > message.end()) {
            throw new ProtocolException("NLMSG_ERROR echoes a request of " + echoed + " bytes (expected: "
                    + NlMsgHdr.SIZE + " ~ " + (message.end() - request) + ")");
        }
        AttributeCursor attributes = new AttributeCursor().wrap(s, tlvs, message.end());
        while (attributes.next()) {
            if (attributes.type() == Netlink.NLMSGERR_ATTR_MSG) {
                return attributes.string();
            }
        }
        return null;
    }
}
