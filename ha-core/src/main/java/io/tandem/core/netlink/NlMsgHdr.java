package io.tandem.core.netlink;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@code struct nlmsghdr}, the header of every netlink message (RFC 3549,
 * section 2.3.2), in host byte order; accessors read and write it in place.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Length (with header)                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |             Type              |             Flags             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Port ID (sender PID)                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class NlMsgHdr {
    public static final int LENGTH_OFFSET = 0;
    public static final int TYPE_OFFSET = 4;
    public static final int FLAGS_OFFSET = 6;
    public static final int SEQ_OFFSET = 8;
    public static final int PORT_ID_OFFSET = 12;
    public static final int SIZE = 16;

    private NlMsgHdr() {
    }

    public static int length(MemorySegment s, long at) {
        return s.get(ValueLayout.JAVA_INT_UNALIGNED, at + LENGTH_OFFSET);
    }

    public static int type(MemorySegment s, long at) {
        return Short.toUnsignedInt(s.get(ValueLayout.JAVA_SHORT_UNALIGNED, at + TYPE_OFFSET));
    }

    public static int flags(MemorySegment s, long at) {
        return Short.toUnsignedInt(s.get(ValueLayout.JAVA_SHORT_UNALIGNED, at + FLAGS_OFFSET));
    }

    public static int seq(MemorySegment s, long at) {
        return s.get(ValueLayout.JAVA_INT_UNALIGNED, at + SEQ_OFFSET);
    }

    public static int portId(MemorySegment s, long at) {
        return s.get(ValueLayout.JAVA_INT_UNALIGNED, at + PORT_ID_OFFSET);
    }

    public static void length(MemorySegment s, long at, int length) {
        s.set(ValueLayout.JAVA_INT_UNALIGNED, at + LENGTH_OFFSET, length);
    }

    public static void type(MemorySegment s, long at, int type) {
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, at + TYPE_OFFSET, (short) type);
    }

    public static void flags(MemorySegment s, long at, int flags) {
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, at + FLAGS_OFFSET, (short) flags);
    }

    public static void seq(MemorySegment s, long at, int seq) {
        s.set(ValueLayout.JAVA_INT_UNALIGNED, at + SEQ_OFFSET, seq);
    }

    public static void portId(MemorySegment s, long at, int portId) {
        s.set(ValueLayout.JAVA_INT_UNALIGNED, at + PORT_ID_OFFSET, portId);
    }
}
