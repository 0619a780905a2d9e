package io.tandem.benchmarks;

import io.tandem.core.packet.InternetChecksum;
import io.tandem.core.packet.Ipv4Flyweight;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A NAT rewrite of the IPv4 destination address in an off-heap 20-byte header:
 * the header checksum fixed incrementally (RFC 1624 §3 eqn. 3, through
 * {@link Ipv4Flyweight#rewriteDestinationAddress}) against the same rewrite
 * followed by a full recomputation (RFC 1071) of the header, in the same run.
 * Both alternate between two addresses so the header stays valid; nothing is
 * allocated in the measured methods.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class IncrementalChecksumBenchmark {
    private static final int VIP = 0x0A4D0064;
    private static final int RIP = 0x0A4D000B;

    private Arena arena;
    private final Ipv4Flyweight ip = new Ipv4Flyweight();
    private int flip;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofConfined();
        MemorySegment segment = arena.allocate(64, 8);
        ip.wrap(segment, 0).versionAndIhl(5).tos(0).totalLength(40).identification(0x1c46)
                .flagsAndFragmentOffset(Ipv4Flyweight.FLAG_DONT_FRAGMENT).ttl(64)
                .protocol(Ipv4Flyweight.PROTOCOL_TCP).sourceAddress(0x0A4D010A).destinationAddress(VIP)
                .updateHeaderChecksum();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (!ip.isHeaderChecksumValid()) {
            throw new IllegalStateException("the rewritten header no longer verifies");
        }
        arena.close();
    }

    private int nextAddress() {
        flip ^= 1;
        return flip == 0 ? VIP : RIP;
    }

    /** RFC 1624: the address changes and the checksum is adjusted for its two 16-bit words. */
    @Benchmark
    public int incrementalUpdate() {
        ip.rewriteDestinationAddress(nextAddress());
        return ip.headerChecksum();
    }

    /** The same change, then the whole 20-byte header summed again (RFC 1071). */
    @Benchmark
    public int fullRecompute() {
        ip.destinationAddress(nextAddress()).updateHeaderChecksum();
        return ip.headerChecksum();
    }

    /** The bare arithmetic of RFC 1624 eqn. 3 for a 32-bit field, without touching memory. */
    @Benchmark
    public int update32Arithmetic() {
        int checksum = ip.headerChecksum();
        return InternetChecksum.update32(checksum, VIP, nextAddress());
    }
}
