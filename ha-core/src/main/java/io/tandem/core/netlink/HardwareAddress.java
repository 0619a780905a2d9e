package io.tandem.core.netlink;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A link-layer ("hardware", RFC 826) address: 6 bytes for Ethernet, other
 * lengths for other link types. Immutable; printed as {@code 02:00:5e:10:00:01}.
 */
public final class HardwareAddress {
    public static final int ETHERNET_LENGTH = 6;
    private static final int MAX_LENGTH = 32;
    private static final HexFormat FORMAT = HexFormat.ofDelimiter(":");

    private final byte[] bytes;

    private HardwareAddress(byte[] bytes) {
        if (bytes.length == 0 || bytes.length > MAX_LENGTH) {
            throw new IllegalArgumentException("invalid hardware address length: " + bytes.length
                    + " (expected: 1 ~ " + MAX_LENGTH + ")");
        }
        this.bytes = bytes;
    }

    public static HardwareAddress of(byte... bytes) {
        return new HardwareAddress(bytes.clone());
    }

    /** Parses {@code 02:00:5e:10:00:01} (colon-separated hex bytes). */
    public static HardwareAddress parse(String text) {
        try {
            return new HardwareAddress(FORMAT.parseHex(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid hardware address: '" + text
                    + "' (expected: colon-separated hex bytes, such as 02:00:5e:10:00:01)", e);
        }
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    public boolean isEthernet() {
        return bytes.length == ETHERNET_LENGTH;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HardwareAddress other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return FORMAT.formatHex(bytes);
    }
}
