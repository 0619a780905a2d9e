package io.tandem.vrrp.packet;

/**
 * Why a received VRRP packet was discarded (RFC 9568 §7.1, RFC 3768 §7.1).
 * The wire checks are made by {@link VrrpDecoder}; the others by the state machine.
 */
public enum VrrpDropReason {
    /** TTL / hop limit is not 255 (RFC 9568 §7.1, GTSM). */
    IP_TTL,
    /** Shorter than the header, or the length disagrees with Count IPvX Addr. */
    PACKET_LENGTH,
    /** Version is not 2 or 3, or VRRPv2 over IPv6. */
    VERSION,
    /** Type is not ADVERTISEMENT (1). */
    INVALID_TYPE,
    /** Count IPvX Addr is 0, or the list does not match the configured addresses (a MAY check). */
    ADDRESS_LIST,
    /** The checksum is wrong in every accepted form. */
    CHECKSUM,
    /** Interval is 0 (RFC 9568 erratum 8301), or a VRRPv2 interval differs from the local one. */
    ADVERT_INTERVAL,
    /** VRRPv2 Auth Type is not 0, 1 or 2. */
    AUTH_INVALID,
    /** VRRPv2 Auth Type differs from the local one (RFC 3768 §7.1). */
    AUTH_MISMATCH,
    /** VRRPv2 simple text password differs from the local one. */
    AUTH_FAILURE,
    /** The VRID is not configured on the receiving interface (or is 0). */
    UNKNOWN_VRID,
    /** With unicast peers and keepalived's {@code check_unicast_src}: the sender is not one of them. */
    UNKNOWN_PEER
}
