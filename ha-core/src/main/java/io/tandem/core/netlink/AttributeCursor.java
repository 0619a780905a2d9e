package io.tandem.core.netlink;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/** Walks the {@link RtAttr} attributes between two offsets of a message, honouring their 4-byte alignment. */
public final class AttributeCursor {
    private MemorySegment segment;
    private long limit;
    private long offset;
    private long next;

    public AttributeCursor wrap(MemorySegment segment, long start, long end) {
        this.segment = segment;
        this.limit = end;
        this.offset = -1;
        this.next = start;
        return this;
    }

    /** Moves to the next attribute; false when none is left. */
    public boolean next() throws ProtocolException {
        long remaining = limit - next;
        if (remaining <= 0) {
            return false;
        }
        if (remaining < RtAttr.SIZE) {
            throw new ProtocolException("truncated rtattr: " + remaining + " bytes at offset " + next
                    + " (expected: at least " + RtAttr.SIZE + ")");
        }
        int length = RtAttr.length(segment, next);
        if (length < RtAttr.SIZE || length > remaining) {
            throw new ProtocolException("invalid rta_len: " + length + " at offset " + next
                    + " (expected: " + RtAttr.SIZE + " ~ " + remaining + ")");
        }
        offset = next;
        next = Netlink.align(offset + length);
        return true;
    }

    /** The attribute type, without the NLA_F_NESTED and NLA_F_NET_BYTEORDER bits. */
    public int type() {
        return RtAttr.type(segment, offset);
    }

    public long payloadOffset() {
        return offset + RtAttr.SIZE;
    }

    public int payloadLength() {
        return RtAttr.length(segment, offset) - RtAttr.SIZE;
    }

    public int u8() throws ProtocolException {
        need(1);
        return Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, payloadOffset()));
    }

    public int u32() throws ProtocolException {
        need(4);
        return segment.get(ValueLayout.JAVA_INT_UNALIGNED, payloadOffset());
    }

    public byte[] bytes() {
        return segment.asSlice(payloadOffset(), payloadLength()).toArray(ValueLayout.JAVA_BYTE);
    }

    /** The payload as text, up to its terminating NUL if it has one. */
    public String string() {
        byte[] raw = bytes();
        int end = 0;
        while (end < raw.length && raw[end] != 0) {
            end++;
        }
        return new String(raw, 0, end, StandardCharsets.UTF_8);
    }

    /** A 4- or 16-byte address payload in network byte order. */
    public InetAddress inetAddress() throws ProtocolException {
        int length = payloadLength();
        if (length != 4 && length != 16) {
            throw new ProtocolException("attribute type " + type() + ": address of " + length
                    + " bytes (expected: 4 or 16)");
        }
        try {
            return InetAddress.getByAddress(bytes());
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    private void need(int size) throws ProtocolException {
        if (payloadLength() < size) {
            throw new ProtocolException("attribute type " + type() + ": payload of " + payloadLength()
                    + " bytes (expected: at least " + size + ")");
        }
    }
}
