package io.tandem.core.packet;

/**
 * Why {@link PacketParser} accepted or stopped at a frame: {@link #OK}, or the
 * first layer that was truncated, malformed or not supported. Every value but
 * {@code OK} is a reason to count and drop (or to hand to the kernel).
 */
public enum ParseResult {
    /** Every layer present is complete and valid (and its checksum verified where the policy asks). */
    OK,

    /** Shorter than 14 bytes, or than its VLAN tags. */
    TRUNCATED_ETHERNET,
    /** More than two VLAN tags. */
    TOO_MANY_VLAN_TAGS,
    /** Neither IPv4, IPv6 nor ARP. */
    UNSUPPORTED_ETHERTYPE,

    /** Shorter than the 28 bytes of an Ethernet/IPv4 ARP packet. */
    TRUNCATED_ARP,
    /** ARP for other than Ethernet/IPv4 (RFC 826 htype/ptype/hlen/plen). */
    UNSUPPORTED_ARP,

    /** Shorter than 20 bytes, than IHL * 4, or than Total Length. */
    TRUNCATED_IPV4,
    /** Version field not 4. */
    BAD_IPV4_VERSION,
    /** IHL below 5. */
    BAD_IHL,
    /** Total Length below the header length. */
    BAD_IPV4_TOTAL_LENGTH,
    /** Header checksum does not verify (RFC 791 §3.1). */
    BAD_IPV4_CHECKSUM,

    /** Shorter than 40 bytes or than 40 + Payload Length. */
    TRUNCATED_IPV6,
    /** Version field not 6. */
    BAD_IPV6_VERSION,
    /** An extension header runs past the end of the packet. */
    TRUNCATED_IPV6_EXTENSION,
    /** More extension headers than {@link Ipv6Flyweight#MAX_EXTENSION_HEADERS}. */
    TOO_MANY_IPV6_EXTENSIONS,

    /**
     * An IPv4 or IPv6 fragment: the L3 header is valid and readable, the
     * transport header is absent or incomplete (RFC 791 §2.3, RFC 8200 §4.5).
     */
    FRAGMENT,
    /** A valid IP packet whose transport is none of TCP, UDP, ICMP, ICMPv6; the L3 header is readable. */
    UNSUPPORTED_PROTOCOL,

    /** Shorter than 20 bytes or than Data Offset * 4. */
    TRUNCATED_TCP,
    /** Data Offset below 5. */
    BAD_TCP_DATA_OFFSET,
    BAD_TCP_CHECKSUM,

    /** Shorter than the 8-byte header. */
    TRUNCATED_UDP,
    /** UDP Length below 8 or beyond the IP payload. */
    BAD_UDP_LENGTH,
    /** Checksum does not verify, or is 0 over IPv6 (RFC 8200 §8.1). */
    BAD_UDP_CHECKSUM,

    /** ICMP or ICMPv6 message shorter than its 8-byte header. */
    TRUNCATED_ICMP,
    BAD_ICMP_CHECKSUM;

    private static final ParseResult[] VALUES = values();

    /** The result with this ordinal, for counters kept in arrays. */
    public static ParseResult ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }

    public static int count() {
        return VALUES.length;
    }
}
