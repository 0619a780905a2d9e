package io.tandem.healthcheck.config;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * UDP_CHECK (keepalived {@code check_udp.c}): sends {@code payload} on a
 * connected socket. Without {@code require_reply} it passes unless an ICMP
 * unreachable comes back within {@code connect_timeout}; with it, a reply
 * must arrive, and when {@code require_reply} names bytes, the reply must be
 * within {@code min/max_reply_length} and its first bytes (as many as both
 * have) must equal them where {@code replyMask} has 1 bits (keepalived.conf's
 * X nibbles are 0 bits: any value).
 *
 * @param payload        the datagram sent (may be empty)
 * @param requireReply   true to require a reply
 * @param replyPrefix    the bytes the reply must start with (hex in the configuration), or empty for any
 * @param replyMask      the bits of {@code replyPrefix} that must match, as long as it; null: all
 * @param minReplyLength {@code min_reply_length}
 * @param maxReplyLength {@code max_reply_length} (keepalived's default is 255)
 */
public record UdpCheckConfig(CheckerOptions options, byte[] payload, boolean requireReply, byte[] replyPrefix,
        byte[] replyMask, int minReplyLength, int maxReplyLength) implements CheckerConfig {

    public UdpCheckConfig {
        Objects.requireNonNull(options, "options");
        payload = payload == null ? new byte[0] : payload.clone();
        replyPrefix = replyPrefix == null ? new byte[0] : replyPrefix.clone();
        if (replyMask == null) {
            replyMask = new byte[replyPrefix.length];
            Arrays.fill(replyMask, (byte) 0xff);
        } else {
            replyMask = replyMask.clone();
        }
        if (replyMask.length != replyPrefix.length) {
            throw new IllegalArgumentException("invalid reply mask length: " + replyMask.length + " (expected: "
                    + replyPrefix.length + ", the reply's)");
        }
        if (payload.length > 65507) {
            throw new IllegalArgumentException("invalid payload length: " + payload.length + " (expected: <= 65507)");
        }
        if (minReplyLength < 0 || maxReplyLength < minReplyLength || maxReplyLength > 65507) {
            throw new IllegalArgumentException("invalid reply length bounds: " + minReplyLength + ".."
                    + maxReplyLength + " (expected: 0 <= min <= max <= 65507)");
        }
    }

    public static UdpCheckConfig of(CheckerOptions options, String payloadHex, boolean requireReply, String replyHex) {
        HexFormat hex = HexFormat.of();
        return new UdpCheckConfig(options, payloadHex == null ? null : hex.parseHex(payloadHex), requireReply,
                replyHex == null ? null : hex.parseHex(replyHex), null, 0, 65507);
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public byte[] replyPrefix() {
        return replyPrefix.clone();
    }

    @Override
    public byte[] replyMask() {
        return replyMask.clone();
    }

    @Override
    public CheckerKind kind() {
        return CheckerKind.UDP_CHECK;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UdpCheckConfig u && options.equals(u.options) && Arrays.equals(payload, u.payload)
                && requireReply == u.requireReply && Arrays.equals(replyPrefix, u.replyPrefix)
                && Arrays.equals(replyMask, u.replyMask) && minReplyLength == u.minReplyLength && maxReplyLength == u.maxReplyLength;
    }

    @Override
    public int hashCode() {
        return Objects.hash(options, Arrays.hashCode(payload), requireReply, Arrays.hashCode(replyPrefix),
                Arrays.hashCode(replyMask), minReplyLength, maxReplyLength);
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return "UdpCheckConfig[" + options.connectTo() + ", payload=" + hex.formatHex(payload) + ", requireReply="
                + requireReply + ", reply=" + hex.formatHex(replyPrefix) + "/" + hex.formatHex(replyMask) + "]";
    }
}
