package io.tandem.core.netlink;

import java.lang.foreign.MemorySegment;

/** Hand-made rtnetlink notifications, as the kernel would send them, for decoder tests. */
final class RtnlMessages {
    private RtnlMessages() {
    }

    /**
     * RTM_NEWLINK (or RTM_DELLINK) for an Ethernet interface named by a
     * 4-character {@code name}.
     */
    static MemorySegment link(int type, int index, String name, int flags, int operState, int carrier) {
        return new Wire()
                .u32(77).u16(type).u16(0).u32(0).u32(0)      // nlmsghdr: 16 + 16 + 12 + 12 + 8 + 8 + 5 bytes
                .u8(0).u8(0).u16(1)                          // ifi_family AF_UNSPEC, pad, ifi_type ARPHRD_ETHER
                .u32(index)                                  // ifi_index
                .u32(flags)                                  // ifi_flags
                .u32(0)                                      // ifi_change
                .u16(9).u16(3).ascii(name).u8(0).zeros(3)    // IFLA_IFNAME
                .u16(10).u16(1).bytes(0x02, 0, 0x5e, 0x10, 0, 1).zeros(2) // IFLA_ADDRESS
                .u16(8).u16(4).u32(1500)                     // IFLA_MTU
                .u16(5).u16(16).u8(operState).zeros(3)       // IFLA_OPERSTATE
                .u16(5).u16(33).u8(carrier)                  // IFLA_CARRIER, last: unpadded
                .zeros(3)
                .segment();
    }

    /** RTM_NEWADDR (or RTM_DELADDR) for an IPv4 address with its peer, label and flags. */
    static MemorySegment ipv4Address(int type, int index, int[] local, int[] peer, int prefix, String label) {
        Wire wire = new Wire()
                .u32(0).u16(type).u16(0).u32(0).u32(0)       // nlmsghdr, nlmsg_len set at the end
                .u8(2).u8(prefix).u8(0x80).u8(0)             // AF_INET, prefix, IFA_F_PERMANENT, scope global
                .u32(index)
                .u16(8).u16(1).bytes(peer)                   // IFA_ADDRESS: the peer
                .u16(8).u16(2).bytes(local)                  // IFA_LOCAL: our own
                .u16(4 + label.length() + 1).u16(3).ascii(label).u8(0);
        while (wire.length() % 4 != 0) {
            wire.u8(0);
        }
        wire.u16(8).u16(8).u32(0x280);                       // IFA_FLAGS: PERMANENT | NOPREFIXROUTE
        return wire.u32At(0, wire.length()).segment();
    }
}
