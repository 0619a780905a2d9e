package io.tandem.core.netlink;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@code struct ndmsg}, the fixed part of RTM_NEWNEIGH, RTM_DELNEIGH and
 * RTM_GETNEIGH (rtnetlink(7), linux/rtnetlink.h), followed by NDA_*
 * attributes.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Family      |    Reserved1  |           Reserved2           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Interface Index                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           State (NUD_*)       |     Flags     |     Type      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class NdMsg {
    public static final int RTM_NEWNEIGH = 28;
    public static final int RTM_DELNEIGH = 29;
    public static final int RTM_GETNEIGH = 30;

    public static final int NDA_DST = 1;
    public static final int NDA_LLADDR = 2;

    /** Ask the kernel to use the entry as if a packet were sent through it, starting resolution. */
    public static final int NTF_USE = 0x01;

    public static final int FAMILY_OFFSET = 0;
    public static final int INDEX_OFFSET = 4;
    public static final int STATE_OFFSET = 8;
    public static final int FLAGS_OFFSET = 10;
    public static final int TYPE_OFFSET = 11;
    public static final int SIZE = 12;

    private NdMsg() {
    }

    public static int family(MemorySegment s, long at) {
        return Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, at + FAMILY_OFFSET));
    }

    public static int index(MemorySegment s, long at) {
        return s.get(ValueLayout.JAVA_INT_UNALIGNED, at + INDEX_OFFSET);
    }

    public static int state(MemorySegment s, long at) {
        return Short.toUnsignedInt(s.get(ValueLayout.JAVA_SHORT_UNALIGNED, at + STATE_OFFSET));
    }

    public static int flags(MemorySegment s, long at) {
        return Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, at + FLAGS_OFFSET));
    }

    public static void family(MemorySegment s, long at, int family) {
        s.set(ValueLayout.JAVA_BYTE, at + FAMILY_OFFSET, (byte) family);
    }

    public static void index(MemorySegment s, long at, int index) {
        s.set(ValueLayout.JAVA_INT_UNALIGNED, at + INDEX_OFFSET, index);
    }

    public static void state(MemorySegment s, long at, int state) {
        s.set(ValueLayout.JAVA_SHORT_UNALIGNED, at + STATE_OFFSET, (short) state);
    }

    public static void flags(MemorySegment s, long at, int flags) {
        s.set(ValueLayout.JAVA_BYTE, at + FLAGS_OFFSET, (byte) flags);
    }
}
