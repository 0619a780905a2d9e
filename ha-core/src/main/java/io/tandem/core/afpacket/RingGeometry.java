package io.tandem.core.afpacket;

/**
 * The shape of a {@code PACKET_RX_RING} or {@code PACKET_TX_RING}: the
 * {@code struct tpacket_req} handed to the kernel (packet_mmap.rst,
 * "PACKET_MMAP settings").
 *
 * <p>The kernel allocates a ring as {@code blockCount} blocks of
 * {@code blockSize} bytes, each a multiple of the page size, and cuts every
 * block into {@code blockSize / frameSize} frames; a frame never straddles two
 * blocks. {@link #of} chooses the block as the least common multiple of the
 * frame and page sizes, so no byte of a block is wasted, and falls back to the
 * frame size rounded up to whole pages when that multiple would exceed
 * {@link #MAX_BLOCK_SIZE}. The frame count is rounded up to whole blocks.
 *
 * @param frameSize bytes per frame: header, addresses and the frame itself
 * @param frameCount frames in the ring ({@code blockCount * framesPerBlock})
 * @param blockSize bytes per block, a multiple of the page size
 * @param blockCount blocks in the ring
 */
public record RingGeometry(int frameSize, int frameCount, int blockSize, int blockCount) {
    /** {@code TPACKET_ALIGNMENT}: frames start on 16-byte boundaries. */
    public static final int TPACKET_ALIGNMENT = 16;
    /** Room for the TPACKET_V2 header, the address and a minimal 60-byte Ethernet frame. */
    public static final int MIN_FRAME_SIZE = 128;
    public static final int MAX_FRAME_SIZE = 256 * 1024;
    public static final int MAX_FRAME_COUNT = 1 << 20;
    /** The largest block the kernel allocates physically contiguous (order 10 of 4 KiB pages). */
    public static final int MAX_BLOCK_SIZE = 4 * 1024 * 1024;
    public static final long MAX_RING_SIZE = 1L << 30;

    public RingGeometry {
        checkFrameSize(frameSize);
        if (blockSize < frameSize) {
            throw new IllegalArgumentException("invalid block size: " + blockSize
                    + " (expected: >= the frame size " + frameSize + ")");
        }
        if (blockCount <= 0) {
            throw new IllegalArgumentException("invalid block count: " + blockCount + " (expected: > 0)");
        }
        int perBlock = blockSize / frameSize;
        if ((long) perBlock * blockCount != frameCount) {
            throw new IllegalArgumentException("invalid frame count: " + frameCount + " (expected: "
                    + perBlock + " frames per block * " + blockCount + " blocks = " + (long) perBlock * blockCount + ")");
        }
        if ((long) blockSize * blockCount > MAX_RING_SIZE) {
            throw new IllegalArgumentException("invalid ring size: " + (long) blockSize * blockCount
                    + " bytes (expected: <= " + MAX_RING_SIZE + ")");
        }
    }

    /** A ring of at least {@code frameCount} frames of {@code frameSize} bytes, in blocks of the system's pages. */
    public static RingGeometry of(int frameSize, int frameCount) {
        return of(frameSize, frameCount, SystemPage.size());
    }

    /** A ring of at least {@code frameCount} frames of {@code frameSize} bytes, in blocks of {@code pageSize} pages. */
    public static RingGeometry of(int frameSize, int frameCount, int pageSize) {
        checkFrameSize(frameSize);
        if (frameCount < 1 || frameCount > MAX_FRAME_COUNT) {
            throw new IllegalArgumentException("invalid frame count: " + frameCount
                    + " (expected: 1 ~ " + MAX_FRAME_COUNT + ")");
        }
        if (pageSize < TPACKET_ALIGNMENT || Integer.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("invalid page size: " + pageSize
                    + " (expected: a power of two, >= " + TPACKET_ALIGNMENT + ")");
        }
        long lcm = (long) frameSize / gcd(frameSize, pageSize) * pageSize;
        int blockSize = lcm <= MAX_BLOCK_SIZE
                ? (int) lcm
                : (frameSize + pageSize - 1) / pageSize * pageSize;
        int perBlock = blockSize / frameSize;
        int blockCount = (frameCount + perBlock - 1) / perBlock;
        long ringSize = (long) blockSize * blockCount;
        if (ringSize > MAX_RING_SIZE) {
            throw new IllegalArgumentException("invalid ring size: " + ringSize + " bytes for " + frameCount
                    + " frames of " + frameSize + " (expected: <= " + MAX_RING_SIZE + ")");
        }
        return new RingGeometry(frameSize, perBlock * blockCount, blockSize, blockCount);
    }

    private static void checkFrameSize(int frameSize) {
        if (frameSize % TPACKET_ALIGNMENT != 0 || frameSize < MIN_FRAME_SIZE || frameSize > MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("invalid frame size: " + frameSize + " (expected: a multiple of "
                    + TPACKET_ALIGNMENT + ", " + MIN_FRAME_SIZE + " ~ " + MAX_FRAME_SIZE + ")");
        }
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    public int framesPerBlock() {
        return blockSize / frameSize;
    }

    /** Bytes the ring occupies in the mapping. */
    public long byteSize() {
        return (long) blockSize * blockCount;
    }

    /** Where frame {@code index} (0 ~ frameCount - 1) starts, from the start of the ring. */
    public long frameOffset(int index) {
        int perBlock = blockSize / frameSize;
        return (long) (index / perBlock) * blockSize + (long) (index % perBlock) * frameSize;
    }

    @Override
    public String toString() {
        return frameCount + " frames of " + frameSize + " in " + blockCount + " blocks of " + blockSize;
    }
}
