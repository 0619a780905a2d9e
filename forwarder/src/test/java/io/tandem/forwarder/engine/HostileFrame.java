package io.tandem.forwarder.engine;

import io.tandem.core.packet.EthernetFlyweight;
import io.tandem.core.packet.Ipv4Flyweight;
import io.tandem.core.packet.ParseResult;
import io.tandem.core.packet.TcpFlyweight;
import io.tandem.core.packet.UdpFlyweight;
import io.tandem.forwarder.conn.TcpState;
import io.tandem.forwarder.path.DropReason;
import io.tandem.forwarder.path.Frames;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/**
 * The frames a broken or hostile sender puts on the director's LAN, one constant per class, each
 * with where the forwarder counts it: the parser's verdict
 * ({@link EngineCounters#malformed()}, null when the frame parses), the drop reason
 * ({@link EngineCounters#drops()}, null when none), and whether it is passed to the kernel or
 * dropped. Source: the client; {@code service} is VIP:80 (TCP), {@code stranger} an address no
 * service has.
 */
enum HostileFrame {
    /** Random bytes under an ethertype nobody here speaks: the kernel's (it ignores them). */
    OTHER_ETHERTYPE(ParseResult.UNSUPPORTED_ETHERTYPE, null, true) {
        @Override
        int write(MemorySegment f, Addresses a, SplittableRandom random) {
            int etherType;
            do {
                etherType = random.nextInt(0x0600, 0x10000);
            } while (etherType == EthernetFlyweight.ETHERTYPE_IPV4 || etherType == 0x86DD || etherType == 0x0806
                    || etherType == 0x8100 || etherType == 0x88A8 || etherType == 0x9100);
            return garbage(f, a, etherType, 0, random);
        }
    },
    /** Random bytes as an IPv4 packet (any version but 4), at least as long as an IPv4 header. */
    IPV4_GARBAGE(ParseResult.BAD_IPV4_VERSION, null, false) {
        @Override
        int write(MemorySegment f, Addresses a, SplittableRandom random) {
            int length = garbage(f, a, EthernetFlyweight.ETHERTYPE_IPV4, Frames.IP, random);
            int version = (4 + random.nextInt(1, 16)) & 0xF;
            f.set(ValueLayout.JAVA_BYTE, Frames.ETH, (byte) (version << 4 | random.nextInt(16)));
            return length;
        }
    },
    /** Ten bytes of an IPv4 header. */
    TRUNCATED_IPV4_HEADER(ParseResult.TRUNCATED_IPV4, null, false) {
        @Override
        int write(MemorySegment f, Addresses a, SplittableRandom random) {
            syn(f, a, a.vip(), 80, random);
            return Frames.ETH + 10;
        }
    },
    /** IHL 3 (12 bytes, below the minimum of 5 words). */
    BAD_IHL(ParseResult.BAD_IHL, null, false) {
        @Override
        int write(MemorySegment f, Addresses a, SplittableRandom random) {
            int length = syn(f, a, a.vip(), 80, random);
            ip(f).versionAndIhl(3).updateHeaderChecksum();
            return length;
        }
    },
    /** Total Length 12, below its own header. */
    TOTAL_LENGTH_BELOW_HEADER(ParseResult.BAD_IPV4_TOTAL_LENGTH, null, false) {
        @Override
        int write(MemorySegment f, Addresses a, SplittableRandom random) {
            int length = syn(f, a, a.vip(), 80, random);
            ip(f).totalLength(12).updateHeaderChecksum();
            return length;
        }
    },
    /** Total Length 1400 in a 54-byte frame. */
    TOTAL_LENGTH_BEYOND_FRAME(ParseResult.TRUNCATED_IPV4, null, false) {
        @Override
        int write(MemorySegment f, Addresses a, SplittableRandom random) {
            int length = syn(f, a, a.vip(), 80, random);
            ip(f).totalLength(1400).updateHeaderChecksum();
            return length;
        }
    },
    BAD_HEADER_CHECKSUM(ParseResult.BAD_IPV4_CHECKSUM, null, false) {
        @Override
        int write(MemorySegment f, Addresses a, SplittableRandom random) {
            int length = syn(f, a, a.vip(), 80, random);
            Ipv4Flyweight ip = ip(f);
            ip.ttl(ip.ttl() - 1); // the checksum no longer covers it
            return length;
        }
    },
    /** An IPv4 packet to VIP:80 whose TCP header stops after 8 bytes. */
    TRUNCATED_TCP(ParseResult.TRUNCATED_TCP, null, false) {
        @Override
        int write(MemorySegment f, Addresses a, SplittableRandom random) {
            syn(f, a, a.vip(), 80, random);
            ip(f).totalLength(Frames.IP + 8).updateHeaderChecksum();
            return Frames.ETH + Frames.IP + 8;
        }
    },
    /** TCP Data Offset 2 (below the minimum of 5 words). */
    BAD_TCP_DATA_OFFSET(ParseResult.BAD_TCP_DATA_OFFSET, null, false) {
        @Override
        int write(MemorySegment f, Addresses a, SplittableRandom random) {
            int length = syn(f, a, a.vip(), 80, random);
            new TcpFlyweight().wrap(f, Frames.ETH + Frames.IP).dataOffset(2);
            return length;
        }
    },
    /** A UDP header cut after 4 bytes. */
    TRUNCATED_UDP(ParseResult.TRUNCATED_UDP, null, false) {
        @Override
        int write(MemorySegment f, Addresses a, SplittableRandom random) {
            Frames.udp(f, a.sourceMac(), a.directorMac(), a.client(), port(random), a.vip(), 80, 16);
            ip(f).totalLength(Frames.IP + 4).updateHeaderChecksum();
            return Frames.ETH + Frames.IP + 4;
        }
    },
    /** UDP Length 4, below its own header. */
    BAD_UDP_LENGTH(ParseResult.BAD_UDP_LENGTH, null, false) {
        @Override
        int write(MemorySegment f, Addresses a, SplittableRandom random) {
            int length = Frames.udp(f, a.sourceMac(), a.directorMac(), a.client(), port(random), a.vip(), 80, 16);
            new UdpFlyweight().wrap(f, Frames.ETH + Frames.IP).length(4);
            return length;
        }
    },
    /** The first fragment (MF, offset 0) of a TCP segment to VIP:80, its TCP header whole. */
    FIRST_FRAGMENT_TO_VIP(ParseResult.FRAGMENT, DropReason.FRAGMENT, false) {
        @Override
        int write(MemorySegment f, Addresses a, SplittableRandom random) {
            int length = segment(f, a, a.vip(), TcpState.ACK, 64, random);
            ip(f).flagsAndFragmentOffset(Ipv4Flyweight.FLAG_MORE_FRAGMENTS).updateHeaderChecksum();
            return length;
        }
    },
    /** A later fragment (offset 800 bytes, the last) of a TCP packet to the VIP. */
    LATER_FRAGMENT_TO_VIP(ParseResult.FRAGMENT, DropReason.FRAGMENT, false) {
        @Override
        int write(MemorySegment f, Addresses a, SplittableRandom random) {
            int length = segment(f, a, a.vip(), TcpState.ACK, 64, random);
            ip(f).flagsAndFragmentOffset(100).updateHeaderChecksum();
            return length;
        }
    },
    /** A first fragment to an address that is no VIP: the kernel's. */
    FRAGMENT_TO_STRANGER(ParseResult.FRAGMENT, null, true) {
        @Override
        int write(MemorySegment f, Addresses a, SplittableRandom random) {
            int length = segment(f, a, a.stranger(), TcpState.SYN, 64, random);
            ip(f).flagsAndFragmentOffset(Ipv4Flyweight.FLAG_MORE_FRAGMENTS).updateHeaderChecksum();
            return length;
        }
    },
    /** A SYN to the VIP on a port without a service: the kernel's (it answers with a reset). */
    SYN_TO_PORT_WITHOUT_SERVICE(null, null, true) {
        @Override
        int write(MemorySegment f, Addresses a, SplittableRandom random) {
            return Frames.tcp(f, a.sourceMac(), a.directorMac(), a.client(), port(random), a.vip(), 9,
                    TcpState.SYN, 0, true);
        }
    },
    /** A SYN to port 80 of an address that is no VIP: the kernel's. */
    SYN_TO_STRANGER(null, null, true) {
        @Override
        int write(MemorySegment f, Addresses a, SplittableRandom random) {
            return syn(f, a, a.stranger(), 80, random);
        }
    },
    /** A UDP datagram to an address that is no VIP: the kernel's. */
    UDP_TO_STRANGER(null, null, true) {
        @Override
        int write(MemorySegment f, Addresses a, SplittableRandom random) {
            return Frames.udp(f, a.sourceMac(), a.directorMac(), a.client(), port(random), a.stranger(), 80, 32);
        }
    },
    /** An ACK to VIP:80 that belongs to no connection (IPVS schedules only on a SYN). */
    ACK_WITHOUT_CONNECTION(null, DropReason.NOT_SYN, false) {
        @Override
        int write(MemorySegment f, Addresses a, SplittableRandom random) {
            return segment(f, a, a.vip(), TcpState.ACK, 0, random);
        }
    };

    /** Where the frames go: from the client (behind {@code sourceMac}) to the director's MAC. */
    record Addresses(long sourceMac, long directorMac, int client, int vip, int stranger) {
    }

    /** The parser's verdict, or null when the frame parses. */
    final ParseResult malformed;
    /** The forwarder's drop reason, or null when it has none. */
    final DropReason drop;
    /** Left to the kernel rather than dropped. */
    final boolean passed;

    HostileFrame(ParseResult malformed, DropReason drop, boolean passed) {
        this.malformed = malformed;
        this.drop = drop;
        this.passed = passed;
    }

    /** Writes one frame of this class at the start of {@code frame}; returns its length. */
    abstract int write(MemorySegment frame, Addresses addresses, SplittableRandom random);

    private static int garbage(MemorySegment f, Addresses a, int etherType, int minimum, SplittableRandom random) {
        new EthernetFlyweight().wrap(f, 0, Frames.ETH).destination(a.directorMac()).source(a.sourceMac())
                .etherType(etherType);
        int body = random.nextInt(minimum, 200);
        for (int i = 0; i < body; i++) {
            f.set(ValueLayout.JAVA_BYTE, Frames.ETH + i, (byte) random.nextInt(256));
        }
        return Frames.ETH + body;
    }

    private static int syn(MemorySegment f, Addresses a, int destination, int port, SplittableRandom random) {
        return Frames.tcp(f, a.sourceMac(), a.directorMac(), a.client(), port(random), destination, port,
                TcpState.SYN, 0, true);
    }

    private static int segment(MemorySegment f, Addresses a, int destination, int flags, int payload,
            SplittableRandom random) {
        return Frames.tcp(f, a.sourceMac(), a.directorMac(), a.client(), port(random), destination, 80, flags,
                payload, false);
    }

    private static Ipv4Flyweight ip(MemorySegment f) {
        return new Ipv4Flyweight().wrap(f, Frames.ETH);
    }

    private static int port(SplittableRandom random) {
        return random.nextInt(1024, 65536);
    }
}
