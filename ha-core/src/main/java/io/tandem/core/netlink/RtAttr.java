package io.tandem.core.netlink;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@code struct rtattr} (linux/rtnetlink.h, rtnetlink(7)): a 4-byte header, then the payload, then padding
 * to the next multiple of 4. The length counts header and payload, not padding.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Length             |             Type              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Payload ... (padded to 4)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class RtAttr {
    public static final int LENGTH_OFFSET = 0;
    public static final int TYPE_OFFSET = 2;
    public static final int SIZE = 4;
    /** NLA_F_NESTED and NLA_F_NET_BYTEORDER share the type field; this mask removes them. */
    public static final int TYPE_MASK = 0x3fff;

    private RtAttr() {
    }

    public static int length(MemorySegment s, long at) {
        return Short.toUnsignedInt(s.get(ValueLayout.JAVA_SHORT_UNALIGNED, at + LENGTH_OFFSET));
    }

    public static int type(MemorySegment s, long at) {
        return Short.toUnsignedInt(s.get(ValueLayout.JAVA_SHORT_UNALIGNED, at + TYPE_OFFSET)) & TYPE_MASK;
    }

    public static void length(MemorySegment s, long at, int length) {
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, at + LENGTH_OFFSET, (short) length);
    }

    public static void type(MemorySegment s, long at, int type) {
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, at + TYPE_OFFSET, (short) type);
    }
}
