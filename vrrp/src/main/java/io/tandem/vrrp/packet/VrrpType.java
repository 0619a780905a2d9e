package io.tandem.vrrp.packet;

/** The Type field, the low nibble of a VRRP packet's first byte (RFC 3768 §5.3.2, RFC 9568 §5.2.2). */
public enum VrrpType {
    /** The only type defined: 1 = ADVERTISEMENT. Any other value is discarded. */
    ADVERTISEMENT(1);

    private final int wireValue;

    VrrpType(int wireValue) {
        this.wireValue = wireValue;
    }

    /** The 4-bit value on the wire. */
    public int wireValue() {
        return wireValue;
    }

    /** The type for a wire value, or {@code null} when it is not defined. */
    public static VrrpType fromWire(int value) {
        return value == 1 ? ADVERTISEMENT : null;
    }
}
