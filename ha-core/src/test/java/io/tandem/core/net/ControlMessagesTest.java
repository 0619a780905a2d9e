package io.tandem.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.linux.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Control-message buffers laid out by hand as the kernel writes them on LP64 (cmsg(3)). */
class ControlMessagesTest {
    private static final ValueLayout.OfLong SIZE_T = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment control = arena.allocate(ControlMessages.BUFFER_SIZE, 8);
    private final ReceivedDatagram datagram = new ReceivedDatagram();

    @BeforeEach
    void resetDatagram() {
        datagram.reset();
        datagram.addressLength(4);
    }

    @AfterEach
    void closeArena() {
        arena.close();
    }

    @Test
    void readsIpv4TtlAndPacketInfo() throws Exception {
        // cmsg 1: IP_TTL
        control.set(SIZE_T, 0, 20);               // cmsg_len = CMSG_LEN(sizeof(int))
        control.set(INT, 8, Libc.SOL_IP);         // cmsg_level
        control.set(INT, 12, 2);                  // cmsg_type IP_TTL
        control.set(INT, 16, 255);                // the TTL
        // cmsg 2 at CMSG_SPACE(4) = 24: IP_PKTINFO
        control.set(SIZE_T, 24, 28);              // cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo))
        control.set(INT, 32, Libc.SOL_IP);
        control.set(INT, 36, 8);                  // IP_PKTINFO
        control.set(INT, 40, 5);                  // ipi_ifindex
        putBytes(44, 10, 99, 0, 2);               // ipi_spec_dst: local address
        putBytes(48, 224, 0, 0, 18);              // ipi_addr: header destination
        long length = 24 + 32;                    // + CMSG_SPACE(12)

        boolean wellFormed = ControlMessages.parse(control, length, datagram);

        assertThat(wellFormed).isTrue();
        assertThat(datagram.hopLimit()).isEqualTo(255);
        assertThat(datagram.interfaceIndex()).isEqualTo(5);
        assertThat(datagram.destination()).isEqualTo(InetAddress.getByName("224.0.0.18"));
    }

    @Test
    void readsIpv6PacketInfoAndHopLimit() throws Exception {
        datagram.addressLength(16);
        // cmsg 1: IPV6_PKTINFO
        control.set(SIZE_T, 0, 36);               // CMSG_LEN(sizeof(struct in6_pktinfo)) = 16 + 20
        control.set(INT, 8, Libc.SOL_IPV6);
        control.set(INT, 12, 50);                 // IPV6_PKTINFO
        putBytes(16, 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12); // ipi6_addr ff02::12
        control.set(INT, 32, 9);                  // ipi6_ifindex
        // cmsg 2 at CMSG_SPACE(20) = 40: IPV6_HOPLIMIT
        control.set(SIZE_T, 40, 20);
        control.set(INT, 48, Libc.SOL_IPV6);
        control.set(INT, 52, 52);                 // IPV6_HOPLIMIT
        control.set(INT, 56, 254);
        long length = 40 + 24;

        assertThat(ControlMessages.parse(control, length, datagram)).isTrue();

        assertThat(datagram.hopLimit()).isEqualTo(254);
        assertThat(datagram.interfaceIndex()).isEqualTo(9);
        assertThat(datagram.destination()).isEqualTo(InetAddress.getByName("ff02::12"));
    }

    @Test
    void skipsUnknownMessagesAndLeavesFieldsUnknown() {
        control.set(SIZE_T, 0, 20);
        control.set(INT, 8, Libc.SOL_SOCKET);
        control.set(INT, 12, 29);                 // SO_TIMESTAMP-like, not ours
        control.set(INT, 16, 1);
        control.set(SIZE_T, 24, 20);
        control.set(INT, 32, Libc.SOL_IP);
        control.set(INT, 36, 2);                  // IP_TTL
        control.set(INT, 40, 1);

        assertThat(ControlMessages.parse(control, 48, datagram)).isTrue();

        assertThat(datagram.hopLimit()).isEqualTo(1);
        assertThat(datagram.interfaceIndex()).isZero();
        assertThat(datagram.destination()).isNull();
    }

    @Test
    void emptyControlLeavesHopLimitUnknown() {
        assertThat(ControlMessages.parse(control, 0, datagram)).isTrue();

        assertThat(datagram.hopLimit()).isEqualTo(ReceivedDatagram.UNKNOWN_HOP_LIMIT);
    }

    @Test
    void reportsLengthRunningPastTheBufferKeepingWhatCameBefore() {
        control.set(SIZE_T, 0, 20);
        control.set(INT, 8, Libc.SOL_IP);
        control.set(INT, 12, 2);
        control.set(INT, 16, 255);
        control.set(SIZE_T, 24, 200);             // claims more than the 48 bytes returned
        control.set(INT, 32, Libc.SOL_IP);
        control.set(INT, 36, 8);

        assertThat(ControlMessages.parse(control, 48, datagram)).isFalse();

        assertThat(datagram.hopLimit()).isEqualTo(255);
        assertThat(datagram.interfaceIndex()).isZero();
    }

    @Test
    void reportsLengthShorterThanAHeader() {
        control.set(SIZE_T, 0, 8);

        assertThat(ControlMessages.parse(control, 24, datagram)).isFalse();
    }

    @Test
    void ignoresTooShortPacketInfo() {
        control.set(SIZE_T, 0, 24);               // in_pktinfo needs 12 bytes of data, only 8 here
        control.set(INT, 8, Libc.SOL_IP);
        control.set(INT, 12, 8);
        control.set(INT, 16, 5);

        assertThat(ControlMessages.parse(control, 24, datagram)).isTrue();

        assertThat(datagram.interfaceIndex()).isZero();
    }

    @Test
    void alignsAndSizesLikeCmsgMacros() {
        assertThat(ControlMessages.align(20)).isEqualTo(24);
        assertThat(ControlMessages.align(24)).isEqualTo(24);
        assertThat(ControlMessages.space(4)).isEqualTo(24);
        assertThat(ControlMessages.space(12)).isEqualTo(32);
        assertThat(ControlMessages.space(20)).isEqualTo(40);
        assertThat(ControlMessages.space(4) + ControlMessages.space(20)).isLessThanOrEqualTo(ControlMessages.BUFFER_SIZE);
    }

    private void putBytes(long offset, int... bytes) {
        for (int i = 0; i < bytes.length; i++) {
            control.set(ValueLayout.JAVA_BYTE, offset + i, (byte) bytes[i]);
        }
    }
}
