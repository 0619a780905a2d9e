package io.tandem.core.netlink;

/**
 * Netlink protocol constants from {@code linux/netlink.h} (RFC 3549, section
 * 2.3.2): message flags, the control message types and the socket options.
 */
public final class Netlink {
    /** Protocol number of rtnetlink, the routing family (RFC 3549, section 3). */
    public static final int NETLINK_ROUTE = 0;

    /** Messages and attributes are padded to this many bytes (NLMSG_ALIGNTO, RTA_ALIGNTO). */
    public static final int ALIGNMENT = 4;

    public static final int NLM_F_REQUEST = 0x01;
    public static final int NLM_F_MULTI = 0x02;
    public static final int NLM_F_ACK = 0x04;
    public static final int NLM_F_ECHO = 0x08;
    public static final int NLM_F_DUMP_INTR = 0x10;
    /** GET modifiers. */
    public static final int NLM_F_ROOT = 0x100;
    public static final int NLM_F_MATCH = 0x200;
    public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    /** NEW modifiers. */
    public static final int NLM_F_REPLACE = 0x100;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    public static final int NLM_F_APPEND = 0x800;
    /** Acknowledgement flags: the request was not echoed whole, TLVs follow. */
    public static final int NLM_F_CAPPED = 0x100;
    public static final int NLM_F_ACK_TLVS = 0x200;

    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;

    /** Extended acknowledgement attribute: the kernel's error text. */
    public static final int NLMSGERR_ATTR_MSG = 1;

    public static final int NETLINK_ADD_MEMBERSHIP = 1;
    public static final int NETLINK_DROP_MEMBERSHIP = 2;
    public static final int NETLINK_CAP_ACK = 10;
    public static final int NETLINK_EXT_ACK = 11;

    private Netlink() {
    }

    /** {@code length} rounded up to the next multiple of {@link #ALIGNMENT} (NLMSG_ALIGN, RTA_ALIGN). */
    public static int align(int length) {
        return (length + ALIGNMENT - 1) & ~(ALIGNMENT - 1);
    }

    /** {@link #align(int)} for offsets. */
    public static long align(long offset) {
        return (offset + ALIGNMENT - 1) & ~(long) (ALIGNMENT - 1);
    }
}
