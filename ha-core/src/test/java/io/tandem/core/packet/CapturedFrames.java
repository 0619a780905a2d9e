package io.tandem.core.packet;

import static io.tandem.core.packet.Frames.bytes;

/**
 * Real frames, captured with tcpdump on a veth pair between two test
 * namespaces (transmit checksum offload turned off, so every checksum is
 * final), written out field by field. tshark 4 reported every IPv4, TCP,
 * UDP, ICMP and ICMPv6 checksum in them "[correct]".
 * Hosts: 192.168.77.1 / fd00:77::1 at ba:2e:96:02:4e:43,
 *        192.168.77.2 / fd00:77::2 at 06:09:ad:9a:56:4f.
 */
final class CapturedFrames {
    private CapturedFrames() {
    }

    /** ARP request "who has 192.168.77.2? tell 192.168.77.1" (42 bytes, before padding). */
    static final byte[] ARP_REQUEST = bytes(
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff,     // Ethernet destination: broadcast
            0xba, 0x2e, 0x96, 0x02, 0x4e, 0x43,     // Ethernet source
            0x08, 0x06,                             // EtherType: ARP
            0x00, 0x01,                             // hardware type: Ethernet
            0x08, 0x00,                             // protocol type: IPv4
            0x06,                                   // hardware address length
            0x04,                                   // protocol address length
            0x00, 0x01,                             // operation: request
            0xba, 0x2e, 0x96, 0x02, 0x4e, 0x43,     // sender hardware address
            0xc0, 0xa8, 0x4d, 0x01,                 // sender protocol address 192.168.77.1
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00,     // target hardware address: unknown
            0xc0, 0xa8, 0x4d, 0x02);                // target protocol address 192.168.77.2

    /** TCP SYN 192.168.77.1:60116 -> 192.168.77.2:8080 with MSS, SACK-permitted, timestamps, NOP, window scale. */
    static final byte[] TCP_SYN = bytes(
            0x06, 0x09, 0xad, 0x9a, 0x56, 0x4f,     // Ethernet destination
            0xba, 0x2e, 0x96, 0x02, 0x4e, 0x43,     // Ethernet source
            0x08, 0x00,                             // EtherType: IPv4
            0x45,                                   // version 4, IHL 5
            0x00,                                   // DSCP 0, ECN 0
            0x00, 0x3c,                             // total length 60
            0xe6, 0x17,                             // identification
            0x40, 0x00,                             // flags DF, fragment offset 0
            0x40,                                   // TTL 64
            0x06,                                   // protocol TCP
            0x39, 0x50,                             // header checksum
            0xc0, 0xa8, 0x4d, 0x01,                 // source 192.168.77.1
            0xc0, 0xa8, 0x4d, 0x02,                 // destination 192.168.77.2
            0xea, 0xd4,                             // source port 60116
            0x1f, 0x90,                             // destination port 8080
            0xbf, 0x0b, 0xb6, 0xb2,                 // sequence number 3205215922
            0x00, 0x00, 0x00, 0x00,                 // acknowledgment number 0
            0xa0,                                   // data offset 10 (40 bytes), reserved 0
            0x02,                                   // flags SYN
            0xfa, 0xf0,                             // window 64240
            0x0a, 0x72,                             // checksum
            0x00, 0x00,                             // urgent pointer
            0x02, 0x04, 0x05, 0xb4,                 // option MSS, length 4, 1460
            0x04, 0x02,                             // option SACK permitted, length 2
            0x08, 0x0a,                             // option timestamps, length 10
            0xe5, 0xf8, 0xc1, 0x29,                 //   TSval 3858284841
            0x00, 0x00, 0x00, 0x00,                 //   TSecr 0
            0x01,                                   // option NOP
            0x03, 0x03, 0x0a);                      // option window scale, length 3, shift 10

    /** TCP PSH/ACK carrying "GET / HTTP/1.0\r\n\r\n" (18 bytes) with a timestamps option. */
    static final byte[] TCP_DATA = bytes(
            0x06, 0x09, 0xad, 0x9a, 0x56, 0x4f,     // Ethernet destination
            0xba, 0x2e, 0x96, 0x02, 0x4e, 0x43,     // Ethernet source
            0x08, 0x00,                             // EtherType: IPv4
            0x45,                                   // version 4, IHL 5
            0x00,                                   // DSCP 0, ECN 0
            0x00, 0x46,                             // total length 70
            0xe6, 0x19,                             // identification
            0x40, 0x00,                             // flags DF, fragment offset 0
            0x40,                                   // TTL 64
            0x06,                                   // protocol TCP
            0x39, 0x44,                             // header checksum
            0xc0, 0xa8, 0x4d, 0x01,                 // source 192.168.77.1
            0xc0, 0xa8, 0x4d, 0x02,                 // destination 192.168.77.2
            0xea, 0xd4,                             // source port 60116
            0x1f, 0x90,                             // destination port 8080
            0xbf, 0x0b, 0xb6, 0xb3,                 // sequence number
            0x36, 0x65, 0x35, 0xae,                 // acknowledgment number
            0x80,                                   // data offset 8 (32 bytes)
            0x18,                                   // flags PSH, ACK
            0x00, 0x3f,                             // window 63 (scaled by 1024)
            0xb4, 0xad,                             // checksum
            0x00, 0x00,                             // urgent pointer
            0x01, 0x01,                             // options NOP, NOP
            0x08, 0x0a,                             // option timestamps, length 10
            0xe5, 0xf8, 0xc1, 0x29,                 //   TSval
            0xa1, 0x97, 0x92, 0xd0,                 //   TSecr
            0x47, 0x45, 0x54, 0x20, 0x2f, 0x20,     // payload "GET / "
            0x48, 0x54, 0x54, 0x50, 0x2f, 0x31,     //         "HTTP/1"
            0x2e, 0x30, 0x0d, 0x0a, 0x0d, 0x0a);    //         ".0\r\n\r\n"

    /** UDP 192.168.77.1:40903 -> 192.168.77.2:5300 carrying "tandem" (48 bytes, before padding). */
    static final byte[] UDP_IPV4 = bytes(
            0x06, 0x09, 0xad, 0x9a, 0x56, 0x4f,     // Ethernet destination
            0xba, 0x2e, 0x96, 0x02, 0x4e, 0x43,     // Ethernet source
            0x08, 0x00,                             // EtherType: IPv4
            0x45,                                   // version 4, IHL 5
            0x00,                                   // DSCP 0, ECN 0
            0x00, 0x22,                             // total length 34
            0x6a, 0xd7,                             // identification
            0x40, 0x00,                             // flags DF
            0x40,                                   // TTL 64
            0x11,                                   // protocol UDP
            0xb4, 0x9f,                             // header checksum
            0xc0, 0xa8, 0x4d, 0x01,                 // source 192.168.77.1
            0xc0, 0xa8, 0x4d, 0x02,                 // destination 192.168.77.2
            0x9f, 0xc7,                             // source port 40903
            0x14, 0xb4,                             // destination port 5300
            0x00, 0x0e,                             // length 14
            0xe7, 0xce,                             // checksum
            0x74, 0x61, 0x6e, 0x64, 0x65, 0x6d);    // payload "tandem"

    /** ICMP destination unreachable (port unreachable) answering {@link #UDP_IPV4}, quoting its IP header + 8 bytes and more. */
    static final byte[] ICMP_PORT_UNREACHABLE = bytes(
            0xba, 0x2e, 0x96, 0x02, 0x4e, 0x43,     // Ethernet destination
            0x06, 0x09, 0xad, 0x9a, 0x56, 0x4f,     // Ethernet source
            0x08, 0x00,                             // EtherType: IPv4
            0x45,                                   // version 4, IHL 5
            0xc0,                                   // DSCP 48 (CS6), ECN 0
            0x00, 0x3e,                             // total length 62
            0xc9, 0xf3,                             // identification
            0x00, 0x00,                             // no flags
            0x40,                                   // TTL 64
            0x01,                                   // protocol ICMP
            0x94, 0xb7,                             // header checksum
            0xc0, 0xa8, 0x4d, 0x02,                 // source 192.168.77.2
            0xc0, 0xa8, 0x4d, 0x01,                 // destination 192.168.77.1
            0x03,                                   // ICMP type 3 destination unreachable
            0x03,                                   // code 3 port unreachable
            0x18, 0x71,                             // ICMP checksum
            0x00, 0x00, 0x00, 0x00,                 // unused
            0x45, 0x00, 0x00, 0x22,                 // original IP header: version/IHL, DSCP, total length 34
            0x6a, 0xd7, 0x40, 0x00,                 //   identification, flags DF
            0x40, 0x11, 0xb4, 0x9f,                 //   TTL 64, protocol UDP, header checksum
            0xc0, 0xa8, 0x4d, 0x01,                 //   source 192.168.77.1
            0xc0, 0xa8, 0x4d, 0x02,                 //   destination 192.168.77.2
            0x9f, 0xc7, 0x14, 0xb4,                 // original UDP header: ports 40903 -> 5300
            0x00, 0x0e, 0xe7, 0xce,                 //   length 14, checksum
            0x74, 0x61, 0x6e, 0x64, 0x65, 0x6d);    // original payload "tandem"

    /** UDP [fd00:77::1]:49446 -> [fd00:77::2]:5353 carrying "tandem6". */
    static final byte[] UDP_IPV6 = bytes(
            0x06, 0x09, 0xad, 0x9a, 0x56, 0x4f,     // Ethernet destination
            0xba, 0x2e, 0x96, 0x02, 0x4e, 0x43,     // Ethernet source
            0x86, 0xdd,                             // EtherType: IPv6
            0x60, 0x0f, 0xe9, 0x56,                 // version 6, traffic class 0, flow label 0xfe956
            0x00, 0x0f,                             // payload length 15
            0x11,                                   // next header UDP
            0x40,                                   // hop limit 64
            0xfd, 0x00, 0x00, 0x77, 0x00, 0x00, 0x00, 0x00,   // source fd00:77::1
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
            0xfd, 0x00, 0x00, 0x77, 0x00, 0x00, 0x00, 0x00,   // destination fd00:77::2
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
            0xc1, 0x26,                             // source port 49446
            0x14, 0xe9,                             // destination port 5353
            0x00, 0x0f,                             // length 15
            0xb0, 0x9a,                             // checksum
            0x74, 0x61, 0x6e, 0x64, 0x65, 0x6d, 0x36);   // payload "tandem6"

    /** ICMPv6 neighbor advertisement fd00:77::2 -> fd00:77::1 (solicited, override) with a target link-layer option. */
    static final byte[] ICMPV6_NEIGHBOR_ADVERTISEMENT = bytes(
            0xba, 0x2e, 0x96, 0x02, 0x4e, 0x43,     // Ethernet destination
            0x06, 0x09, 0xad, 0x9a, 0x56, 0x4f,     // Ethernet source
            0x86, 0xdd,                             // EtherType: IPv6
            0x60, 0x00, 0x00, 0x00,                 // version 6, traffic class 0, flow label 0
            0x00, 0x20,                             // payload length 32
            0x3a,                                   // next header ICMPv6
            0xff,                                   // hop limit 255 (RFC 4861 §7.1.2)
            0xfd, 0x00, 0x00, 0x77, 0x00, 0x00, 0x00, 0x00,   // source fd00:77::2
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
            0xfd, 0x00, 0x00, 0x77, 0x00, 0x00, 0x00, 0x00,   // destination fd00:77::1
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
            0x88,                                   // type 136 neighbor advertisement
            0x00,                                   // code 0
            0x13, 0x44,                             // checksum
            0x60, 0x00, 0x00, 0x00,                 // flags S, O; reserved
            0xfd, 0x00, 0x00, 0x77, 0x00, 0x00, 0x00, 0x00,   // target address fd00:77::2
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
            0x02, 0x01,                             // option target link-layer address, length 1 (8 bytes)
            0x06, 0x09, 0xad, 0x9a, 0x56, 0x4f);    //   06:09:ad:9a:56:4f

    /** MLDv2 report behind a Hop-by-Hop Options header carrying Router Alert (RFC 3810 §5). */
    static final byte[] MLDV2_REPORT_WITH_HOP_BY_HOP = bytes(
            0x33, 0x33, 0x00, 0x00, 0x00, 0x16,     // Ethernet destination: IPv6 multicast ff02::16
            0xba, 0x2e, 0x96, 0x02, 0x4e, 0x43,     // Ethernet source
            0x86, 0xdd,                             // EtherType: IPv6
            0x60, 0x00, 0x00, 0x00,                 // version 6, traffic class 0, flow label 0
            0x00, 0x38,                             // payload length 56
            0x00,                                   // next header Hop-by-Hop Options
            0x01,                                   // hop limit 1
            0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,   // source fe80::b82e:96ff:fe02:4e43
            0xb8, 0x2e, 0x96, 0xff, 0xfe, 0x02, 0x4e, 0x43,
            0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,   // destination ff02::16
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x16,
            0x3a,                                   // Hop-by-Hop: next header ICMPv6
            0x00,                                   //   header extension length 0 (8 bytes)
            0x05, 0x02, 0x00, 0x00,                 //   option Router Alert, length 2, MLD
            0x01, 0x00,                             //   option PadN, length 0
            0x8f,                                   // ICMPv6 type 143 MLDv2 report
            0x00,                                   // code 0
            0x85, 0x34,                             // checksum
            0x00, 0x00,                             // reserved
            0x00, 0x02,                             // 2 multicast address records
            0x04, 0x00, 0x00, 0x00,                 // record: change to exclude, no aux data, 0 sources
            0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,   //   ff02::1:ff02:4e43
            0x00, 0x00, 0x00, 0x01, 0xff, 0x02, 0x4e, 0x43,
            0x04, 0x00, 0x00, 0x00,                 // record: change to exclude, no aux data, 0 sources
            0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,   //   ff02::1:ff00:1
            0x00, 0x00, 0x00, 0x01, 0xff, 0x00, 0x00, 0x01);

    static final byte[][] ALL = {
        ARP_REQUEST, TCP_SYN, TCP_DATA, UDP_IPV4, ICMP_PORT_UNREACHABLE,
        UDP_IPV6, ICMPV6_NEIGHBOR_ADVERTISEMENT, MLDV2_REPORT_WITH_HOP_BY_HOP,
    };
}
