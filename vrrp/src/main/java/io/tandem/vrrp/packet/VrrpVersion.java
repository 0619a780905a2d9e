package io.tandem.vrrp.packet;

/**
 * The Version field, the high nibble of a VRRP packet's first byte
 * (RFC 3768 §5.3.1, RFC 9568 §5.2.1).
 */
public enum VrrpVersion {
    /** VRRPv2, RFC 3768: IPv4 only, Adver Int in seconds, Auth Type and 8 bytes of Authentication Data. */
    V2(2),
    /** VRRPv3, RFC 9568 (obsoletes RFC 5798): IPv4 and IPv6, 12-bit Max Adver Int in centiseconds. */
    V3(3);

    private final int wireValue;

    VrrpVersion(int wireValue) {
        this.wireValue = wireValue;
    }

    /** The 4-bit value on the wire. */
    public int wireValue() {
        return wireValue;
    }

    /** The version for a wire value, or {@code null} when the value is neither 2 nor 3. */
    public static VrrpVersion fromWire(int value) {
        return switch (value) {
            case 2 -> V2;
            case 3 -> V3;
            default -> null;
        };
    }
}
