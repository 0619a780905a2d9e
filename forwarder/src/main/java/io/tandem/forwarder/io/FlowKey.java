package io.tandem.forwarder.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Which worker owns a frame when several share the interface: the rule that
 * {@link FanoutProgram} gives the kernel, in Java. The key is the client side's
 * port, the one field both directions of a flow share, {@link #mix mixed}:
 *
 * <ul>
 * <li>TCP or UDP to a VIP (a request): its source port, the client's;
 * <li>any other TCP or UDP (a NAT reply RIP -> CIP, a FULLNAT reply RIP -> LIP): its
 *     destination port, the client's or the FULLNAT local port, which the owner chose
 *     so that it maps back to itself ({@link io.tandem.forwarder.service.LocalAddressPool});
 * <li>an ICMP error (types 3, 4, 5, 11, 12) quoting TCP or UDP: the quoted packet's
 *     destination port when its source is a VIP (our reply, quoted back by the client's
 *     side), else its source port (our request, quoted back by the real server's side);
 * <li>anything else (not IPv4, a non-first fragment, other protocols, a frame cut short): 0.
 * </ul>
 * The kernel sends a frame to worker {@code key % workers} ({@link #owner}). The port is mixed
 * first because Linux clients {@code connect()} from even ports only (bind(2) takes the odd
 * ones, since Linux 4.6): the raw port modulo an even number of workers would leave half of
 * them idle.
 */
public final class FlowKey {
    static final int ETH_P_IP = 0x0800;
    static final int TCP = 6;
    static final int UDP = 17;
    static final int ICMP = 1;
    /** The ICMP error types whose quote the forwarder translates (RFC 792). */
    static final int[] ICMP_ERRORS = {3, 4, 5, 11, 12};
    /** An ICMP error's header before the quoted IP header. */
    static final int ICMP_HEADER_LENGTH = 8;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final int[] vips;

    /** A rule for these VIPs (IPv4 addresses as ints). */
    public FlowKey(int[] vips) {
        this.vips = vips.clone();
        Arrays.sort(this.vips);
    }

    /** Fibonacci hashing's multiplier, 2^32 / golden ratio: spreads neighbouring ports apart. */
    static final int MULTIPLIER = 0x9E3779B1;

    /** The worker of {@code workers} that owns the flows with {@code key}: as the kernel, key modulo workers. */
    public static int owner(long key, int workers) {
        return (int) Long.remainderUnsigned(key, workers);
    }

    /** A port's key: the high 16 bits of {@code port * MULTIPLIER} modulo 2^32, as the program computes it. */
    public static int mix(int port) {
        return (port * MULTIPLIER) >>> 16;
    }

    /** The ports in {@code first ~ last} whose key worker {@code worker} of {@code workers} owns, ascending. */
    public static int[] ownedPorts(int first, int last, int worker, int workers) {
        return IntStream.rangeClosed(first, last)
                .filter(p -> owner(mix(p), workers) == worker).toArray();
    }

    /** The key of an IPv4 packet {@code network} (starting at its IP header) of a frame of {@code etherType}. */
    public long key(int etherType, MemorySegment network) {
        long size = network.byteSize();
        if (etherType != ETH_P_IP || size < 20) {
            return 0;
        }
        if ((network.get(SHORT, 6) & 0x1FFF) != 0) {
            return 0;
        }
        int protocol = u8(network, 9);
        int ihl = (u8(network, 0) & 0xF) << 2;
        // each check below stands for a load of the program that would run past the end
        if (protocol == TCP || protocol == UDP) {
            boolean request = isVip(network.get(INT, 16));
            int port = request ? ihl : ihl + 2;
            return port + 2 > size ? 0 : mix(u16(network, port));
        }
        if (protocol != ICMP || ihl + 1 > size || !isError(u8(network, ihl))) {
            return 0;
        }
        int inner = ihl + ICMP_HEADER_LENGTH;
        if (inner + 10 > size) {
            return 0;
        }
        int innerProtocol = u8(network, inner + 9);
        if (innerProtocol != TCP && innerProtocol != UDP || inner + 16 > size) {
            return 0;
        }
        int ports = inner + ((u8(network, inner) & 0xF) << 2);
        int port = isVip(network.get(INT, inner + 12)) ? ports + 2 : ports;
        return port + 2 > size ? 0 : mix(u16(network, port));
    }

    private boolean isVip(int address) {
        return Arrays.binarySearch(vips, address) >= 0;
    }

    static boolean isError(int type) {
        for (int t : ICMP_ERRORS) {
            if (t == type) {
                return true;
            }
        }
        return false;
    }

    private static int u8(MemorySegment s, long at) {
        return s.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
    }

    private static int u16(MemorySegment s, long at) {
        return s.get(SHORT, at) & 0xFFFF;
    }
}
