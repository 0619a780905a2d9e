package io.tandem.core.netlink;

/**
 * The operational state of an interface (IFLA_OPERSTATE), RFC 2863's
 * ifOperStatus (section 3.1.14) as Linux reports it (IF_OPER_*; kernel
 * documentation networking/operstates).
 */
public enum OperState {
    UNKNOWN,
    NOTPRESENT,
    DOWN,
    LOWERLAYERDOWN,
    TESTING,
    DORMANT,
    UP;

    /** The state for IF_OPER_* value {@code value}; values this kernel version does not define read as UNKNOWN. */
    public static OperState of(int value) {
        OperState[] all = values();
        return value >= 0 && value < all.length ? all[value] : UNKNOWN;
    }
}
