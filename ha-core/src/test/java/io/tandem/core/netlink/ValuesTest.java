package io.tandem.core.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The value types validate on construction and print as iproute2 does. */
class ValuesTest {
    @Test
    void ifAddressValidatesPrefixLengthAndLabel() throws Exception {
        InetAddress v4 = InetAddress.getByName("10.77.0.100");
        InetAddress v6 = InetAddress.getByName("fd00::1");

        assertThatThrownBy(() -> IfAddress.of(2, v4, 33))
                .hasMessage("invalid prefix length for 10.77.0.100: 33 (expected: 0 ~ 32)");
        assertThatThrownBy(() -> IfAddress.of(2, v6, 129))
                .hasMessage("invalid prefix length for fd00::1: 129 (expected: 0 ~ 128)");
        assertThatThrownBy(() -> IfAddress.of(0, v4, 24))
                .hasMessage("invalid interface index: 0 (expected: > 0)");
        assertThatThrownBy(() -> IfAddress.of(2, v4, 24).withLabel("eth0:a-very-long"))
                .hasMessage("invalid address label: 'eth0:a-very-long' (expected: 1 ~ 15 bytes)");
        assertThatThrownBy(() -> IfAddress.of(2, v6, 64).withLabel("eth0:6"))
                .hasMessage("invalid label for IPv6 address fd00::1: 'eth0:6' (expected: none, labels are IPv4 only)");
        assertThat(IfAddress.of(2, v6, 64).withNoDad().flags()).isEqualTo(IfAddrMsg.IFA_F_NODAD);
        assertThat(IfAddress.of(2, v4, 24).withLabel("eth0:vip"))
                .hasToString("10.77.0.100/24 ifindex 2 label eth0:vip scope global");
    }

    @Test
    void ipv6IsPrintedInRfc5952Form() throws Exception {
        assertThat(AddressText.of(InetAddress.getByName("fd00:0:0:0:0:0:0:1"))).isEqualTo("fd00::1");
        assertThat(AddressText.of(InetAddress.getByName("::"))).isEqualTo("::");
        assertThat(AddressText.of(InetAddress.getByName("::1"))).isEqualTo("::1");
        assertThat(AddressText.of(InetAddress.getByName("fe80::"))).isEqualTo("fe80::");
        assertThat(AddressText.of(InetAddress.getByName("2001:db8:0:1:0:0:0:1"))).isEqualTo("2001:db8:0:1::1");
        assertThat(AddressText.of(InetAddress.getByName("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(AddressText.of(InetAddress.getByName("2001:db8:1:2:3:4:0:5"))).isEqualTo("2001:db8:1:2:3:4:0:5");
    }

    @Test
    void hardwareAddressParsesAndPrints() {
        HardwareAddress mac = HardwareAddress.parse("02:00:5E:10:00:01");

        assertThat(mac).hasToString("02:00:5e:10:00:01");
        assertThat(mac).isEqualTo(HardwareAddress.of((byte) 2, (byte) 0, (byte) 0x5e, (byte) 0x10, (byte) 0, (byte) 1));
        assertThat(mac.isEthernet()).isTrue();
        assertThatThrownBy(() -> HardwareAddress.parse("02-00"))
                .hasMessage("invalid hardware address: '02-00' (expected: colon-separated hex bytes, such as "
                        + "02:00:5e:10:00:01)");
        assertThatThrownBy(HardwareAddress::of).hasMessage("invalid hardware address length: 0 (expected: 1 ~ 32)");
    }

    @Test
    void scopesAndStatesHaveTheirNames() {
        assertThat(AddressScope.of(0)).isSameAs(AddressScope.UNIVERSE).hasToString("global");
        assertThat(AddressScope.of(253)).hasToString("link");
        assertThat(AddressScope.of(100)).hasToString("100");
        assertThatThrownBy(() -> AddressScope.of(256)).hasMessage("invalid address scope: 256 (expected: 0 ~ 255)");
        assertThat(NudState.toString(NudState.STALE | NudState.PROBE)).isEqualTo("STALE|PROBE");
        assertThat(NudState.toString(NudState.NONE)).isEqualTo("NONE");
        assertThat(OperState.of(6)).isEqualTo(OperState.UP);
        assertThat(OperState.of(42)).isEqualTo(OperState.UNKNOWN);
    }

    @Test
    void aStaleNeighbourIsNotResolvedButStillUsable() throws Exception {
        InetAddress ip = InetAddress.getByName("10.77.0.1");
        HardwareAddress mac = HardwareAddress.parse("02:00:0a:4d:00:01");
        for (int state : new int[] {NudState.REACHABLE, NudState.PERMANENT, NudState.NOARP, NudState.STALE,
            NudState.DELAY, NudState.PROBE}) {
            org.assertj.core.api.Assertions.assertThat(new Neighbour(2, ip, mac, state, 0).usable())
                    .as("state 0x%02x", state).isTrue();
        }
        org.assertj.core.api.Assertions.assertThat(new Neighbour(2, ip, mac, NudState.STALE, 0).resolved()).isFalse();
        for (int state : new int[] {NudState.NONE, NudState.INCOMPLETE, NudState.FAILED}) {
            org.assertj.core.api.Assertions.assertThat(new Neighbour(2, ip, mac, state, 0).usable())
                    .as("state 0x%02x", state).isFalse();
        }
        org.assertj.core.api.Assertions.assertThat(new Neighbour(2, ip, null, NudState.STALE, 0).usable()).isFalse();
    }
}
