package io.tandem.core.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random bytes, random truncations and mutations of valid frames: the parser
 * must return a result and never throw, and whatever it accepts must lie
 * inside the frame. Each frame is given to the parser as an off-heap segment
 * of exactly its length, so any read past the frame would throw.
 */
class PacketParserFuzzTest {
    private static final long SEED = 0xF022_1071L;
    private static final int[] ETHERTYPES = {
        EthernetFlyweight.ETHERTYPE_IPV4, EthernetFlyweight.ETHERTYPE_IPV6, EthernetFlyweight.ETHERTYPE_ARP,
        EthernetFlyweight.TPID_8021Q, EthernetFlyweight.TPID_8021AD, 0x88cc,
    };

    private final ParsedPacket packet = new ParsedPacket();
    private final ParseCounters counters = new ParseCounters();

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(SEED);
        PacketParser parser = new PacketParser(ChecksumPolicy.ALL);
        int frames = 100_000;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(256);
            for (int i = 0; i < frames; i++) {
                int length = random.nextInt(257);
                MemorySegment frame = buffer.asSlice(0, length);
                for (int b = 0; b < length; b++) {
                    frame.set(NetworkOrder.BYTE, b, (byte) random.nextInt());
                }
                steerTowardsDeeperLayers(frame, length, random);
                ParseResult result = counters.record(parser.parse(frame, 0, length, packet));
                assertConsistent(result, length);
            }
        }
        long total = 0;
        for (ParseResult result : ParseResult.values()) {
            total += counters.count(result);
        }
        assertThat(total).isEqualTo(frames);
        assertThat(counters.count(ParseResult.TRUNCATED_ETHERNET)).isPositive();
        assertThat(counters.count(ParseResult.BAD_IPV4_CHECKSUM)).isPositive();
        assertThat(counters.count(ParseResult.TRUNCATED_IPV6_EXTENSION) + counters.count(ParseResult.TRUNCATED_IPV6)).isPositive();
    }

    @Test
    void mutatedAndTruncatedValidFramesNeverThrow() {
        Random random = new Random(SEED);
        TestPackets packets = new TestPackets(random);
        PacketParser[] parsers = {
            new PacketParser(ChecksumPolicy.NONE), new PacketParser(ChecksumPolicy.IPV4_HEADER), new PacketParser(ChecksumPolicy.ALL),
        };
        int ok = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(2048);
            for (int i = 0; i < 50_000; i++) {
                byte[] valid = random.nextInt(4) == 0
                        ? CapturedFrames.ALL[random.nextInt(CapturedFrames.ALL.length)]
                        : packets.build(packets.randomKind(), 200);
                int length = random.nextInt(3) == 0 ? random.nextInt(valid.length + 1) : valid.length;
                MemorySegment frame = buffer.asSlice(0, length);
                MemorySegment.copy(valid, 0, frame, NetworkOrder.BYTE, 0, length);
                int mutations = random.nextInt(4);
                for (int m = 0; m < mutations && length > 0; m++) {
                    long at = random.nextInt(Math.min(length, 80));      // headers, mostly
                    frame.set(NetworkOrder.BYTE, at, (byte) random.nextInt());
                }
                ParseResult result = parsers[random.nextInt(parsers.length)].parse(frame, 0, length, packet);
                assertConsistent(result, length);
                if (result == ParseResult.OK) {
                    ok++;
                }
            }
        }
        assertThat(ok).as("the fuzz reaches valid frames too").isGreaterThan(5_000);
    }

    /** Makes random frames carry plausible EtherTypes and IP versions, so that the deeper checks are exercised. */
    private static void steerTowardsDeeperLayers(MemorySegment frame, int length, Random random) {
        if (length >= 14 && random.nextInt(4) != 0) {
            NetworkOrder.putShort(frame, 12, ETHERTYPES[random.nextInt(ETHERTYPES.length)]);
        }
        if (length >= 18 && random.nextBoolean()) {
            NetworkOrder.putShort(frame, 16, random.nextBoolean() ? EthernetFlyweight.ETHERTYPE_IPV4 : EthernetFlyweight.ETHERTYPE_IPV6);
        }
        for (int l3 : new int[] {14, 18}) {
            if (length > l3 && random.nextBoolean()) {
                int version = random.nextBoolean() ? 4 : 6;
                int low = version == 4 ? 5 + random.nextInt(3) : random.nextInt(16);
                frame.set(NetworkOrder.BYTE, l3, (byte) ((version << 4) | low));
            }
        }
    }

    /** Whatever the parser accepted must lie inside the frame, and reading it must not throw. */
    private void assertConsistent(ParseResult result, int length) {
        assertThat(packet.result()).isEqualTo(result);
        if (result != ParseResult.OK) {
            return;
        }
        if (packet.isArp()) {
            assertThat(packet.arp().offset() + ArpFlyweight.LENGTH).isLessThanOrEqualTo(length);
            return;
        }
        assertThat(packet.transportOffset()).isGreaterThanOrEqualTo(packet.networkOffset());
        assertThat(packet.transportOffset() + packet.transportLength()).isLessThanOrEqualTo(length);
        switch (packet.protocol()) {
            case Ipv4Flyweight.PROTOCOL_TCP -> {
                TcpFlyweight tcp = packet.tcp();
                assertThat(tcp.payloadOffset()).isLessThanOrEqualTo(packet.transportOffset() + packet.transportLength());
                int options = 0;
                for (long option = tcp.firstOption(); option >= 0; option = tcp.nextOption(option)) {
                    assertThat(option + tcp.optionLength(option)).isLessThanOrEqualTo(tcp.payloadOffset());
                    assertThat(++options).isLessThanOrEqualTo(40);
                }
            }
            case Ipv4Flyweight.PROTOCOL_UDP ->
                    assertThat(packet.udp().length()).isBetween(8, packet.transportLength());
            case Ipv4Flyweight.PROTOCOL_ICMP, Icmpv6Flyweight.NEXT_HEADER ->
                    assertThat(packet.transportLength()).isGreaterThanOrEqualTo(8);
            default -> throw new AssertionError("OK with protocol " + packet.protocol());
        }
    }
}
