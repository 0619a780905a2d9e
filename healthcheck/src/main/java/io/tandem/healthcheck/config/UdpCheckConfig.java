package io.tandem.healthcheck.config;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * UDP_CHECK (keepalived {@code check_udp.c}): sends {@code payload} on a
 * connected socket. Without {@code require_reply} it passes unless an ICMP
 * unreachable comes back within {@code connect_timeout}; with it, a reply
 * must arrive, within {@code min/max_reply_length}, and start with the
 * required bytes.
 *
 * @param payload        the datagram sent (may be empty)
 * @param requireReply   true to require a reply
 * @param replyPrefix    bytes the reply must start with (hex in the configuration), or empty for any
 * @param minReplyLength {@code min_reply_length}
 * @param maxReplyLength {@code max_reply_length}
 */
public record UdpCheckConfig(CheckerOptions options, byte[] payload, boolean requireReply, byte[] replyPrefix,
        int minReplyLength, int maxReplyLength) implements CheckerConfig {

    public UdpCheckConfig {
        Objects.requireNonNull(options, "options");
        payload = payload == null ? new byte[0] : payload.clone();
        replyPrefix = replyPrefix == null ? new byte[0] : replyPrefix.clone();
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
                replyHex == null ? null : hex.parseHex(replyHex), 0, 65507);
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
    public CheckerKind kind() {
        return CheckerKind.UDP_CHECK;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UdpCheckConfig u && options.equals(u.options) && Arrays.equals(payload, u.payload)
                && requireReply == u.requireReply && Arrays.equals(replyPrefix, u.replyPrefix)
                && minReplyLength == u.minReplyLength && maxReplyLength == u.maxReplyLength;
    }

    @Override
    public int hashCode() {
        return Objects.hash(options, Arrays.hashCode(payload), requireReply, Arrays.hashCode(replyPrefix),
                minReplyLength, maxReplyLength);
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return "UdpCheckConfig[" + options.connectTo() + ", payload=" + hex.formatHex(payload) + ", requireReply="
                + requireReply + ", reply=" + hex.formatHex(replyPrefix) + "]";
    }
}
