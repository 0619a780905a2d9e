package io.tandem.core.lab;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the classic pcap file format (draft-ietf-opsawg-pcap, sections 4 and 5):
 * a 24-byte file header, then per packet a 16-byte record header and the
 * captured bytes. Both byte orders and both timestamp resolutions (micro- and
 * nanoseconds) are understood. A record cut short at the end (the writer is
 * still running) ends the list: it is not an error.
 */
public final class PcapReader {
    /** LINKTYPE_ETHERNET. */
    public static final int LINKTYPE_ETHERNET = 1;

    private static final int MAGIC_MICROSECONDS = 0xa1b2c3d4;
    private static final int MAGIC_NANOSECONDS = 0xa1b23c4d;
    private static final int FILE_HEADER_LENGTH = 24;
    private static final int LINK_TYPE_OFFSET = 20;
    private static final int RECORD_HEADER_LENGTH = 16;

    /** A pcap file's link type and frames. */
    public record Pcap(int linkType, List<PcapFrame> frames) {
    }

    private PcapReader() {
    }

    public static Pcap read(Path file) throws IOException {
        return read(Files.readAllBytes(file));
    }

    /** Reads a complete or growing pcap file; fewer than 24 bytes reads as no frames at all. */
    public static Pcap read(byte[] bytes) throws IOException {
        if (bytes.length < FILE_HEADER_LENGTH) {
            return new Pcap(-1, List.of());
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int magic = buf.getInt(0);
        if (magic != MAGIC_MICROSECONDS && magic != MAGIC_NANOSECONDS) {
            buf.order(ByteOrder.BIG_ENDIAN);
            magic = buf.getInt(0);
        }
        if (magic != MAGIC_MICROSECONDS && magic != MAGIC_NANOSECONDS) {
            throw new IOException(String.format("not a pcap file: magic 0x%08x (expected: 0x%08x or 0x%08x)",
                    buf.getInt(0), MAGIC_MICROSECONDS, MAGIC_NANOSECONDS));
        }
        long fractionToNanos = magic == MAGIC_NANOSECONDS ? 1 : 1000;
        int linkType = buf.getInt(LINK_TYPE_OFFSET) & 0x0fffffff;
        List<PcapFrame> frames = new ArrayList<>();
        int offset = FILE_HEADER_LENGTH;
        while (offset + RECORD_HEADER_LENGTH <= bytes.length) {
            long seconds = Integer.toUnsignedLong(buf.getInt(offset));
            long fraction = Integer.toUnsignedLong(buf.getInt(offset + 4));
            int captured = buf.getInt(offset + 8);
            int original = buf.getInt(offset + 12);
            if (captured < 0) {
                throw new IOException("invalid pcap record at byte " + offset + ": captured length "
                        + Integer.toUnsignedString(captured) + " (expected: 0 ~ " + Integer.MAX_VALUE + ")");
            }
            int dataStart = offset + RECORD_HEADER_LENGTH;
            if (captured > bytes.length - dataStart) {
                break;
            }
            byte[] data = new byte[captured];
            System.arraycopy(bytes, dataStart, data, 0, captured);
            frames.add(new PcapFrame(Instant.ofEpochSecond(seconds, fraction * fractionToNanos), data, original));
            offset = dataStart + captured;
        }
        return new Pcap(linkType, List.copyOf(frames));
    }
}
