package io.tandem.benchmarks;

import io.tandem.core.packet.InternetChecksum;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
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
 * The full Internet checksum (RFC 1071) of {@code size} bytes in an off-heap
 * {@link MemorySegment}, as {@link InternetChecksum} computes it, beside two
 * peers measured in the same run over the same bytes:
 * <ul>
 *   <li>{@link #baselineByteArrayLoop}: BASELINE, the straightforward RFC 1071
 *       §4.1 loop (one 16-bit word per step) over a heap {@code byte[]};</li>
 *   <li>{@link #referenceCrc32}: REFERENCE ONLY, {@code java.util.zip.CRC32}
 *       (a different, JDK-intrinsified algorithm) over a direct buffer that views
 *       the same segment; a yardstick of what the JVM does per byte, not a
 *       replacement.</li>
 * </ul>
 * Nothing is allocated in the measured methods.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ChecksumBenchmark {
    /** An IPv4 header, a minimal TCP segment with its pseudo-header-free part, a full Ethernet MTU. */
    @Param({"20", "64", "1500"})
    int size;

    private Arena arena;
    private MemorySegment segment;
    private byte[] bytes;
    private ByteBuffer direct;
    private final CRC32 crc = new CRC32();

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofConfined();
        segment = arena.allocate(size, 8);
        bytes = new byte[size];
        long seed = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < size; i++) {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            bytes[i] = (byte) (seed >>> 56);
        }
        MemorySegment.copy(bytes, 0, segment, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, size);
        direct = segment.asByteBuffer();
        if (InternetChecksum.checksum(segment, 0, size) != baselineByteArrayLoop()) {
            throw new IllegalStateException("the project's checksum and the baseline loop disagree");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** The project's full checksum over the off-heap segment (8 bytes per step, RFC 1071 §2(C)). */
    @Benchmark
    public int fullChecksumSegment() {
        return InternetChecksum.checksum(segment, 0, size);
    }

    /** BASELINE: the textbook loop of RFC 1071 §4.1, one 16-bit word per step over a byte[]. */
    @Benchmark
    public int baselineByteArrayLoop() {
        byte[] b = bytes;
        int n = size;
        long sum = 0;
        int i = 0;
        for (; i + 1 < n; i += 2) {
            sum += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
        }
        if (i < n) {
            sum += (b[i] & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    /** REFERENCE (a different algorithm): the JDK's CRC32 over the same bytes, off-heap. */
    @Benchmark
    public long referenceCrc32() {
        crc.reset();
        direct.clear();
        crc.update(direct);
        return crc.getValue();
    }
}
