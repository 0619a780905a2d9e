package io.tandem.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.core.linux.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SockAddrTest {
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment segment = arena.allocate(SockAddr.MAX_SIZE, 8);

    @AfterEach
    void closeArena() {
        arena.close();
    }

    @Test
    void encodesSockaddrInByteByByte() throws Exception {
        segment.fill((byte) 0x5A);

        int length = SockAddr.encode(new InetSocketAddress(InetAddress.getByName("224.0.0.18"), 0x1234), segment);

        assertThat(length).isEqualTo(16);
        byte[] familyHostOrder = new byte[2];
        MemorySegment.ofArray(familyHostOrder).set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) Libc.AF_INET);
        assertThat(bytes(16)).containsExactly(
                familyHostOrder[0], familyHostOrder[1], // sin_family, host order
                0x12, 0x34,                             // sin_port, big-endian
                (byte) 224, 0, 0, 18,                   // sin_addr
                0, 0, 0, 0, 0, 0, 0, 0);                // sin_zero
    }

    @Test
    void encodesSockaddrIn6WithScopeId() throws Exception {
        segment.fill((byte) 0x5A);
        Inet6Address linkLocal = Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 7);

        int length = SockAddr.encode(linkLocal, 112, segment);

        assertThat(length).isEqualTo(28);
        assertThat(SockAddr.family(segment)).isEqualTo(Libc.AF_INET6);
        assertThat(segment.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 2)).isEqualTo((short) 112);
        assertThat(segment.get(ValueLayout.JAVA_INT_UNALIGNED, 4)).as("sin6_flowinfo").isZero();
        assertThat(bytes(28)).startsWith(bytes(8)) // family, port, flowinfo checked above
                .containsSequence((byte) 0xfe, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
        assertThat(segment.get(ValueLayout.JAVA_INT_UNALIGNED, 24)).as("sin6_scope_id, host order").isEqualTo(7);
    }

    @Test
    void roundTripsIpv4() throws Exception {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("10.99.0.1"), 65535);

        int length = SockAddr.encode(address, segment);

        assertThat(SockAddr.decode(segment, length)).isEqualTo(address);
        assertThat(SockAddr.scopeId(segment)).isZero();
    }

    @Test
    void roundTripsIpv6KeepingScopeId() throws Exception {
        Inet6Address scoped = Inet6Address.getByAddress(null, InetAddress.getByName("fe80::2").getAddress(), 42);

        int length = SockAddr.encode(new InetSocketAddress(scoped, 0), segment);
        InetSocketAddress decoded = SockAddr.decode(segment, length);

        assertThat(decoded.getAddress()).isEqualTo(scoped);
        assertThat(((Inet6Address) decoded.getAddress()).getScopeId()).isEqualTo(42);
        assertThat(decoded.getPort()).isZero();
    }

    @Test
    void roundTripsGlobalIpv6WithoutScope() throws Exception {
        InetAddress ula = InetAddress.getByName("fd00:99::1");

        int length = SockAddr.encode(ula, 0, segment);

        assertThat(SockAddr.decodeAddress(segment, length)).isEqualTo(ula);
        assertThat(((Inet6Address) SockAddr.decodeAddress(segment, length)).getScopeId()).isZero();
    }

    @Test
    void copiesAddressWithoutObjects() throws Exception {
        SockAddr.encode(InetAddress.getByName("ff02::12"), 0, segment);
        byte[] dst = new byte[16];

        assertThat(SockAddr.copyAddress(segment, dst)).isEqualTo(16);
        assertThat(dst).isEqualTo(InetAddress.getByName("ff02::12").getAddress());
    }

    @Test
    void rejectsShortSockaddr() throws Exception {
        SockAddr.encode(InetAddress.getByName("fd00::1"), 0, segment);

        assertThatThrownBy(() -> SockAddr.decode(segment, 16))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sockaddr too short: 16 bytes (expected: 28 for family 10)");
    }

    @Test
    void rejectsUnknownFamily() {
        segment.fill((byte) 0);
        segment.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) Libc.AF_PACKET);

        assertThatThrownBy(() -> SockAddr.decode(segment, 28))
                .hasMessage("invalid address family: 17 (expected: AF_INET 2 or AF_INET6 10)");
    }

    @Test
    void rejectsBadPortAndSmallBuffer() throws Exception {
        InetAddress v4 = InetAddress.getByName("10.0.0.1");

        assertThatThrownBy(() -> SockAddr.encode(v4, 80000, segment))
                .hasMessage("invalid port: 80000 (expected: 0 ~ 65535)");
        assertThatThrownBy(() -> SockAddr.encode(InetAddress.getByName("::1"), 0, segment.asSlice(0, 16)))
                .hasMessage("sockaddr buffer too small: 16 bytes (expected: >= 28)");
        assertThatThrownBy(() -> SockAddr.encode(InetSocketAddress.createUnresolved("vrrp.example", 0), segment))
                .hasMessageStartingWith("unresolved address: ");
    }

    private byte[] bytes(int length) {
        return segment.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
    }
}
