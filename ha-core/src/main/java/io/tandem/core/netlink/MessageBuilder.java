package io.tandem.core.netlink;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Writes one netlink request into a buffer: the {@link NlMsgHdr}, the family
 * header ({@link #reserve}), then {@link RtAttr} attributes, each starting on a
 * 4-byte boundary with its padding zeroed. {@link #finish} fills in the length
 * and sequence number.
 */
public final class MessageBuilder {
    private final MemorySegment buffer;
    private long position;

    public MessageBuilder(MemorySegment buffer) {
        this.buffer = buffer;
    }

    /** Starts a message of {@code type} with {@code flags}, discarding anything written before. */
    public MessageBuilder begin(int type, int flags) {
        position = 0;
        long at = reserve(NlMsgHdr.SIZE);
        NlMsgHdr.type(buffer, at, type);
        NlMsgHdr.flags(buffer, at, flags);
        return this;
    }

    /** Appends {@code size} zeroed bytes on a 4-byte boundary and returns their offset, for a family header. */
    public long reserve(int size) {
        long at = Netlink.align(position);
        ensure(at + size);
        buffer.asSlice(position, at + size - position).fill((byte) 0);
        position = at + size;
        return at;
    }

    public MessageBuilder attribute(int type, byte[] payload) {
        long at = attributeHeader(type, payload.length);
        MemorySegment.copy(payload, 0, buffer, ValueLayout.JAVA_BYTE, at + RtAttr.SIZE, payload.length);
        return this;
    }

    public MessageBuilder attributeU8(int type, int value) {
        long at = attributeHeader(type, 1);
        buffer.set(ValueLayout.JAVA_BYTE, at + RtAttr.SIZE, (byte) value);
        return this;
    }

    public MessageBuilder attributeU32(int type, int value) {
        long at = attributeHeader(type, 4);
        buffer.set(ValueLayout.JAVA_INT_UNALIGNED, at + RtAttr.SIZE, value);
        return this;
    }

    /** A NUL-terminated string attribute, as the kernel expects for names and labels. */
    public MessageBuilder attributeString(int type, String value) {
        byte[] text = value.getBytes(StandardCharsets.UTF_8);
        long at = attributeHeader(type, text.length + 1);
        MemorySegment.copy(text, 0, buffer, ValueLayout.JAVA_BYTE, at + RtAttr.SIZE, text.length);
        buffer.set(ValueLayout.JAVA_BYTE, at + RtAttr.SIZE + text.length, (byte) 0);
        return this;
    }

    private long attributeHeader(int type, int payloadLength) {
        int length = RtAttr.SIZE + payloadLength;
        if (length > 0xffff) {
            throw new IllegalArgumentException("attribute too long: type " + type + ", " + payloadLength
                    + " bytes (expected: at most " + (0xffff - RtAttr.SIZE) + ")");
        }
        long at = reserve(Netlink.align(length));
        position = at + length;
        RtAttr.length(buffer, at, length);
        RtAttr.type(buffer, at, type);
        return at;
    }

    /** Writes the length, sequence number and port id; returns the message length in bytes. */
    public int finish(int seq, int portId) {
        NlMsgHdr.length(buffer, 0, (int) position);
        NlMsgHdr.seq(buffer, 0, seq);
        NlMsgHdr.portId(buffer, 0, portId);
        return (int) position;
    }

    /** Bytes written so far. */
    public int length() {
        return (int) position;
    }

    public MemorySegment buffer() {
        return buffer;
    }

    private void ensure(long end) {
        if (end > buffer.byteSize()) {
            throw new IllegalStateException("netlink request too long: needs " + end
                    + " bytes (expected: at most " + buffer.byteSize() + ")");
        }
    }
}
