package io.tandem.forwarder.realserver;

import io.tandem.core.packet.ChecksumPolicy;
import io.tandem.core.packet.InternetChecksum;
import io.tandem.core.packet.Ipv4Flyweight;
import io.tandem.core.packet.PacketParser;
import io.tandem.core.packet.ParseResult;
import io.tandem.core.packet.ParsedPacket;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The real server's half of LVS's TUN mode, in user space for kernels without
 * the ipip module: checks an IP-in-IP packet (RFC 2003) as a raw socket
 * receives it and finds the inner packet to hand to the local stack.
 *
 * <pre>
 * | outer IPv4: DIP -&gt; RIP, protocol 4 | inner IPv4: CIP -&gt; VIP, TCP/UDP/... (untouched) |
 *   checked: valid header, protocol 4,    checked: IPv4, valid header and length,
 *   source allowed (if a list is given)   destination one of the VIPs
 * </pre>
 *
 * <p>ECN is decapsulated as RFC 6040 §4.2 says: Congestion Experienced on the
 * outer header is copied to an ECN-capable inner packet (its header checksum
 * updated), and the packet is dropped when the inner one is not ECN-capable.
 * Everything else is delivered unchanged (the inner TTL is the client's; the
 * real server is its destination, not a router on its way).
 *
 * <p>What fails a check is counted by {@link DecapsulationDrop}, never thrown.
 * One instance per receiving thread; nothing is allocated.
 */
public final class IpipDecapsulator {
    /** Returned by {@link #decapsulate} for a dropped packet. */
    public static final int DROP = -1;
    private static final int ECN_MASK = 0x03;
    private static final int ECN_NOT_ECT = 0x00;
    private static final int ECN_CE = 0x03;

    private final int[] vips;
    private final int[] directors;
    private final PacketParser parser = new PacketParser(ChecksumPolicy.IPV4_HEADER);
    private final ParsedPacket outer = new ParsedPacket();
    private final ParsedPacket inner = new ParsedPacket();
    private final long[] drops = new long[DecapsulationDrop.values().length];
    private long innerOffset;
    private long decapsulated;
    private long decapsulatedBytes;

    /**
     * @param vips the inner destinations accepted (IPv4 as network-order ints)
     * @param directors the outer sources accepted; empty: any
     */
    public IpipDecapsulator(int[] vips, int[] directors) {
        if (vips.length == 0) {
            throw new IllegalArgumentException("no VIP given (expected: at least one address to accept)");
        }
        this.vips = vips.clone();
        this.directors = directors.clone();
    }

    /**
     * Checks the IP packet of {@code length} bytes at {@code offset} (outer
     * header included, as an IPv4 raw socket delivers it).
     *
     * @return the inner packet's length (it starts at {@link #innerOffset()}), or {@link #DROP}
     */
    public int decapsulate(MemorySegment segment, long offset, int length) {
        ParseResult outerResult = parser.parseIp(segment, offset, length, outer);
        // the version is set once the header checked out (length, version, IHL, checksum)
        if (outer.ipVersion() != Ipv4Flyweight.VERSION || outerResult == ParseResult.FRAGMENT) {
            // a fragment too: the kernel reassembles before a raw socket sees it
            return drop(DecapsulationDrop.OUTER_MALFORMED);
        }
        Ipv4Flyweight o = outer.ipv4();
        if (o.protocol() != Ipv4Flyweight.PROTOCOL_IPIP) {
            return drop(DecapsulationDrop.NOT_IPIP);
        }
        if (directors.length > 0 && !contains(directors, o.sourceAddress())) {
            return drop(DecapsulationDrop.SOURCE_NOT_ALLOWED);
        }
        long at = o.payloadOffset();
        int available = o.payloadLength();
        if (available < 1 || (segment.get(ValueLayout.JAVA_BYTE, at) & 0xF0) >>> 4 != Ipv4Flyweight.VERSION) {
            return drop(DecapsulationDrop.INNER_NOT_IPV4);
        }
        ParseResult innerResult = parser.parseIp(segment, at, available, inner);
        if (innerResult != ParseResult.OK && innerResult != ParseResult.FRAGMENT
                && innerResult != ParseResult.UNSUPPORTED_PROTOCOL) {
            return drop(DecapsulationDrop.INNER_MALFORMED);
        }
        Ipv4Flyweight i = inner.ipv4();
        if (!contains(vips, i.destinationAddress())) {
            return drop(DecapsulationDrop.NOT_A_VIP);
        }
        if ((o.tos() & ECN_MASK) == ECN_CE) {
            int tos = i.tos();
            if ((tos & ECN_MASK) == ECN_NOT_ECT) {
                return drop(DecapsulationDrop.ECN_NOT_CAPABLE);
            }
            if ((tos & ECN_MASK) != ECN_CE) {
                int word = firstWord(i);
                i.tos(tos | ECN_CE);
                i.headerChecksum(InternetChecksum.update16(i.headerChecksum(), word, firstWord(i)));
            }
        }
        innerOffset = at;
        int innerLength = i.totalLength();
        decapsulated++;
        decapsulatedBytes += innerLength;
        return innerLength;
    }

    /** Where the inner packet of the last successful {@link #decapsulate} starts. */
    public long innerOffset() {
        return innerOffset;
    }

    /** Counts a packet the caller dropped (a truncated receive, a failed delivery). */
    public void count(DecapsulationDrop reason) {
        drops[reason.ordinal()]++;
    }

    public long dropped(DecapsulationDrop reason) {
        return drops[reason.ordinal()];
    }

    /** Inner packets found and handed on (a failed delivery is also counted as {@link DecapsulationDrop#DELIVERY_FAILED}). */
    public long decapsulated() {
        return decapsulated;
    }

    public long decapsulatedBytes() {
        return decapsulatedBytes;
    }

    private int drop(DecapsulationDrop reason) {
        drops[reason.ordinal()]++;
        return DROP;
    }

    private static boolean contains(int[] addresses, int address) {
        for (int a : addresses) {
            if (a == address) {
                return true;
            }
        }
        return false;
    }

    /** The first 16-bit word of an IPv4 header (version, IHL, TOS), which the ECN bits sit in. */
    private static int firstWord(Ipv4Flyweight ip) {
        return (ip.version() << 12) | (ip.ihl() << 8) | ip.tos();
    }
}
