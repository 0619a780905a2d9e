package io.tandem.vrrp.packet;

/** Wire constants of VRRP (RFC 3768 §5, RFC 9568 §5). */
public final class VrrpConstants {
    /** IP protocol number / IPv6 next header of VRRP (RFC 9568 §5.1.1.4, §5.1.2.3). */
    public static final int IP_PROTOCOL = 112;
    /** The TTL / hop limit every advertisement is sent with and must arrive with (RFC 9568 §5.1.1.3). */
    public static final int REQUIRED_TTL = 255;
    /** The IPv4 multicast group 224.0.0.18 (RFC 9568 §5.1.1.2). */
    public static final String IPV4_MULTICAST_GROUP = "224.0.0.18";
    /** The IPv6 multicast group ff02::12 (RFC 9568 §5.1.2.2). */
    public static final String IPV6_MULTICAST_GROUP = "ff02::12";

    /** Length of the fixed header before the address list. */
    public static final int HEADER_LENGTH = 8;
    /** Length of the VRRPv2 Authentication Data after the address list (RFC 3768 §5.3.10). */
    public static final int AUTH_DATA_LENGTH = 8;

    /** Offset of Version (high nibble) and Type (low nibble). */
    public static final int VERSION_TYPE_OFFSET = 0;
    /** Offset of Virtual Rtr ID. */
    public static final int VRID_OFFSET = 1;
    /** Offset of Priority. */
    public static final int PRIORITY_OFFSET = 2;
    /** Offset of Count IPvX Addr. */
    public static final int COUNT_OFFSET = 3;
    /** VRRPv2: offset of Auth Type. */
    public static final int V2_AUTH_TYPE_OFFSET = 4;
    /** VRRPv2: offset of Adver Int (seconds). */
    public static final int V2_ADVER_INT_OFFSET = 5;
    /** VRRPv3: offset of the 16 bits holding 4 reserved bits and the 12-bit Max Adver Int. */
    public static final int V3_MAX_ADVER_INT_OFFSET = 4;
    /** Mask of Max Adver Int in its 16-bit word. */
    public static final int V3_MAX_ADVER_INT_MASK = 0x0FFF;
    /** Offset of Checksum. */
    public static final int CHECKSUM_OFFSET = 6;
    /** Offset of the first address. */
    public static final int ADDRESSES_OFFSET = 8;

    /** Largest VRRPv3 Max Adver Int in centiseconds (12 bits, 40.95 s). */
    public static final int V3_MAX_ADVER_INT_CENTIS = 4095;
    /** Largest VRRPv2 Adver Int in seconds (8 bits). */
    public static final int V2_MAX_ADVER_INT_SECONDS = 255;
    /** Priority of the IPvX address owner (RFC 9568 §5.2.4). */
    public static final int PRIORITY_OWNER = 255;
    /** Priority of a master that stops being master (RFC 9568 §5.2.4). */
    public static final int PRIORITY_STOP = 0;

    private VrrpConstants() {
    }
}
