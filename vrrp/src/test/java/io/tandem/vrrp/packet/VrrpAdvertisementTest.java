package io.tandem.vrrp.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class VrrpAdvertisementTest {
    private static final List<InetAddress> V4 = List.of(InetAddress.ofLiteral("10.0.0.100"));
    private static final List<InetAddress> V6 = List.of(InetAddress.ofLiteral("2001:db8::100"));

    @Test
    void validatesEveryField() {
        assertThatIllegalArgumentException().isThrownBy(() -> VrrpAdvertisement.v3(0, 100, 100, V4))
                .withMessage("invalid vrid: 0 (expected: 1 ~ 255)");
        assertThatIllegalArgumentException().isThrownBy(() -> VrrpAdvertisement.v3(256, 100, 100, V4))
                .withMessage("invalid vrid: 256 (expected: 1 ~ 255)");
        assertThatIllegalArgumentException().isThrownBy(() -> VrrpAdvertisement.v3(1, 256, 100, V4))
                .withMessage("invalid priority: 256 (expected: 0 ~ 255)");
        assertThatIllegalArgumentException().isThrownBy(() -> VrrpAdvertisement.v3(1, 100, 4096, V4))
                .withMessage("invalid max advert interval: 4096 (expected: 1 ~ 4095 centiseconds)");
        assertThatIllegalArgumentException().isThrownBy(() -> VrrpAdvertisement.v2(1, 100, 0, V4))
                .withMessage("invalid advert interval: 0 (expected: 1 ~ 255 seconds)");
        assertThatIllegalArgumentException().isThrownBy(() -> VrrpAdvertisement.v3(1, 100, 100, List.of()))
                .withMessage("invalid address count: 0 (expected: 1 ~ 255)");
        assertThatIllegalArgumentException().isThrownBy(() -> VrrpAdvertisement.v2(1, 100, 1, V6))
                .withMessage("invalid address family: IPV6 (expected: IPV4 for VRRPv2)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> VrrpAdvertisement.v3(1, 100, 100, List.of(V4.getFirst(), V6.getFirst())))
                .withMessage("invalid address: 2001:db8:0:0:0:0:0:100 (expected: IPV4 like the first address)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new VrrpAdvertisement(VrrpVersion.V3, 1, 100, 100, V4,
                        VrrpAuthType.SIMPLE_TEXT_PASSWORD, new byte[8]))
                .withMessage("invalid auth type: SIMPLE_TEXT_PASSWORD (expected: NO_AUTHENTICATION for VRRPv3)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new VrrpAdvertisement(VrrpVersion.V2, 1, 100, 1, V4,
                        VrrpAuthType.NO_AUTHENTICATION, new byte[7]))
                .withMessage("invalid auth data length: 7 (expected: 8)");
    }

    @Test
    void isImmutable() {
        byte[] auth = "abcdefgh".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        VrrpAdvertisement a = new VrrpAdvertisement(VrrpVersion.V2, 1, 100, 1, V4, VrrpAuthType.SIMPLE_TEXT_PASSWORD, auth);
        auth[0] = 'x';
        a.authData()[1] = 'y';
        assertThat(new String(a.authData(), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("abcdefgh");
        assertThat(a.withPriority(0).priority()).isZero();
        assertThat(a.withPriority(0).withPriority(100)).isEqualTo(a);
    }

    @Test
    void wireEnumsMapBothWays() {
        for (VrrpVersion v : VrrpVersion.values()) {
            assertThat(VrrpVersion.fromWire(v.wireValue())).isEqualTo(v);
        }
        for (VrrpAuthType t : VrrpAuthType.values()) {
            assertThat(VrrpAuthType.fromWire(t.wireValue())).isEqualTo(t);
        }
        assertThat(VrrpType.fromWire(1)).isEqualTo(VrrpType.ADVERTISEMENT);
        assertThat(VrrpVersion.fromWire(4)).isNull();
        assertThat(VrrpAuthType.fromWire(3)).isNull();
        assertThat(VrrpType.fromWire(2)).isNull();
    }
}
