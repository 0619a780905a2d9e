package io.tandem.vrrp.packet;

/**
 * The VRRPv2 Auth Type field (RFC 3768 §5.3.6; the values come from RFC 2338 §5.3.6).
 *
 * <p>RFC 3768 keeps only 0 and marks 1 and 2 "reserved"; simple text password is
 * still accepted here because keepalived's {@code auth_type PASS} sends it. VRRPv3
 * has no authentication: its packets carry {@link #NO_AUTHENTICATION}.
 */
public enum VrrpAuthType {
    /** 0: no authentication. */
    NO_AUTHENTICATION(0),
    /** 1: simple text password in the 8-byte Authentication Data (keepalived {@code PASS}). */
    SIMPLE_TEXT_PASSWORD(1),
    /** 2: IP Authentication Header (keepalived {@code AH}); recognised on the wire, never configured here. */
    IP_AUTHENTICATION_HEADER(2);

    private final int wireValue;

    VrrpAuthType(int wireValue) {
        this.wireValue = wireValue;
    }

    /** The 8-bit value on the wire. */
    public int wireValue() {
        return wireValue;
    }

    /** The auth type for a wire value, or {@code null} when it is not 0, 1 or 2. */
    public static VrrpAuthType fromWire(int value) {
        return switch (value) {
            case 0 -> NO_AUTHENTICATION;
            case 1 -> SIMPLE_TEXT_PASSWORD;
            case 2 -> IP_AUTHENTICATION_HEADER;
            default -> null;
        };
    }
}
