package io.tandem.core.netlink;

import java.lang.foreign.MemorySegment;
import java.net.ProtocolException;

/**
 * Walks the netlink messages of one received datagram (a multipart reply puts
 * several in one datagram, each padded to 4 bytes). Wrap once, then call
 * {@link #next()} until it returns false.
 */
public final class MessageCursor {
    private MemorySegment segment;
    private long limit;
    private long offset;
    private long next;

    /** Positions the cursor before the first message of the {@code length} bytes at the start of {@code segment}. */
    public MessageCursor wrap(MemorySegment segment, long length) {
        this.segment = segment;
        this.limit = length;
        this.offset = -1;
        this.next = 0;
        return this;
    }

    /** Moves to the next message; false at the end of the datagram. */
    public boolean next() throws ProtocolException {
        long remaining = limit - next;
        if (remaining <= 0) {
            return false;
        }
        if (remaining < NlMsgHdr.SIZE) {
            throw new ProtocolException("truncated netlink header: " + remaining + " bytes at offset " + next
                    + " (expected: at least " + NlMsgHdr.SIZE + ")");
        }
        int length = NlMsgHdr.length(segment, next);
        if (length < NlMsgHdr.SIZE || length > remaining) {
            throw new ProtocolException("invalid nlmsg_len: " + Integer.toUnsignedString(length) + " at offset "
                    + next + " (expected: " + NlMsgHdr.SIZE + " ~ " + remaining + ")");
        }
        offset = next;
        next = Math.min(limit, Netlink.align(offset + length));
        return true;
    }

    public MemorySegment segment() {
        return segment;
    }

    /** Offset of the current message's header. */
    public long offset() {
        return offset;
    }

    public int length() {
        return NlMsgHdr.length(segment, offset);
    }

    public int type() {
        return NlMsgHdr.type(segment, offset);
    }

    public int flags() {
        return NlMsgHdr.flags(segment, offset);
    }

    public int seq() {
        return NlMsgHdr.seq(segment, offset);
    }

    public int portId() {
        return NlMsgHdr.portId(segment, offset);
    }

    /** Offset of the payload (the family header), just after the netlink header. */
    public long payloadOffset() {
        return offset + NlMsgHdr.SIZE;
    }

    public int payloadLength() {
        return length() - NlMsgHdr.SIZE;
    }

    /** Offset just past the current message (padding excluded). */
    public long end() {
        return offset + length();
    }

    /**
     * Wraps {@code attributes} over the attributes that follow a family header
     * of {@code familyHeaderSize} bytes, or throws when the message is too short for it.
     */
    public AttributeCursor attributes(int familyHeaderSize, AttributeCursor attributes) throws ProtocolException {
        if (payloadLength() < familyHeaderSize) {
            throw new ProtocolException("netlink message type " + type() + " too short: payload "
                    + payloadLength() + " bytes (expected: at least " + familyHeaderSize + ")");
        }
        return attributes.wrap(segment, payloadOffset() + Netlink.align(familyHeaderSize), end());
    }
}
