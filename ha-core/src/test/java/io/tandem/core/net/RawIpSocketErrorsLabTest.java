package io.tandem.core.net;

import static io.tandem.core.net.VethLab.B4;
import static io.tandem.core.net.VethLab.B6;
import static io.tandem.core.net.VethLab.VRRP_GROUP_V4;
import static io.tandem.core.net.VethLab.VRRP_GROUP_V6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.core.lab.LabTest;
import io.tandem.core.lab.Netns;
import io.tandem.core.linux.Errno;
import io.tandem.core.linux.LinuxException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Failing calls name the option, its arguments and the errno; bad arguments are refused before any call. */
@LabTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RawIpSocketErrorsLabTest {
    private static final int NO_SUCH_IFINDEX = 99_999;

    private Netns ns;

    @BeforeAll
    void createNamespace() throws Exception {
        ns = Netns.create("t" + Long.toHexString(System.nanoTime() & 0xFFFFF) + "-err");
    }

    @AfterAll
    void deleteNamespace() throws Exception {
        if (ns != null) {
            ns.close();
        }
    }

    private RawIpSocket open(IpFamily family) throws Exception {
        return ns.call(() -> RawIpSocket.open(family, 112));
    }

    @Test
    void joiningOnAMissingInterfaceNamesOptionGroupAndInterface() throws Exception {
        try (RawIpSocket socket = open(IpFamily.IPV4)) {
            assertThatThrownBy(() -> socket.joinGroup(VRRP_GROUP_V4, "e0"))
                    .isInstanceOf(LinuxException.class)
                    .hasMessage("setsockopt(IP_ADD_MEMBERSHIP, 224.0.0.18, if=e0): ENODEV")
                    .extracting(e -> ((LinuxException) e).errno()).isEqualTo(Errno.ENODEV);
            assertThatThrownBy(() -> socket.joinGroup(VRRP_GROUP_V4, NO_SUCH_IFINDEX))
                    .hasMessage("setsockopt(IP_ADD_MEMBERSHIP, 224.0.0.18, ifindex=99999): ENODEV");
        }
    }

    @Test
    void ipv6JoinAndLeaveOnAMissingInterface() throws Exception {
        try (RawIpSocket socket = open(IpFamily.IPV6)) {
            assertThatThrownBy(() -> socket.joinGroup(VRRP_GROUP_V6, "e0"))
                    .hasMessage("setsockopt(IPV6_JOIN_GROUP, ff02::12, if=e0): ENODEV");
            assertThatThrownBy(() -> socket.joinGroup(VRRP_GROUP_V6, NO_SUCH_IFINDEX))
                    .hasMessage("setsockopt(IPV6_JOIN_GROUP, ff02::12, ifindex=99999): ENODEV");
            assertThatThrownBy(() -> socket.leaveGroup(VRRP_GROUP_V6, 1))
                    .hasMessage("setsockopt(IPV6_LEAVE_GROUP, ff02::12, ifindex=1): EADDRNOTAVAIL");
        }
    }

    @Test
    void leavingAGroupNeverJoined() throws Exception {
        try (RawIpSocket socket = open(IpFamily.IPV4)) {
            assertThatThrownBy(() -> socket.leaveGroup(VRRP_GROUP_V4, "lo"))
                    .hasMessage("setsockopt(IP_DROP_MEMBERSHIP, 224.0.0.18, if=lo): EADDRNOTAVAIL");
        }
    }

    @Test
    void multicastInterfaceThatDoesNotExist() throws Exception {
        try (RawIpSocket v4 = open(IpFamily.IPV4); RawIpSocket v6 = open(IpFamily.IPV6)) {
            assertThatThrownBy(() -> v4.setMulticastInterface("e0"))
                    .hasMessage("setsockopt(IP_MULTICAST_IF, if=e0): ENODEV");
            assertThatThrownBy(() -> v4.setMulticastInterface(NO_SUCH_IFINDEX))
                    .hasMessage("setsockopt(IP_MULTICAST_IF, ifindex=99999): EADDRNOTAVAIL");
            assertThatThrownBy(() -> v6.setMulticastInterface(NO_SUCH_IFINDEX))
                    .hasMessage("setsockopt(IPV6_MULTICAST_IF, ifindex=99999): ENODEV");
        }
    }

    @Test
    void bindingToMissingDeviceOrForeignAddress() throws Exception {
        try (RawIpSocket v4 = open(IpFamily.IPV4); RawIpSocket v6 = open(IpFamily.IPV6)) {
            assertThatThrownBy(() -> v4.bindToDevice("e0")).hasMessage("setsockopt(SO_BINDTODEVICE, e0): ENODEV");
            assertThatThrownBy(() -> v4.bind(B4)).hasMessage("bind(10.99.0.2): EADDRNOTAVAIL");
            assertThatThrownBy(() -> v6.bind(B6)).hasMessage("bind(fd00:99::2): EADDRNOTAVAIL");
            assertThatThrownBy(() -> v4.interfaceIndex("e0")).hasMessage("ioctl(SIOCGIFINDEX, e0): ENODEV");
            assertThat(v4.interfaceIndex("lo")).isEqualTo(1);
        }
    }

    @Test
    void sendingWithoutARoute() throws Exception {
        try (RawIpSocket socket = open(IpFamily.IPV4)) {
            assertThatThrownBy(() -> socket.send(InetAddress.getByName("192.0.2.1"), new byte[8], 0, 8))
                    .hasMessage("sendto(192.0.2.1, 8 bytes): ENETUNREACH");
        }
    }

    @Test
    void closeIsIdempotentAndLaterCallsFailWithEbadf() throws Exception {
        RawIpSocket socket = open(IpFamily.IPV4);
        socket.close();
        socket.close();

        assertThat(socket.isOpen()).isFalse();
        assertThat(socket.fd()).isEqualTo(-1);
        assertThatThrownBy(() -> socket.setUnicastHopLimit(255)).hasMessage("setsockopt(IP_TTL, 255): EBADF");
        assertThatThrownBy(socket::releaseFd).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void releasedDescriptorIsNotClosed() throws Exception {
        RawIpSocket socket = open(IpFamily.IPV6);
        int fd = socket.releaseFd();
        socket.close();
        try {
            assertThat(io.tandem.core.linux.Libc.close(fd)).as("descriptor still open after release").isZero();
        } finally {
            assertThat(socket.isOpen()).isFalse();
        }
    }

    @Test
    void argumentsAreCheckedBeforeAnyCall() throws Exception {
        try (RawIpSocket v4 = open(IpFamily.IPV4); RawIpSocket v6 = open(IpFamily.IPV6)) {
            assertThatThrownBy(() -> v4.setMulticastHopLimit(256))
                    .hasMessage("invalid TTL / hop limit: 256 (expected: 0 ~ 255)");
            assertThatThrownBy(() -> v4.setUnicastHopLimit(0))
                    .hasMessage("invalid TTL / hop limit: 0 (expected: 1 ~ 255)");
            assertThatThrownBy(() -> v4.joinGroup(B4, 1))
                    .hasMessage("not a multicast group: 10.99.0.2 (expected: 224.0.0.0/4)");
            assertThatThrownBy(() -> v4.joinGroup(VRRP_GROUP_V6, 1))
                    .hasMessageStartingWith("address ff02::12 is IPV6 (expected: IPV4 for RawIpSocket[IPV4, protocol 112");
            assertThatThrownBy(() -> v4.bindToDevice("a-name-longer-than-15"))
                    .hasMessage("invalid interface name: \"a-name-longer-than-15\" (expected: 1 ~ 15 characters)");
            assertThatThrownBy(() -> v4.setChecksumOffset(6)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> v6.setChecksumOffset(3))
                    .hasMessage("invalid checksum offset: 3 (expected: -1 or even >= 0)");
            assertThatThrownBy(() -> v4.receive(MemorySegment.ofArray(new byte[64]), new ReceivedDatagram()))
                    .hasMessageStartingWith("heap segment given");
            assertThatThrownBy(() -> RawIpSocket.open(IpFamily.IPV4, 256))
                    .hasMessage("invalid IP protocol: 256 (expected: 1 ~ 255)");
        }
    }

    @Test
    void nonBlockingReceiveReturnsFalseWhenNothingWaits() throws Exception {
        try (RawIpSocket socket = ns.call(() -> RawIpSocket.openNonBlocking(IpFamily.IPV4, 112))) {
            MemorySegment buffer = Arena.ofAuto().allocate(256);
            assertThat(socket.isNonBlocking()).isTrue();
            assertThat(socket.receive(buffer, new ReceivedDatagram())).isFalse();
            assertThat(socket.awaitReadable(0)).isFalse();
        }
    }
}
