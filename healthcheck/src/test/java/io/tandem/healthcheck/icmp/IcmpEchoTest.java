package io.tandem.healthcheck.icmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.packet.InternetChecksum;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class IcmpEchoTest {

    @Test
    void echoRequestHasItsFieldsAndAValidChecksum() {
        MemorySegment buf = MemorySegment.ofArray(new byte[IcmpEcho.REQUEST_LENGTH]);
        IcmpEcho.writeRequest(buf, 0x1234, 0xBEEF, 42);
        byte[] b = buf.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        assertThat(b[0]).isEqualTo((byte) 8);                       // type: echo request
        assertThat(b[1]).isEqualTo((byte) 0);                       // code
        assertThat(new byte[] {b[4], b[5]}).containsExactly(0x12, 0x34);             // identifier
        assertThat(new byte[] {b[6], b[7]}).containsExactly((byte) 0xBE, (byte) 0xEF); // sequence
        assertThat(InternetChecksum.checksum(buf, 0, IcmpEcho.REQUEST_LENGTH)).isZero(); // sums to 0xFFFF
    }

    @Test
    void destinationUnreachableQuotingOurRequestIsFound() {
        byte[] packet = {
            // outer IPv4 header (20 bytes), protocol 1
            0x45, 0, 0, 56, 0, 0, 0, 0, 64, 1, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
            // ICMP: type 3 (destination unreachable), code 1 (host unreachable), checksum, unused
            3, 1, 0, 0, 0, 0, 0, 0,
            // quoted IPv4 header of our request (20 bytes)
            0x45, 0, 0, 44, 0, 0, 0, 0, 64, 1, 0, 0, 10, 0, 0, 2, 10, 9, 8, 1,
            // quoted 8 bytes: echo request, code 0, checksum, identifier 0x1234, sequence 7
            8, 0, 0, 0, 0x12, 0x34, 0, 7,
        };
        MemorySegment buf = MemorySegment.ofArray(packet);
        int icmp = IcmpEcho.ipv4HeaderLength(buf, 0, packet.length);
        assertThat(icmp).isEqualTo(20);
        assertThat(IcmpEcho.type(buf, icmp)).isEqualTo(IcmpEcho.TYPE_DEST_UNREACHABLE);
        assertThat(IcmpEcho.code(buf, icmp)).isEqualTo(1);
        int inner = IcmpEcho.quotedEchoRequest(buf, icmp, packet.length);
        assertThat(inner).isEqualTo(48);
        assertThat(IcmpEcho.identifier(buf, inner)).isEqualTo(0x1234);
        assertThat(IcmpEcho.sequence(buf, inner)).isEqualTo(7);
        // truncated quote: not ours
        assertThat(IcmpEcho.quotedEchoRequest(buf, icmp, packet.length - 4)).isEqualTo(-1);
        // not IPv4
        packet[28] = 0x65;
        assertThat(IcmpEcho.quotedEchoRequest(buf, icmp, packet.length)).isEqualTo(-1);
    }
}
