package io.tandem.core.netlink;

/** The rtnetlink multicast groups Tandem listens to (enum rtnetlink_groups in linux/rtnetlink.h). */
public enum RtnlGroup {
    LINK(1),
    NEIGH(3),
    IPV4_IFADDR(5),
    IPV4_ROUTE(7),
    IPV6_IFADDR(9),
    IPV6_ROUTE(11);

    private final int number;

    RtnlGroup(int number) {
        this.number = number;
    }

    /** The group number, as NETLINK_ADD_MEMBERSHIP takes it. */
    public int number() {
        return number;
    }

    /** {@code RTNLGRP_LINK} for 1, or the number when it is not one of these. */
    public static String name(int number) {
        for (RtnlGroup group : values()) {
            if (group.number == number) {
                return "RTNLGRP_" + group.name();
            }
        }
        return "group " + number;
    }
}
