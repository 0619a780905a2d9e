package io.tandem.benchmarks;

import io.tandem.core.packet.ChecksumPolicy;
import io.tandem.core.packet.EthernetFlyweight;
import io.tandem.core.packet.Ipv4Flyweight;
import io.tandem.core.packet.PacketParser;
import io.tandem.core.packet.ParseResult;
import io.tandem.core.packet.ParsedPacket;
import io.tandem.core.packet.PseudoHeader;
import io.tandem.core.packet.TcpFlyweight;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-packet parsing of one Ethernet + IPv4 + TCP frame in an off-heap segment
 * through {@link PacketParser} into a reused {@link ParsedPacket} (its
 * flyweights), then reading the 5-tuple as the forwarder's lookup does. The
 * {@code policy} decides which checksums are verified on the way
 * ({@code ALL} sums the whole TCP segment, so it grows with {@code payload}).
 * Nothing is allocated in the measured method.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ParserBenchmark {
    private static final int CIP = 0x0A4D010A;
    private static final int VIP = 0x0A4D0064;

    @Param({"0", "1400"})
    int payload;

    @Param({"NONE", "IPV4_HEADER", "ALL"})
    ChecksumPolicy policy;

    private Arena arena;
    private MemorySegment frame;
    private int length;
    private PacketParser parser;
    private final ParsedPacket packet = new ParsedPacket();

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofConfined();
        frame = arena.allocate(2048, 8);
        int l4 = TcpFlyweight.MIN_HEADER_LENGTH + payload;
        for (int i = 0; i < payload; i++) {
            frame.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 54 + i, (byte) (i * 31 + 7));
        }
        new EthernetFlyweight().wrap(frame, 0, 14).destination(0x02_00_00_00_00_02L).source(0x02_00_00_00_00_0AL)
                .etherType(EthernetFlyweight.ETHERTYPE_IPV4);
        new Ipv4Flyweight().wrap(frame, 14).versionAndIhl(5).tos(0).totalLength(20 + l4).identification(1)
                .flagsAndFragmentOffset(Ipv4Flyweight.FLAG_DONT_FRAGMENT).ttl(64)
                .protocol(Ipv4Flyweight.PROTOCOL_TCP).sourceAddress(CIP).destinationAddress(VIP)
                .updateHeaderChecksum();
        new TcpFlyweight().wrap(frame, 34).sourcePort(40000).destinationPort(80).sequenceNumber(1)
                .acknowledgmentNumber(1).dataOffset(5).flags(TcpFlyweight.ACK).window(65535).checksum(0)
                .urgentPointer(0)
                .updateChecksum(PseudoHeader.ipv4Sum(CIP, VIP, Ipv4Flyweight.PROTOCOL_TCP, l4), l4);
        length = 34 + l4;
        parser = new PacketParser(policy);
        if (parser.parse(frame, 0, length, packet) != ParseResult.OK) {
            throw new IllegalStateException("the benchmark frame does not parse: " + packet.result());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** Parse, then read the 5-tuple (addresses, protocol, ports) from the flyweights. */
    @Benchmark
    public long parseAndReadFiveTuple() {
        ParseResult result = parser.parse(frame, 0, length, packet);
        if (result != ParseResult.OK) {
            return -1;
        }
        Ipv4Flyweight ip = packet.ipv4();
        return ((long) ip.sourceAddress() ^ ip.destinationAddress()) * 31
                + ((long) packet.sourcePort() << 16 | packet.destinationPort()) + packet.protocol();
    }
}
