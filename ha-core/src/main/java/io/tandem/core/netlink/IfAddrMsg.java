package io.tandem.core.netlink;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@code struct ifaddrmsg}, the fixed part of RTM_NEWADDR, RTM_DELADDR and
 * RTM_GETADDR (rtnetlink(7), linux/rtnetlink.h), followed by IFA_*
 * attributes.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Family      |  Prefix Len   |    Flags      |    Scope      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Interface Index                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class IfAddrMsg {
    public static final int RTM_NEWADDR = 20;
    public static final int RTM_DELADDR = 21;
    public static final int RTM_GETADDR = 22;

    public static final int IFA_ADDRESS = 1;
    public static final int IFA_LOCAL = 2;
    public static final int IFA_LABEL = 3;
    /** u32 flags; the 8-bit field in the header cannot hold IFA_F_NOPREFIXROUTE and above. */
    public static final int IFA_FLAGS = 8;

    public static final int IFA_F_SECONDARY = 0x01;
    public static final int IFA_F_NODAD = 0x02;
    public static final int IFA_F_DADFAILED = 0x08;
    public static final int IFA_F_TENTATIVE = 0x40;
    public static final int IFA_F_PERMANENT = 0x80;

    public static final int FAMILY_OFFSET = 0;
    public static final int PREFIX_LENGTH_OFFSET = 1;
    public static final int FLAGS_OFFSET = 2;
    public static final int SCOPE_OFFSET = 3;
    public static final int INDEX_OFFSET = 4;
    public static final int SIZE = 8;

    private IfAddrMsg() {
    }

    public static int family(MemorySegment s, long at) {
        return Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, at + FAMILY_OFFSET));
    }

    public static int prefixLength(MemorySegment s, long at) {
        return Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, at + PREFIX_LENGTH_OFFSET));
    }

    public static int flags(MemorySegment s, long at) {
        return Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, at + FLAGS_OFFSET));
    }

    public static int scope(MemorySegment s, long at) {
        return Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, at + SCOPE_OFFSET));
    }

    public static int index(MemorySegment s, long at) {
        return s.get(ValueLayout.JAVA_INT_UNALIGNED, at + INDEX_OFFSET);
    }

    public static void family(MemorySegment s, long at, int family) {
        s.set(ValueLayout.JAVA_BYTE, at + FAMILY_OFFSET, (byte) family);
    }

    public static void prefixLength(MemorySegment s, long at, int prefixLength) {
        s.set(ValueLayout.JAVA_BYTE, at + PREFIX_LENGTH_OFFSET, (byte) prefixLength);
    }

    public static void flags(MemorySegment s, long at, int flags) {
        s.set(ValueLayout.JAVA_BYTE, at + FLAGS_OFFSET, (byte) flags);
    }

    public static void scope(MemorySegment s, long at, int scope) {
        s.set(ValueLayout.JAVA_BYTE, at + SCOPE_OFFSET, (byte) scope);
    }

    public static void index(MemorySegment s, long at, int index) {
        s.set(ValueLayout.JAVA_INT_UNALIGNED, at + INDEX_OFFSET, index);
    }
}
