package io.tandem.forwarder.realserver;

/** Why the real server's decapsulator dropped a packet it received; counted per reason. */
public enum DecapsulationDrop {
    /** Longer than the receive buffer: the kernel cut it (MSG_TRUNC). */
    TRUNCATED("truncated"),
    /** The outer header is no valid IPv4 header (length, version, IHL, checksum). */
    OUTER_MALFORMED("outer_malformed"),
    /** The outer protocol is not 4 (IP in IP). */
    NOT_IPIP("not_ipip"),
    /** The outer source is not one of the directors the real server accepts. */
    SOURCE_NOT_ALLOWED("source_not_allowed"),
    /** The inner packet is not IPv4 (RFC 2003 carries IPv4 only). */
    INNER_NOT_IPV4("inner_not_ipv4"),
    /** The inner IPv4 packet is truncated or malformed. */
    INNER_MALFORMED("inner_malformed"),
    /** The inner destination is none of the configured VIPs. */
    NOT_A_VIP("not_a_vip"),
    /** The outer header says Congestion Experienced on an inner packet that is not ECN-capable (RFC 6040 §4.2). */
    ECN_NOT_CAPABLE("ecn_not_capable"),
    /** The TUN device refused the inner packet (write failed). */
    DELIVERY_FAILED("delivery_failed");

    private final String label;

    DecapsulationDrop(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
