package io.tandem.core.packet;

/**
 * Which checksums {@link PacketParser} verifies. Frames a local stack sent
 * through a veth or with transmit offload carry partial transport checksums
 * ({@code CHECKSUM_PARTIAL}), so transport checksums are verified only where
 * the frames are known to come from the wire.
 */
public enum ChecksumPolicy {
    /** Structure only. */
    NONE,
    /** The IPv4 header checksum (20-60 bytes, cheap). */
    IPV4_HEADER,
    /** The IPv4 header checksum and the TCP, UDP, ICMP and ICMPv6 checksums. */
    ALL
}
