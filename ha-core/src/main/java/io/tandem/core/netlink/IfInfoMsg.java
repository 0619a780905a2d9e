package io.tandem.core.netlink;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@code struct ifinfomsg}, the fixed part of RTM_NEWLINK, RTM_DELLINK and
 * RTM_GETLINK (rtnetlink(7), linux/rtnetlink.h), followed by IFLA_*
 * attributes.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    Family     |   Reserved    |          Device Type          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Interface Index                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Device Flags (IFF_*)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      Change Mask                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class IfInfoMsg {
    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    public static final int RTM_GETLINK = 18;

    public static final int IFLA_ADDRESS = 1;
    public static final int IFLA_IFNAME = 3;
    public static final int IFLA_MTU = 4;
    public static final int IFLA_OPERSTATE = 16;
    public static final int IFLA_CARRIER = 33;

    public static final int IFF_UP = 0x1;
    public static final int IFF_LOOPBACK = 0x8;
    public static final int IFF_RUNNING = 0x40;
    public static final int IFF_LOWER_UP = 0x10000;

    public static final int FAMILY_OFFSET = 0;
    public static final int TYPE_OFFSET = 2;
    public static final int INDEX_OFFSET = 4;
    public static final int FLAGS_OFFSET = 8;
    public static final int CHANGE_OFFSET = 12;
    public static final int SIZE = 16;

    private IfInfoMsg() {
    }

    public static int family(MemorySegment s, long at) {
        return Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, at + FAMILY_OFFSET));
    }

    public static int index(MemorySegment s, long at) {
        return s.get(ValueLayout.JAVA_INT_UNALIGNED, at + INDEX_OFFSET);
    }

    public static int flags(MemorySegment s, long at) {
        return s.get(ValueLayout.JAVA_INT_UNALIGNED, at + FLAGS_OFFSET);
    }

    public static void family(MemorySegment s, long at, int family) {
        s.set(ValueLayout.JAVA_BYTE, at + FAMILY_OFFSET, (byte) family);
    }

    public static void index(MemorySegment s, long at, int index) {
        s.set(ValueLayout.JAVA_INT_UNALIGNED, at + INDEX_OFFSET, index);
    }

    public static void flags(MemorySegment s, long at, int flags) {
        s.set(ValueLayout.JAVA_INT_UNALIGNED, at + FLAGS_OFFSET, flags);
    }

    public static void change(MemorySegment s, long at, int change) {
        s.set(ValueLayout.JAVA_INT_UNALIGNED, at + CHANGE_OFFSET, change);
    }
}
