package io.tandem.core.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InternetChecksumTest {
    private static final long SEED = 0x1071_1624L;

    /** RFC 1071 §3: the worked example, bytes 00 01 f2 03 f4 f5 f6 f7 sum to 0xddf2. */
    @Test
    void rfc1071WorkedExample() {
        byte[] data = Frames.bytes(0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7);
        long sum = InternetChecksum.sum(data, 0, data.length, 0);
        assertThat(sum).isEqualTo(0x2ddf0L);                     // before the end-around carry
        assertThat(~InternetChecksum.fold(sum) & 0xFFFF).isEqualTo(0xddf2);
        assertThat(InternetChecksum.checksum(data, 0, data.length)).isEqualTo(0x220d);
        assertThat(InternetChecksum.checksum(MemorySegment.ofArray(data), 0, data.length)).isEqualTo(0x220d);
        assertThat(InternetChecksum.checksum(Unpooled.wrappedBuffer(data), 0, data.length)).isEqualTo(0x220d);
    }

    /** RFC 1071 §2(B): byte order independence; swapping every pair swaps the sum. */
    @Test
    void byteSwappedDataGivesTheByteSwappedSum() {
        Random random = new Random(SEED);
        for (int round = 0; round < 1000; round++) {
            byte[] data = new byte[2 * (1 + random.nextInt(40))];
            random.nextBytes(data);
            byte[] swapped = new byte[data.length];
            for (int i = 0; i < data.length; i += 2) {
                swapped[i] = data[i + 1];
                swapped[i + 1] = data[i];
            }
            int sum = ~InternetChecksum.checksum(data, 0, data.length) & 0xFFFF;
            int swappedSum = ~InternetChecksum.checksum(swapped, 0, swapped.length) & 0xFFFF;
            assertThat(swappedSum).isEqualTo(Integer.reverseBytes(sum) >>> 16);
        }
    }

    @Test
    void allThreeSourcesAgreeWithAWordByWordReferenceAtEveryOffsetAndLength() {
        Random random = new Random(SEED);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment offHeap = arena.allocate(2048);
            for (int round = 0; round < 3000; round++) {
                int length = random.nextInt(1600);
                int offset = random.nextInt(2048 - length);
                byte[] data = new byte[2048];
                random.nextBytes(data);
                MemorySegment.copy(data, 0, offHeap, NetworkOrder.BYTE, 0, data.length);
                ByteBuf buf = Unpooled.wrappedBuffer(data);
                int expected = reference(data, offset, length);
                assertThat(InternetChecksum.checksum(offHeap, offset, length)).as("segment %d+%d", offset, length).isEqualTo(expected);
                assertThat(InternetChecksum.checksum(MemorySegment.ofArray(data), offset, length)).isEqualTo(expected);
                assertThat(InternetChecksum.checksum(data, offset, length)).isEqualTo(expected);
                assertThat(InternetChecksum.checksum(buf, offset, length)).isEqualTo(expected);
            }
        }
    }

    @Test
    void dataCarryingItsChecksumVerifies() {
        Random random = new Random(SEED);
        for (int round = 0; round < 1000; round++) {
            byte[] data = new byte[4 + 2 * random.nextInt(64)];
            random.nextBytes(data);
            data[0] = 0;
            data[1] = 0;
            int checksum = InternetChecksum.checksum(data, 0, data.length);
            data[0] = (byte) (checksum >>> 8);
            data[1] = (byte) checksum;
            assertThat(InternetChecksum.isValid(MemorySegment.ofArray(data), 0, data.length)).isTrue();
            data[2 + random.nextInt(data.length - 2)] ^= (byte) (1 + random.nextInt(255));
            assertThat(InternetChecksum.isValid(MemorySegment.ofArray(data), 0, data.length)).isFalse();
        }
    }

    @Test
    void partialSumsOfEvenBlocksAdd() {
        Random random = new Random(SEED);
        byte[] data = new byte[1501];
        random.nextBytes(data);
        long first = InternetChecksum.sum(data, 0, 600, 0);
        long whole = InternetChecksum.sum(data, 600, 901, first);
        assertThat(InternetChecksum.fold(whole)).isEqualTo(reference(data, 0, 1501));
    }

    @Test
    void sumsOfMaximalPacketsDoNotOverflow() {
        byte[] ones = new byte[65535];
        java.util.Arrays.fill(ones, (byte) 0xFF);
        assertThat(InternetChecksum.checksum(MemorySegment.ofArray(ones), 0, ones.length)).isEqualTo(reference(ones, 0, ones.length));
        assertThat(InternetChecksum.checksum(new byte[100], 0, 100)).isEqualTo(0xFFFF);  // all-zero data: sum +0
    }

    @Test
    void negativeLengthIsAProgrammingError() {
        assertThatThrownBy(() -> InternetChecksum.sum(MemorySegment.ofArray(new byte[8]), 0, -1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid length: -1 (expected: >= 0)");
        assertThatThrownBy(() -> InternetChecksum.sum(new byte[8], 4, 8, 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    /**
     * RFC 1624 §4: the sum of the other header words is 0xCD7A, m = 0x5555 changes
     * to m' = 0x3285. Eqn. 2 would give 0xFFFF; the correct result, and eqn. 3's, is 0x0000.
     */
    @Test
    void rfc1624MinusZeroExample() {
        int oldChecksum = ~(0xCD7A + 0x5555 - 0xFFFF) & 0xFFFF;   // 0x122CF folded = 0x22D0, complemented
        assertThat(oldChecksum).isEqualTo(0xDD2F);
        assertThat(InternetChecksum.update16(0xDD2F, 0x5555, 0x3285)).isEqualTo(0x0000);
        // eqn. 2 in one's-complement arithmetic: HC - ~m - m' = HC + m + ~m'
        long eqn2 = 0xDD2F + 0x5555 + (~0x3285 & 0xFFFF);
        eqn2 = (eqn2 & 0xFFFF) + (eqn2 >>> 16);
        assertThat(eqn2).as("RFC 1624 eqn. 2 gives -0").isEqualTo(0xFFFF);
    }

    /**
     * RFC 1624 erratum 4782 (reported) claims eqn. 3 turns HC = 0x0000 into 0xFFFF
     * when m = m' = 0x5555; with the end-around carry it leaves 0x0000, as it must.
     */
    @Test
    void unchangedWordLeavesAZeroChecksumAlone() {
        assertThat(InternetChecksum.update16(0x0000, 0x5555, 0x5555)).isEqualTo(0x0000);
        assertThat(InternetChecksum.update32(0x0000, 0x5555_AAAA, 0x5555_AAAA)).isEqualTo(0x0000);
        assertThat(InternetChecksum.update64(0x0000, 0x5555_AAAA_1234_0000L, 0x5555_AAAA_1234_0000L)).isEqualTo(0x0000);
    }

    @Test
    void incrementalUpdatesEqualFullRecomputation() {
        Random random = new Random(SEED);
        for (int round = 0; round < 20_000; round++) {
            byte[] data = new byte[8 + 2 * random.nextInt(30)];
            random.nextBytes(data);
            int checksum = InternetChecksum.checksum(data, 0, data.length);
            int at = 2 * random.nextInt(data.length / 2 - 3);
            switch (round % 3) {
                case 0 -> {
                    int old = ((data[at] & 0xFF) << 8) | (data[at + 1] & 0xFF);
                    int now = random.nextInt(0x10000);
                    put(data, at, now, 2);
                    assertThat(InternetChecksum.update16(checksum, old, now)).isEqualTo(InternetChecksum.checksum(data, 0, data.length));
                }
                case 1 -> {
                    int old = (int) get(data, at, 4);
                    int now = random.nextInt();
                    put(data, at, now, 4);
                    assertThat(InternetChecksum.update32(checksum, old, now)).isEqualTo(InternetChecksum.checksum(data, 0, data.length));
                }
                default -> {
                    long old = get(data, at, 8);
                    long now = random.nextLong();
                    put(data, at, now, 8);
                    assertThat(InternetChecksum.update64(checksum, old, now)).isEqualTo(InternetChecksum.checksum(data, 0, data.length));
                }
            }
        }
    }

    /** The edges: updates whose result, fully recomputed, is 0x0000, and updates from a checksum of 0x0000 or 0xFFFF. */
    @Test
    void incrementalUpdateAtTheZeroEdges() {
        Random random = new Random(SEED);
        for (int round = 0; round < 5_000; round++) {
            byte[] data = new byte[20];
            random.nextBytes(data);
            int checksum = InternetChecksum.checksum(data, 0, data.length);
            int old = (int) get(data, 4, 2);
            put(data, 4, 0, 2);
            int sumWithoutWord = ~InternetChecksum.checksum(data, 0, data.length) & 0xFFFF;
            int forcing = 0xFFFF - sumWithoutWord;                   // makes the whole sum 0xFFFF: checksum 0x0000
            put(data, 4, forcing, 2);
            assertThat(InternetChecksum.checksum(data, 0, data.length)).isZero();
            assertThat(InternetChecksum.update16(checksum, old, forcing)).isZero();

            int next = random.nextInt(0x10000);
            put(data, 4, next, 2);
            assertThat(InternetChecksum.update16(0, forcing, next)).isEqualTo(InternetChecksum.checksum(data, 0, data.length));
        }
        // from all-zero data (checksum 0xFFFF, sum +0), a change to non-zero data is exact
        assertThat(InternetChecksum.update16(0xFFFF, 0, 0x1234)).isEqualTo(InternetChecksum.checksum(Frames.bytes(0x12, 0x34, 0, 0), 0, 4));
    }

    private static int reference(byte[] data, int offset, int length) {
        int sum = 0;
        for (int i = 0; i < length; i += 2) {
            int word = (data[offset + i] & 0xFF) << 8;
            if (i + 1 < length) {
                word |= data[offset + i + 1] & 0xFF;
            }
            sum += word;
            sum = (sum & 0xFFFF) + (sum >>> 16);   // end-around carry after every word
        }
        return ~sum & 0xFFFF;
    }

    private static long get(byte[] data, int at, int size) {
        long value = 0;
        for (int i = 0; i < size; i++) {
            value = (value << 8) | (data[at + i] & 0xFF);
        }
        return value;
    }

    private static void put(byte[] data, int at, long value, int size) {
        for (int i = size - 1; i >= 0; i--) {
            data[at + i] = (byte) value;
            value >>>= 8;
        }
    }
}
