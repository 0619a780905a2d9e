package io.tandem.vrrp.packet;

/**
 * Which bytes the VRRPv3 checksum covers for IPv4.
 *
 * <p>RFC 5798 §5.2.8 adds the IPv4 pseudo-header; RFC 9568 §5.2.8 covers the VRRP
 * message only for IPv4. keepalived and most deployed routers use the pseudo-header
 * form; keepalived's {@code v3_checksum_as_v2} switches to the message-only form
 * (Cisco, Juniper, RFC 9568). Receivers accept both (see {@link VrrpDecoder}); this
 * choice decides what is sent. VRRPv2 (message only) and VRRPv3 over IPv6 (always
 * the IPv6 pseudo-header) are not affected.
 */
public enum VrrpChecksumMode {
    /** RFC 5798 and keepalived's default: IPv4 pseudo-header plus the VRRP message. */
    IPV4_PSEUDO_HEADER,
    /** RFC 9568 §5.2.8 and keepalived's {@code v3_checksum_as_v2}: the VRRP message only. */
    MESSAGE_ONLY
}
