package io.tandem.core.config.model;

import java.util.HexFormat;

/**
 * A UDP_CHECK hex string ({@code payload}, {@code require_reply}): bytes, and for each nibble whether
 * it must match (keepalived.conf(5): X or x marks a nibble that is ignored in replies).
 */
public record HexPattern(byte[] bytes, byte[] mask) {
    public HexPattern {
        bytes = bytes.clone();
        mask = mask.clone();
        if (bytes.length != mask.length) {
            throw new IllegalArgumentException("mask length " + mask.length + " (expected: " + bytes.length + ")");
        }
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public byte[] mask() {
        return mask.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HexPattern p && java.util.Arrays.equals(bytes, p.bytes) && java.util.Arrays.equals(mask, p.mask);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(bytes) + java.util.Arrays.hashCode(mask);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
