package io.tandem.core.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The rewrites that change an IPv4 address and a port together ({@link ParsedPacket#rewriteIpv4Source},
 * {@link ParsedPacket#rewriteIpv4Destination}, {@link ParsedPacket#rewriteIpv4}) fold each checksum once
 * over the summed RFC 1624 terms: the bytes they leave are those of the field-by-field rewrites, and
 * every checksum equals a full recomputation, UDP's "no checksum" 0 and 0xFFFF forms included. And
 * {@link ParsedPacket#wrapCopy}: a copy's flyweights where a parse of the copy would put them.
 */
class Ipv4EndpointRewriteTest {
    private static final long SEED = 0x1624_3E3EL;
    private static final TestPackets.Kind[] KINDS = {
        TestPackets.Kind.IPV4_TCP, TestPackets.Kind.IPV4_UDP, TestPackets.Kind.IPV4_UDP_NO_CHECKSUM};

    private final PacketParser parser = new PacketParser(ChecksumPolicy.ALL);
    private final ParsedPacket combined = new ParsedPacket();
    private final ParsedPacket fieldByField = new ParsedPacket();

    @Test
    void combinedRewritesEqualFieldByFieldRewritesAndAFullRecomputation() {
        Random random = new Random(SEED);
        TestPackets packets = new TestPackets(random);
        for (int round = 0; round < 10_000; round++) {
            TestPackets.Kind kind = KINDS[random.nextInt(KINDS.length)];
            byte[] frame = packets.build(kind, 1460);
            byte[] copy = frame.clone();
            assertThat(parser.parse(MemorySegment.ofArray(frame), 0, frame.length, combined)).isEqualTo(ParseResult.OK);
            assertThat(parser.parse(MemorySegment.ofArray(copy), 0, copy.length, fieldByField)).isEqualTo(ParseResult.OK);
            int sourceAddress = random.nextInt();
            int sourcePort = random.nextInt(0x10000);
            int destinationAddress = random.nextInt();
            int destinationPort = random.nextInt(0x10000);
            String what = "round " + round + " " + kind;
            switch (random.nextInt(3)) {
                case 0 -> { // NAT reply
                    combined.rewriteIpv4Source(sourceAddress, sourcePort);
                    fieldByField.rewriteIpv4SourceAddress(sourceAddress).rewriteSourcePort(sourcePort);
                }
                case 1 -> { // NAT request
                    combined.rewriteIpv4Destination(destinationAddress, destinationPort);
                    fieldByField.rewriteIpv4DestinationAddress(destinationAddress).rewriteDestinationPort(destinationPort);
                }
                default -> { // FULLNAT, either way
                    combined.rewriteIpv4(sourceAddress, sourcePort, destinationAddress, destinationPort);
                    fieldByField.rewriteIpv4SourceAddress(sourceAddress).rewriteSourcePort(sourcePort)
                            .rewriteIpv4DestinationAddress(destinationAddress).rewriteDestinationPort(destinationPort);
                }
            }
            assertThat(frame).as(what).isEqualTo(copy);
            assertChecksumsAreFullyRecomputed(combined, kind, what);
        }
    }

    /** New endpoints for which the full transport checksum is 0x0000: TCP stores 0x0000, UDP its 0xFFFF form. */
    @Test
    void combinedRewritesLandingOnZero() {
        Random random = new Random(SEED);
        TestPackets packets = new TestPackets(random);
        for (int round = 0; round < 3_000; round++) {
            TestPackets.Kind kind = random.nextBoolean() ? TestPackets.Kind.IPV4_TCP : TestPackets.Kind.IPV4_UDP;
            byte[] frame = packets.build(kind, 300);
            MemorySegment segment = MemorySegment.ofArray(frame);
            assertThat(parser.parse(segment, 0, frame.length, combined)).isEqualTo(ParseResult.OK);
            boolean tcp = kind == TestPackets.Kind.IPV4_TCP;
            boolean full = random.nextBoolean();
            int sourceAddress = full ? random.nextInt() : combined.ipv4().sourceAddress();
            int sourcePort = full ? random.nextInt(0x10000) : combined.sourcePort();
            int destinationAddress = random.nextInt();
            int forcing = forcingDestinationPort(frame, tcp, sourceAddress, sourcePort, destinationAddress);
            String what = "round " + round + " " + kind + (full ? " FULLNAT" : " NAT");

            if (full) {
                combined.rewriteIpv4(sourceAddress, sourcePort, destinationAddress, forcing);
            } else {
                combined.rewriteIpv4Destination(destinationAddress, forcing);
            }
            int checksum = tcp ? combined.tcp().checksum() : combined.udp().checksum();
            assertThat(checksum).as(what).isEqualTo(tcp ? 0x0000 : 0xFFFF);
            assertChecksumsAreFullyRecomputed(combined, kind, what);
            // and on from the zero (or its 0xFFFF form)
            combined.rewriteIpv4Source(random.nextInt(), random.nextInt(0x10000));
            assertChecksumsAreFullyRecomputed(combined, kind, what + " then source");
        }
    }

    @Test
    void udpWithoutChecksumStaysWithoutChecksum() {
        TestPackets packets = new TestPackets(new Random(SEED));
        byte[] frame = packets.build(TestPackets.Kind.IPV4_UDP_NO_CHECKSUM, 64);
        assertThat(parser.parse(MemorySegment.ofArray(frame), 0, frame.length, combined)).isEqualTo(ParseResult.OK);
        combined.rewriteIpv4Destination(0x0a00_0001, 53);
        assertThat(combined.udp().checksum()).isEqualTo(UdpFlyweight.NO_CHECKSUM);
        combined.rewriteIpv4Source(0x0a00_0002, 5353);
        assertThat(combined.udp().checksum()).isEqualTo(UdpFlyweight.NO_CHECKSUM);
        combined.rewriteIpv4(0x0a00_0003, 1, 0x0a00_0004, 2);
        assertThat(combined.udp().checksum()).isEqualTo(UdpFlyweight.NO_CHECKSUM);
        assertThat(combined.ipv4().isHeaderChecksumValid()).isTrue();
        assertThat(combined.ipv4().sourceAddress()).isEqualTo(0x0a00_0003);
        assertThat(combined.sourcePort()).isEqualTo(1);
        assertThat(combined.ipv4().destinationAddress()).isEqualTo(0x0a00_0004);
        assertThat(combined.destinationPort()).isEqualTo(2);
    }

    @Test
    void combinedRewritesRefuseWhatHasNoPorts() {
        byte[] frame = CapturedFrames.ICMP_PORT_UNREACHABLE.clone();
        assertThat(parser.parse(MemorySegment.ofArray(frame), 0, frame.length, combined)).isEqualTo(ParseResult.OK);
        assertThatThrownBy(() -> combined.rewriteIpv4Destination(1, 2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot rewrite: parse result OK, IP version 4, protocol 1 (expected: OK, IPv4, TCP or UDP)");
        byte[] v6 = CapturedFrames.UDP_IPV6.clone();
        assertThat(parser.parse(MemorySegment.ofArray(v6), 0, v6.length, combined)).isEqualTo(ParseResult.OK);
        assertThatThrownBy(() -> combined.rewriteIpv4(1, 2, 3, 4)).isInstanceOf(IllegalStateException.class);
    }

    /** A copy at another offset, with 0 to 2 VLAN tags: the same layers a parse of the copy finds. */
    @Test
    void aWrappedCopyIsWhereAParseOfTheCopyPutsIt() {
        Random random = new Random(SEED);
        TestPackets packets = new TestPackets(random);
        TestPackets.Kind[] kinds = {TestPackets.Kind.IPV4_TCP, TestPackets.Kind.IPV4_UDP,
            TestPackets.Kind.IPV4_UDP_NO_CHECKSUM, TestPackets.Kind.IPV4_ICMP};
        ParsedPacket wrapped = new ParsedPacket();
        ParsedPacket parsed = new ParsedPacket();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rx = arena.allocate(4096);
            MemorySegment tx = arena.allocate(4096);
            for (int round = 0; round < 2_000; round++) {
                byte[] frame = withTags(packets.build(kinds[random.nextInt(kinds.length)], 1400), random.nextInt(3));
                long rxOffset = random.nextInt(1024);
                long txOffset = random.nextInt(1024);
                MemorySegment.copy(frame, 0, rx, ValueLayout.JAVA_BYTE, rxOffset, frame.length);
                assertThat(parser.parse(rx, rxOffset, frame.length, combined)).isEqualTo(ParseResult.OK);
                MemorySegment.copy(rx, rxOffset, tx, txOffset, frame.length);

                assertThat(wrapped.wrapCopy(combined, tx, txOffset)).isEqualTo(ParseResult.OK);
                assertThat(parser.parse(tx, txOffset, frame.length, parsed)).isEqualTo(ParseResult.OK);
                String what = "round " + round;
                assertThat(wrapped.result()).as(what).isEqualTo(parsed.result());
                assertThat(wrapped.segment()).as(what).isSameAs(tx);
                assertThat(wrapped.etherType()).as(what).isEqualTo(parsed.etherType());
                assertThat(wrapped.ipVersion()).as(what).isEqualTo(parsed.ipVersion());
                assertThat(wrapped.protocol()).as(what).isEqualTo(parsed.protocol());
                assertThat(wrapped.networkOffset()).as(what).isEqualTo(parsed.networkOffset());
                assertThat(wrapped.transportOffset()).as(what).isEqualTo(parsed.transportOffset());
                assertThat(wrapped.transportLength()).as(what).isEqualTo(parsed.transportLength());
                assertThat(wrapped.ethernet().offset()).as(what).isEqualTo(txOffset);
                assertThat(wrapped.ethernet().tagCount()).as(what).isEqualTo(parsed.ethernet().tagCount());
                assertThat(wrapped.ethernet().segment()).as(what).isSameAs(tx);
                assertThat(wrapped.ipv4().offset()).as(what).isEqualTo(parsed.ipv4().offset());
                assertThat(wrapped.ipv4().segment()).as(what).isSameAs(tx);
                switch (parsed.protocol()) {
                    case Ipv4Flyweight.PROTOCOL_TCP -> {
                        assertThat(wrapped.tcp().segment()).as(what).isSameAs(tx);
                        assertThat(wrapped.tcp().offset()).as(what).isEqualTo(parsed.tcp().offset());
                    }
                    case Ipv4Flyweight.PROTOCOL_UDP -> {
                        assertThat(wrapped.udp().segment()).as(what).isSameAs(tx);
                        assertThat(wrapped.udp().offset()).as(what).isEqualTo(parsed.udp().offset());
                    }
                    default -> {
                        assertThat(wrapped.icmpv4().segment()).as(what).isSameAs(tx);
                        assertThat(wrapped.icmpv4().offset()).as(what).isEqualTo(parsed.icmpv4().offset());
                    }
                }
            }
        }
    }

    @Test
    void onlyAnOkIpv4ParseIsWrappedAsACopy() {
        MemorySegment tx = MemorySegment.ofArray(new byte[2048]);
        byte[] frame = CapturedFrames.TCP_DATA.clone();
        assertThat(parser.parse(MemorySegment.ofArray(frame), 0, 20, combined)).isEqualTo(ParseResult.TRUNCATED_IPV4);
        assertThatThrownBy(() -> fieldByField.wrapCopy(combined, tx, 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot wrap a copy: parse result TRUNCATED_IPV4, IP version 0 (expected: OK, IPv4)");
        byte[] v6 = CapturedFrames.UDP_IPV6.clone();
        assertThat(parser.parse(MemorySegment.ofArray(v6), 0, v6.length, combined)).isEqualTo(ParseResult.OK);
        assertThatThrownBy(() -> fieldByField.wrapCopy(combined, tx, 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot wrap a copy: parse result OK, IP version 6 (expected: OK, IPv4)");
    }

    /**
     * The destination port that makes the full transport checksum 0x0000 once the given endpoints are
     * written; found on a scratch copy of {@code frame}, which is left as it was.
     */
    private int forcingDestinationPort(byte[] frame, boolean tcp, int sourceAddress, int sourcePort,
            int destinationAddress) {
        byte[] scratch = frame.clone();
        ParsedPacket p = new ParsedPacket();
        assertThat(new PacketParser(ChecksumPolicy.NONE).parse(MemorySegment.ofArray(scratch), 0, scratch.length, p))
                .isEqualTo(ParseResult.OK);
        p.ipv4().sourceAddress(sourceAddress).destinationAddress(destinationAddress);
        if (tcp) {
            p.tcp().sourcePort(sourcePort).destinationPort(0);
        } else {
            p.udp().sourcePort(sourcePort).destinationPort(0);
        }
        long sum = InternetChecksum.sum(p.segment(), p.transportOffset(), tcp ? TcpFlyweight.CHECKSUM_OFFSET
                : UdpFlyweight.CHECKSUM_OFFSET, p.pseudoHeaderSum());
        int after = tcp ? TcpFlyweight.URGENT_POINTER_OFFSET : UdpFlyweight.HEADER_LENGTH;
        sum = InternetChecksum.sum(p.segment(), p.transportOffset() + after, p.transportLength() - after, sum);
        int onesSum = ~InternetChecksum.fold(sum) & 0xFFFF;
        return 0xFFFF - onesSum;
    }

    private static void assertChecksumsAreFullyRecomputed(ParsedPacket packet, TestPackets.Kind kind, String what) {
        assertThat(packet.ipv4().headerChecksum()).as(what).isEqualTo(packet.ipv4().computeHeaderChecksum());
        long pseudo = packet.pseudoHeaderSum();
        int length = packet.transportLength();
        switch (kind) {
            case IPV4_TCP -> assertThat(packet.tcp().checksum()).as(what)
                    .isEqualTo(packet.tcp().computeChecksum(pseudo, length));
            case IPV4_UDP -> assertThat(packet.udp().checksum()).as(what)
                    .isEqualTo(packet.udp().computeChecksum(pseudo, length));
            case IPV4_UDP_NO_CHECKSUM -> assertThat(packet.udp().checksum()).as(what).isZero();
            default -> throw new AssertionError("unexpected kind " + kind);
        }
    }

    /** {@code frame} with {@code tags} 802.1Q tags inserted after the MAC addresses. */
    private static byte[] withTags(byte[] frame, int tags) {
        byte[] tagged = new byte[frame.length + 4 * tags];
        System.arraycopy(frame, 0, tagged, 0, 12);
        for (int i = 0; i < tags; i++) {
            tagged[12 + 4 * i] = (byte) 0x81; // TPID 0x8100
            tagged[13 + 4 * i] = 0x00;
            tagged[14 + 4 * i] = 0x00;        // PCP 0, DEI 0, VID 10 + i
            tagged[15 + 4 * i] = (byte) (10 + i);
        }
        System.arraycopy(frame, 12, tagged, 12 + 4 * tags, frame.length - 12);
        return tagged;
    }
}
