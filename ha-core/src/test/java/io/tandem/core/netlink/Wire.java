package io.tandem.core.netlink;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Writes hand-made netlink bytes field by field, in host byte order as netlink uses it. */
final class Wire {
    private final ByteBuffer buffer = ByteBuffer.allocate(4096).order(ByteOrder.nativeOrder());

    Wire u8(int value) {
        buffer.put((byte) value);
        return this;
    }

    Wire u16(int value) {
        buffer.putShort((short) value);
        return this;
    }

    Wire u32(int value) {
        buffer.putInt(value);
        return this;
    }

    /** Overwrites the 32-bit field at {@code offset}, for lengths known only at the end. */
    Wire u32At(int offset, int value) {
        buffer.putInt(offset, value);
        return this;
    }

    Wire bytes(int... values) {
        for (int value : values) {
            buffer.put((byte) value);
        }
        return this;
    }

    Wire ascii(String text) {
        for (char c : text.toCharArray()) {
            buffer.put((byte) c);
        }
        return this;
    }

    Wire zeros(int count) {
        buffer.put(new byte[count]);
        return this;
    }

    int length() {
        return buffer.position();
    }

    byte[] toArray() {
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    MemorySegment segment() {
        return MemorySegment.ofArray(toArray());
    }
}
