package io.tandem.core.netlink;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@code struct rtmsg}, the fixed part of RTM_NEWROUTE, RTM_DELROUTE and
 * RTM_GETROUTE (rtnetlink(7), linux/rtnetlink.h), followed by RTA_*
 * attributes.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Family      |  Dst length   |  Src length   |      TOS      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Table ID     |   Protocol    |     Scope     |     Type      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          Flags                                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class RtMsg {
    public static final int RTM_NEWROUTE = 24;
    public static final int RTM_DELROUTE = 25;
    public static final int RTM_GETROUTE = 26;

    public static final int RTA_DST = 1;
    public static final int RTA_OIF = 4;
    public static final int RTA_GATEWAY = 5;
    public static final int RTA_PRIORITY = 6;
    public static final int RTA_PREFSRC = 7;
    public static final int RTA_TABLE = 15;

    public static final int RT_TABLE_MAIN = 254;
    /** Route installed by an administrator (RTPROT_STATIC). */
    public static final int RTPROT_STATIC = 4;
    public static final int RTN_UNICAST = 1;
    public static final int RTN_BLACKHOLE = 6;
    public static final int RTN_UNREACHABLE = 7;
    public static final int RTN_PROHIBIT = 8;
    public static final int RTN_THROW = 9;
    /** rtm_table when the table is given in RTA_TABLE (ids above 255). */
    public static final int RT_TABLE_UNSPEC = 0;

    public static final int FAMILY_OFFSET = 0;
    public static final int DST_LENGTH_OFFSET = 1;
    public static final int TABLE_OFFSET = 4;
    public static final int PROTOCOL_OFFSET = 5;
    public static final int SCOPE_OFFSET = 6;
    public static final int TYPE_OFFSET = 7;
    public static final int SIZE = 12;

    private RtMsg() {
    }

    public static int family(MemorySegment s, long at) {
        return Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, at + FAMILY_OFFSET));
    }

    public static int dstLength(MemorySegment s, long at) {
        return Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, at + DST_LENGTH_OFFSET));
    }

    public static int table(MemorySegment s, long at) {
        return Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, at + TABLE_OFFSET));
    }

    public static int type(MemorySegment s, long at) {
        return Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, at + TYPE_OFFSET));
    }

    public static void family(MemorySegment s, long at, int family) {
        s.set(ValueLayout.JAVA_BYTE, at + FAMILY_OFFSET, (byte) family);
    }

    public static void dstLength(MemorySegment s, long at, int length) {
        s.set(ValueLayout.JAVA_BYTE, at + DST_LENGTH_OFFSET, (byte) length);
    }

    public static void table(MemorySegment s, long at, int table) {
        s.set(ValueLayout.JAVA_BYTE, at + TABLE_OFFSET, (byte) table);
    }

    public static void protocol(MemorySegment s, long at, int protocol) {
        s.set(ValueLayout.JAVA_BYTE, at + PROTOCOL_OFFSET, (byte) protocol);
    }

    public static void scope(MemorySegment s, long at, int scope) {
        s.set(ValueLayout.JAVA_BYTE, at + SCOPE_OFFSET, (byte) scope);
    }

    public static void type(MemorySegment s, long at, int type) {
        s.set(ValueLayout.JAVA_BYTE, at + TYPE_OFFSET, (byte) type);
    }
}
