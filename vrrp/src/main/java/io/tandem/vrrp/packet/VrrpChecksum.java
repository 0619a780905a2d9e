package io.tandem.vrrp.packet;

import io.netty.buffer.ByteBuf;
import io.tandem.core.packet.InternetChecksum;
import java.net.InetAddress;

/**
 * The VRRP checksum: the Internet checksum (RFC 1071) over the VRRP message, plus a
 * pseudo-header for VRRPv3 over IPv6 (RFC 9568 §5.2.8, RFC 8200 §8.1) and, in the
 * RFC 5798 / keepalived form, over IPv4 (RFC 768-style: source, destination, zero,
 * protocol 112, VRRP length). VRRPv2 covers the message only (RFC 3768 §5.3.8).
 */
public final class VrrpChecksum {
    private VrrpChecksum() {
    }

    /** The partial sum of the pseudo-header for a VRRP message of {@code length} bytes. */
    public static long pseudoHeaderSum(InetAddress source, InetAddress destination, int length) {
        byte[] src = source.getAddress();
        byte[] dst = destination.getAddress();
        long sum = InternetChecksum.sum(src, 0, src.length, 0);
        sum = InternetChecksum.sum(dst, 0, dst.length, sum);
        // IPv4: zero byte + protocol, then a 16-bit length; IPv6: 32-bit length, 24 zero bits + next header.
        // Both add up to the same 16-bit words when the length fits in 16 bits.
        return sum + VrrpConstants.IP_PROTOCOL + length;
    }

    /** The partial sum of {@code length} message bytes from {@code index}. */
    public static long messageSum(ByteBuf buf, int index, int length) {
        return InternetChecksum.sum(buf, index, length, 0);
    }

    /** Whether a partial sum that includes the stored checksum field verifies (folds to zero). */
    public static boolean verifies(long sum) {
        return InternetChecksum.fold(sum) == 0;
    }

    /** The value to store in the Checksum field (which must be zero while summing). */
    public static int compute(long sum) {
        return InternetChecksum.fold(sum);
    }
}
