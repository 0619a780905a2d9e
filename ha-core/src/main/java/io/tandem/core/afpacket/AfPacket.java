package io.tandem.core.afpacket;

/**
 * Constants of the AF_PACKET interface ({@code <linux/if_packet.h>},
 * {@code <linux/if_ether.h>}, packet(7)) that this package uses.
 */
public final class AfPacket {
    /** Every protocol: the socket sees all frames, incoming and outgoing. */
    public static final int ETH_P_ALL = 0x0003;
    public static final int ETH_P_IP = 0x0800;
    public static final int ETH_P_ARP = 0x0806;
    public static final int ETH_P_8021Q = 0x8100;
    public static final int ETH_P_IPV6 = 0x86DD;
    /** IEEE 802 local experimental ethertype 1, free for tests and private protocols. */
    public static final int ETH_P_802_EX1 = 0x88B5;

    /** {@code SOL_PACKET} option names (packet(7)). */
    public static final int PACKET_ADD_MEMBERSHIP = 1;
    public static final int PACKET_DROP_MEMBERSHIP = 2;
    public static final int PACKET_RX_RING = 5;
    public static final int PACKET_STATISTICS = 6;
    public static final int PACKET_VERSION = 10;
    public static final int PACKET_HDRLEN = 11;
    public static final int PACKET_TX_RING = 13;
    public static final int PACKET_LOSS = 14;
    public static final int PACKET_VNET_HDR = 15;
    public static final int PACKET_FANOUT = 18;
    public static final int PACKET_QDISC_BYPASS = 20;
    public static final int PACKET_FANOUT_DATA = 22;
    public static final int PACKET_IGNORE_OUTGOING = 23;

    /** {@code packet_mreq.mr_type}: put the interface in promiscuous mode. */
    public static final int PACKET_MR_PROMISC = 1;

    /** {@code PACKET_VERSION} values. */
    public static final int TPACKET_V1 = 0;
    public static final int TPACKET_V2 = 1;
    public static final int TPACKET_V3 = 2;

    /** {@code sockaddr_ll.sll_pkttype} values: to us, broadcast, multicast, to another host, sent by us. */
    public static final int PACKET_HOST = 0;
    public static final int PACKET_BROADCAST = 1;
    public static final int PACKET_MULTICAST = 2;
    public static final int PACKET_OTHERHOST = 3;
    public static final int PACKET_OUTGOING = 4;

    /** ioctl(2) requests on an {@code struct ifreq} ({@code <linux/sockios.h>}). */
    public static final long SIOCGIFINDEX = 0x8933;
    public static final long SIOCGIFMTU = 0x8921;

    /** {@code ARPHRD_ETHER}: the hardware type of an Ethernet interface. */
    public static final int ARPHRD_ETHER = 1;

    private AfPacket() {
    }

    /** {@code 0x88b5}: an ethertype as it reads in messages. */
    public static String etherTypeName(int etherType) {
        return etherType == ETH_P_ALL ? "ETH_P_ALL" : String.format("0x%04x", etherType);
    }
}
