package io.tandem.core.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property: after any rewrite the forwarder does (addresses, ports, TTL), the
 * incrementally updated checksums (RFC 1624) equal a full recomputation, over
 * many random packets from a fixed seed, including rewrites forced to land on
 * the one's-complement zero.
 */
class RewriteChecksumTest {
    private static final long SEED = 0x1624_0BADL;

    private final PacketParser parser = new PacketParser(ChecksumPolicy.ALL);
    private final ParsedPacket packet = new ParsedPacket();

    @Test
    void randomRewritesKeepEveryChecksumEqualToAFullRecomputation() {
        Random random = new Random(SEED);
        TestPackets packets = new TestPackets(random);
        for (int round = 0; round < 5_000; round++) {
            TestPackets.Kind kind = packets.randomKind();
            byte[] frame = packets.build(kind, 1460);
            MemorySegment segment = MemorySegment.ofArray(frame);
            assertThat(parser.parse(segment, 0, frame.length, packet)).as("round %d %s", round, kind).isEqualTo(ParseResult.OK);
            for (int step = 0; step < 4; step++) {
                rewriteSomething(random);
                assertChecksumsAreFullyRecomputed(kind, round);
            }
            assertThat(parser.parse(segment, 0, frame.length, packet)).as("round %d %s", round, kind).isEqualTo(ParseResult.OK);
        }
    }

    /** A port chosen so that the new full checksum is 0x0000: TCP must store 0x0000, UDP its 0xFFFF form. */
    @Test
    void portRewritesLandingOnZero() {
        Random random = new Random(SEED);
        TestPackets packets = new TestPackets(random);
        for (int round = 0; round < 2_000; round++) {
            TestPackets.Kind kind = random.nextBoolean() ? TestPackets.Kind.IPV4_TCP
                    : random.nextBoolean() ? TestPackets.Kind.IPV4_UDP : TestPackets.Kind.IPV6_UDP;
            byte[] frame = packets.build(kind, 300);
            assertThat(parser.parse(MemorySegment.ofArray(frame), 0, frame.length, packet)).isEqualTo(ParseResult.OK);
            boolean tcp = packet.protocol() == Ipv4Flyweight.PROTOCOL_TCP;
            int oldPort = packet.destinationPort();
            setDestinationPortRaw(0);
            int onesSum = ~rawChecksum(tcp) & 0xFFFF;
            int forcing = 0xFFFF - onesSum;
            setDestinationPortRaw(oldPort);

            packet.rewriteDestinationPort(forcing);
            if (tcp) {
                assertThat(packet.tcp().checksum()).isEqualTo(0x0000);
            } else {
                assertThat(packet.udp().checksum()).isEqualTo(0xFFFF);
            }
            assertChecksumsAreFullyRecomputed(kind, round);
            // and from the zero (or its 0xFFFF form) onwards
            packet.rewriteSourcePort(random.nextInt(0x10000));
            assertChecksumsAreFullyRecomputed(kind, round);
        }
    }

    /** A destination address chosen so that the new IPv4 header checksum is 0x0000, through the combined rewrite. */
    @Test
    void addressRewritesLandingOnAZeroHeaderChecksum() {
        Random random = new Random(SEED);
        TestPackets packets = new TestPackets(random);
        for (int round = 0; round < 2_000; round++) {
            TestPackets.Kind kind = random.nextBoolean() ? TestPackets.Kind.IPV4_TCP : TestPackets.Kind.IPV4_UDP;
            byte[] frame = packets.build(kind, 100);
            assertThat(parser.parse(MemorySegment.ofArray(frame), 0, frame.length, packet)).isEqualTo(ParseResult.OK);
            Ipv4Flyweight ip = packet.ipv4();
            int old = ip.destinationAddress();
            int high = random.nextInt() & 0xFFFF_0000;
            ip.destinationAddress(high);
            int forcing = high | (0xFFFF - (~ip.computeHeaderChecksum() & 0xFFFF));
            ip.destinationAddress(old);

            packet.rewriteIpv4DestinationAddress(forcing);
            assertThat(ip.headerChecksum()).isEqualTo(0x0000);
            assertChecksumsAreFullyRecomputed(kind, round);
            packet.rewriteIpv4SourceAddress(random.nextInt());
            assertChecksumsAreFullyRecomputed(kind, round);
        }
    }

    @Test
    void udpWithoutChecksumStaysWithoutChecksum() {
        TestPackets packets = new TestPackets(new Random(SEED));
        byte[] frame = packets.build(TestPackets.Kind.IPV4_UDP_NO_CHECKSUM, 64);
        assertThat(parser.parse(MemorySegment.ofArray(frame), 0, frame.length, packet)).isEqualTo(ParseResult.OK);
        packet.rewriteIpv4DestinationAddress(0x0a00_0001).rewriteDestinationPort(53).rewriteSourcePort(1);
        assertThat(packet.udp().checksum()).isEqualTo(UdpFlyweight.NO_CHECKSUM);
        assertThat(packet.ipv4().isHeaderChecksumValid()).isTrue();
    }

    @Test
    void ttlDecrementStopsAtOne() {
        byte[] frame = CapturedFrames.TCP_DATA.clone();
        assertThat(parser.parse(MemorySegment.ofArray(frame), 0, frame.length, packet)).isEqualTo(ParseResult.OK);
        Ipv4Flyweight ip = packet.ipv4();
        for (int expected = 63; expected >= 1; expected--) {
            assertThat(ip.decrementTtl()).isTrue();
            assertThat(ip.ttl()).isEqualTo(expected);
            assertThat(ip.headerChecksum()).isEqualTo(ip.computeHeaderChecksum());
        }
        assertThat(ip.decrementTtl()).isFalse();
        assertThat(ip.ttl()).isEqualTo(1);
    }

    @Test
    void rewritesRefuseAPacketThatDidNotParse() {
        byte[] frame = CapturedFrames.TCP_DATA.clone();
        assertThat(parser.parse(MemorySegment.ofArray(frame), 0, 20, packet)).isEqualTo(ParseResult.TRUNCATED_IPV4);
        assertThatThrownBy(() -> packet.rewriteIpv4DestinationAddress(1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot rewrite: parse result TRUNCATED_IPV4, IP version 0 (expected: OK, IPv4)");
        assertThat(parser.parse(MemorySegment.ofArray(frame), 0, frame.length, packet)).isEqualTo(ParseResult.OK);
        assertThatThrownBy(() -> packet.rewriteIpv6DestinationAddress(1, 2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot rewrite: parse result OK, IP version 4 (expected: OK, IPv6)");
    }

    private void rewriteSomething(Random random) {
        boolean ports = packet.protocol() == Ipv4Flyweight.PROTOCOL_TCP || packet.protocol() == Ipv4Flyweight.PROTOCOL_UDP;
        switch (random.nextInt(5)) {
            case 0 -> {
                if (packet.ipVersion() == 4) {
                    packet.rewriteIpv4SourceAddress(random.nextInt());
                } else {
                    packet.rewriteIpv6SourceAddress(random.nextLong(), random.nextLong());
                }
            }
            case 1 -> {
                if (packet.ipVersion() == 4) {
                    packet.rewriteIpv4DestinationAddress(random.nextInt());
                } else {
                    packet.rewriteIpv6DestinationAddress(random.nextLong(), random.nextLong());
                }
            }
            case 2 -> {
                if (ports) {
                    packet.rewriteSourcePort(random.nextInt(0x10000));
                }
            }
            case 3 -> {
                if (ports) {
                    packet.rewriteDestinationPort(random.nextInt(0x10000));
                }
            }
            default -> {
                if (packet.ipVersion() == 4) {
                    packet.ipv4().rewriteTtl(random.nextInt(256));
                } else if (packet.protocol() == Ipv4Flyweight.PROTOCOL_TCP) {
                    packet.tcp().rewriteSequenceNumber(random.nextInt()).rewriteAcknowledgmentNumber(random.nextInt());
                }
            }
        }
    }

    private void assertChecksumsAreFullyRecomputed(TestPackets.Kind kind, int round) {
        String what = "round " + round + " " + kind;
        if (packet.ipVersion() == 4) {
            assertThat(packet.ipv4().headerChecksum()).as(what).isEqualTo(packet.ipv4().computeHeaderChecksum());
        }
        long pseudo = packet.pseudoHeaderSum();
        int length = packet.transportLength();
        switch (packet.protocol()) {
            case Ipv4Flyweight.PROTOCOL_TCP ->
                    assertThat(packet.tcp().checksum()).as(what).isEqualTo(packet.tcp().computeChecksum(pseudo, length));
            case Ipv4Flyweight.PROTOCOL_UDP -> {
                if (kind == TestPackets.Kind.IPV4_UDP_NO_CHECKSUM) {
                    assertThat(packet.udp().checksum()).as(what).isZero();
                } else {
                    assertThat(packet.udp().checksum()).as(what).isEqualTo(packet.udp().computeChecksum(pseudo, length));
                }
            }
            case Ipv4Flyweight.PROTOCOL_ICMP ->
                    assertThat(packet.icmpv4().checksum()).as(what).isEqualTo(packet.icmpv4().computeChecksum(length));
            case Icmpv6Flyweight.NEXT_HEADER ->
                    assertThat(packet.icmpv6().checksum()).as(what).isEqualTo(packet.icmpv6().computeChecksum(pseudo, length));
            default -> throw new AssertionError("unexpected protocol " + packet.protocol());
        }
    }

    private void setDestinationPortRaw(int port) {
        if (packet.protocol() == Ipv4Flyweight.PROTOCOL_TCP) {
            packet.tcp().destinationPort(port);
        } else {
            packet.udp().destinationPort(port);
        }
    }

    /** The full checksum before UDP's 0 -> 0xFFFF mapping. */
    private int rawChecksum(boolean tcp) {
        long pseudo = packet.pseudoHeaderSum();
        int length = packet.transportLength();
        if (tcp) {
            return packet.tcp().computeChecksum(pseudo, length);
        }
        long sum = InternetChecksum.sum(packet.segment(), packet.transportOffset(), UdpFlyweight.CHECKSUM_OFFSET, pseudo);
        sum = InternetChecksum.sum(packet.segment(), packet.transportOffset() + 8, length - 8, sum);
        return InternetChecksum.fold(sum);
    }
}
