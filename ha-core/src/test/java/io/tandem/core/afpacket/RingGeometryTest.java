package io.tandem.core.afpacket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RingGeometryTest {
    @Test
    void frameSizeDividingThePageGivesOnePageBlocks() {
        RingGeometry g = RingGeometry.of(2048, 1024, 4096);

        assertThat(g.blockSize()).isEqualTo(4096);
        assertThat(g.framesPerBlock()).isEqualTo(2);
        assertThat(g.blockCount()).isEqualTo(512);
        assertThat(g.frameCount()).isEqualTo(1024);
        assertThat(g.byteSize()).isEqualTo(2L * 1024 * 1024);
        assertThat(g.frameOffset(0)).isZero();
        assertThat(g.frameOffset(1)).isEqualTo(2048);
        assertThat(g.frameOffset(1023)).isEqualTo(1023L * 2048);
    }

    @Test
    void blockIsTheLeastCommonMultipleOfFrameAndPage() {
        RingGeometry g = RingGeometry.of(1536, 1000, 4096);

        assertThat(g.blockSize()).isEqualTo(12288);   // lcm(1536, 4096): 8 frames, no byte wasted
        assertThat(g.framesPerBlock()).isEqualTo(8);
        assertThat(g.blockCount()).isEqualTo(125);
        assertThat(g.frameCount()).isEqualTo(1000);
        assertThat(g.frameOffset(9)).isEqualTo(12288 + 1536);
    }

    @Test
    void frameCountIsRoundedUpToWholeBlocks() {
        RingGeometry g = RingGeometry.of(2048, 3, 4096);

        assertThat(g.blockCount()).isEqualTo(2);
        assertThat(g.frameCount()).isEqualTo(4);
    }

    @Test
    void hugeLeastCommonMultipleFallsBackToWholePagesPerFrame() {
        // lcm(65552, 4096) = 16 MiB > 4 MiB: one frame per 17-page block, the tail of each block unused
        RingGeometry g = RingGeometry.of(65552, 4, 4096);

        assertThat(g.blockSize()).isEqualTo(17 * 4096);
        assertThat(g.framesPerBlock()).isEqualTo(1);
        assertThat(g.frameOffset(1)).isEqualTo(17 * 4096);
    }

    @Test
    void frameSizeMustBeAlignedAndLargeEnough() {
        assertThatThrownBy(() -> RingGeometry.of(100, 16, 4096))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid frame size: 100 (expected: a multiple of 16, 128 ~ 262144)");
        assertThatThrownBy(() -> RingGeometry.of(2050, 16, 4096))
                .hasMessage("invalid frame size: 2050 (expected: a multiple of 16, 128 ~ 262144)");
        assertThatThrownBy(() -> RingGeometry.of(112, 16, 4096))
                .hasMessage("invalid frame size: 112 (expected: a multiple of 16, 128 ~ 262144)");
        assertThatThrownBy(() -> RingGeometry.of(1 << 20, 16, 4096))
                .hasMessage("invalid frame size: 1048576 (expected: a multiple of 16, 128 ~ 262144)");
    }

    @Test
    void frameCountAndPageSizeAreChecked() {
        assertThatThrownBy(() -> RingGeometry.of(2048, 0, 4096))
                .hasMessage("invalid frame count: 0 (expected: 1 ~ 1048576)");
        assertThatThrownBy(() -> RingGeometry.of(2048, 16, 3000))
                .hasMessage("invalid page size: 3000 (expected: a power of two, >= 16)");
    }

    @Test
    void ringLargerThanOneGibibyteIsRefused() {
        assertThatThrownBy(() -> RingGeometry.of(262144, 1 << 20, 4096))
                .hasMessage("invalid ring size: 274877906944 bytes for 1048576 frames of 262144 (expected: <= 1073741824)");
    }

    @Test
    void explicitGeometryMustAddUp() {
        assertThatThrownBy(() -> new RingGeometry(2048, 10, 4096, 4))
                .hasMessage("invalid frame count: 10 (expected: 2 frames per block * 4 blocks = 8)");
        assertThatThrownBy(() -> new RingGeometry(2048, 0, 1024, 4))
                .hasMessage("invalid block size: 1024 (expected: >= the frame size 2048)");
        assertThat(new RingGeometry(2048, 8, 4096, 4)).isEqualTo(RingGeometry.of(2048, 8, 4096));
    }

    @Test
    void systemPageSizeIsAPowerOfTwo() {
        int page = SystemPage.size();

        assertThat(Integer.bitCount(page)).isEqualTo(1);
        assertThat(RingGeometry.of(2048, 64).blockSize() % page).isZero();
    }
}
