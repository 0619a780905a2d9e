package io.tandem.healthcheck.icmp;

import io.tandem.core.packet.InternetChecksum;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * ICMP echo messages (RFC 792, "Echo or Echo Reply Message"):
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Identifier          |        Sequence Number        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Data ...
 * </pre>
 * and the destination unreachable / time exceeded errors that quote an echo
 * request (their data is the original IP header plus 8 bytes).
 */
final class IcmpEcho {
    static final int TYPE_ECHO_REPLY = 0;
    static final int TYPE_DEST_UNREACHABLE = 3;
    static final int TYPE_ECHO_REQUEST = 8;
    static final int TYPE_TIME_EXCEEDED = 11;

    static final int OFFSET_TYPE = 0;
    static final int OFFSET_CODE = 1;
    static final int OFFSET_CHECKSUM = 2;
    static final int OFFSET_IDENTIFIER = 4;
    static final int OFFSET_SEQUENCE = 6;
    static final int HEADER_LENGTH = 8;
    static final int DATA_LENGTH = 16;
    static final int REQUEST_LENGTH = HEADER_LENGTH + DATA_LENGTH;

    private static final ValueLayout.OfShort BE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE_LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private IcmpEcho() {
    }

    /** Writes an echo request of {@link #REQUEST_LENGTH} bytes at {@code buf}'s start. */
    static void writeRequest(MemorySegment buf, int identifier, int sequence, long stamp) {
        buf.set(ValueLayout.JAVA_BYTE, OFFSET_TYPE, (byte) TYPE_ECHO_REQUEST);
        buf.set(ValueLayout.JAVA_BYTE, OFFSET_CODE, (byte) 0);
        buf.set(BE_SHORT, OFFSET_CHECKSUM, (short) 0);
        buf.set(BE_SHORT, OFFSET_IDENTIFIER, (short) identifier);
        buf.set(BE_SHORT, OFFSET_SEQUENCE, (short) sequence);
        buf.set(BE_LONG, HEADER_LENGTH, stamp);
        buf.set(BE_LONG, HEADER_LENGTH + 8, ~stamp);
        buf.set(BE_SHORT, OFFSET_CHECKSUM, (short) InternetChecksum.checksum(buf, 0, REQUEST_LENGTH));
    }

    static int type(MemorySegment buf, int icmp) {
        return buf.get(ValueLayout.JAVA_BYTE, icmp + OFFSET_TYPE) & 0xFF;
    }

    static int code(MemorySegment buf, int icmp) {
        return buf.get(ValueLayout.JAVA_BYTE, icmp + OFFSET_CODE) & 0xFF;
    }

    static int identifier(MemorySegment buf, int icmp) {
        return buf.get(BE_SHORT, icmp + OFFSET_IDENTIFIER) & 0xFFFF;
    }

    static int sequence(MemorySegment buf, int icmp) {
        return buf.get(BE_SHORT, icmp + OFFSET_SEQUENCE) & 0xFFFF;
    }

    /**
     * In an ICMP error at {@code icmp} (destination unreachable, time exceeded:
     * RFC 792, the data is "Internet Header + 64 bits of Original Data
     * Datagram"), the offset of the quoted echo request's ICMP header, or -1
     * when it does not quote an echo request.
     */
    static int quotedEchoRequest(MemorySegment buf, int icmp, int length) {
        int quoted = icmp + HEADER_LENGTH;
        int ihl = ipv4HeaderLength(buf, quoted, length);
        if (ihl < 0) {
            return -1;
        }
        int inner = quoted + ihl;
        return length - inner >= HEADER_LENGTH && type(buf, inner) == TYPE_ECHO_REQUEST ? inner : -1;
    }

    /** The IPv4 header length at {@code ip}, or -1 when it is not a valid IPv4 header within {@code length}. */
    static int ipv4HeaderLength(MemorySegment buf, int ip, int length) {
        if (length - ip < 20) {
            return -1;
        }
        int vihl = buf.get(ValueLayout.JAVA_BYTE, ip) & 0xFF;
        int ihl = (vihl & 0x0F) * 4;
        return (vihl >>> 4) == 4 && ihl >= 20 && ip + ihl <= length ? ihl : -1;
    }
}
