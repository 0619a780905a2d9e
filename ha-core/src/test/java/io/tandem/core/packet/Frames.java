package io.tandem.core.packet;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/** Test frames: built from unsigned byte values so each field can carry its own comment. */
final class Frames {
    private Frames() {
    }

    /** Bytes from values 0 ~ 255. */
    static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] > 0xFF) {
                throw new IllegalArgumentException("invalid byte: " + values[i] + " at " + i + " (expected: 0 ~ 255)");
            }
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    /** Concatenation of byte arrays. */
    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    /** A heap segment over a copy of {@code frame}, so a test can scribble on it. */
    static MemorySegment segment(byte[] frame) {
        return MemorySegment.ofArray(Arrays.copyOf(frame, frame.length));
    }

    /** {@code frame} with {@code tag} (4 bytes: TPID, TCI) inserted after the MAC addresses. */
    static byte[] withTag(byte[] frame, int tpid, int tci) {
        return concat(Arrays.copyOfRange(frame, 0, 12),
                bytes(tpid >>> 8, tpid & 0xFF, tci >>> 8, tci & 0xFF),
                Arrays.copyOfRange(frame, 12, frame.length));
    }
}
