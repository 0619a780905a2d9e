package io.tandem.core.lab;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One captured frame: when it was seen and its bytes (an Ethernet frame for
 * link type 1). The accessors below read the Ethernet and IPv4 headers for
 * the common checks of lab tests; they return -1 or null when the frame is
 * not IPv4 over Ethernet.
 *
 * @param timestamp      the capture time
 * @param data           the captured bytes (not copied: do not modify)
 * @param originalLength the frame's length on the wire (data may be shorter)
 */
public record PcapFrame(Instant timestamp, byte[] data, int originalLength) {
    private static final int ETHERNET_HEADER = 14;
    private static final int ETHER_TYPE_OFFSET = 12;
    private static final int ETHER_TYPE_IPV4 = 0x0800;
    private static final int IPV4_PROTOCOL_OFFSET = ETHERNET_HEADER + 9;
    private static final int IPV4_SOURCE_OFFSET = ETHERNET_HEADER + 12;
    private static final int IPV4_DESTINATION_OFFSET = ETHERNET_HEADER + 16;

    /** The EtherType (IEEE 802.3 clause 3.2.6), or -1 when the frame is shorter than an Ethernet header. */
    public int etherType() {
        if (data.length < ETHERNET_HEADER) {
            return -1;
        }
        return (data[ETHER_TYPE_OFFSET] & 0xff) << 8 | data[ETHER_TYPE_OFFSET + 1] & 0xff;
    }

    /** The destination MAC, lowercase with colons. */
    public String destinationMac() {
        return data.length < ETHERNET_HEADER ? null : HexFormat.ofDelimiter(":").formatHex(data, 0, 6);
    }

    /** The source MAC, lowercase with colons. */
    public String sourceMac() {
        return data.length < ETHERNET_HEADER ? null : HexFormat.ofDelimiter(":").formatHex(data, 6, 12);
    }

    /** The IPv4 protocol number (RFC 791 section 3.1; 1 = ICMP), or -1. */
    public int ipProtocol() {
        return isIpv4() ? data[IPV4_PROTOCOL_OFFSET] & 0xff : -1;
    }

    /** The IPv4 source address, dotted, or null. */
    public String ipv4Source() {
        return isIpv4() ? dotted(IPV4_SOURCE_OFFSET) : null;
    }

    /** The IPv4 destination address, dotted, or null. */
    public String ipv4Destination() {
        return isIpv4() ? dotted(IPV4_DESTINATION_OFFSET) : null;
    }

    private boolean isIpv4() {
        return etherType() == ETHER_TYPE_IPV4 && data.length >= IPV4_DESTINATION_OFFSET + 4;
    }

    private String dotted(int offset) {
        return (data[offset] & 0xff) + "." + (data[offset + 1] & 0xff) + "."
                + (data[offset + 2] & 0xff) + "." + (data[offset + 3] & 0xff);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PcapFrame f && timestamp.equals(f.timestamp) && originalLength == f.originalLength
                && Arrays.equals(data, f.data);
    }

    @Override
    public int hashCode() {
        return timestamp.hashCode() * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "PcapFrame[" + timestamp + ", " + data.length + "/" + originalLength + " bytes"
                + (isIpv4() ? ", " + ipv4Source() + " > " + ipv4Destination() + " proto " + ipProtocol() : "") + "]";
    }
}
