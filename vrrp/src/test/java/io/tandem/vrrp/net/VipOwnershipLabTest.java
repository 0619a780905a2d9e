package io.tandem.vrrp.net;

import static io.tandem.vrrp.net.VrrpLabSupport.await;
import static io.tandem.vrrp.net.VrrpLabSupport.engine;
import static io.tandem.vrrp.net.VrrpLabSupport.quietly;
import static io.tandem.vrrp.net.VrrpLabSupport.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.lab.Lab;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.LabIpv6;
import io.tandem.core.lab.WithLab;
import io.tandem.core.netlink.AddressScope;
import io.tandem.vrrp.VirtualAddress;
import io.tandem.vrrp.VirtualRoute;
import io.tandem.vrrp.VrrpInstanceConfig;
import io.tandem.vrrp.VrrpState;
import io.tandem.vrrp.packet.VrrpVersion;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a master holds, as the kernel shows it: VIPs with their prefix, label and scope, an
 * excluded IPv6 address (usable at once: no duplicate address detection), and virtual routes
 * of several kinds; all gone after the shutdown. director-a is the address owner
 * (priority 255), so it is MASTER at once.
 */
@WithLab(realServers = 1)
class VipOwnershipLabTest {
    @Test
    void aMasterHoldsItsAddressesAndRoutesAsConfiguredAndReleasesThemAll(Lab lab) throws Exception {
        LabIpv6.enable(lab);
        LabHost a = lab.directorA();
        String eth0 = a.interfaceName();
        VrrpInstanceConfig config = VrrpInstanceConfig.builder("VI_1", eth0, VrrpLabSupport.VRID)
                .priority(255).version(VrrpVersion.V3).advertInterval(Duration.ofMillis(100))
                .primaryAddress(a.address())
                .addresses(List.of(
                        new VirtualAddress(InetAddress.ofLiteral("10.77.0.100"), 24, null, eth0 + ":vip",
                                AddressScope.UNIVERSE),
                        new VirtualAddress(InetAddress.ofLiteral("10.77.0.101"), 32, null, null, AddressScope.LINK)))
                .excludedAddresses(List.of(VirtualAddress.of(InetAddress.ofLiteral("fd77::200"))))
                .virtualRoutes(List.of(
                        VirtualRoute.unicast(InetAddress.ofLiteral("10.88.0.0"), 16,
                                InetAddress.ofLiteral("10.77.0.1"), eth0),
                        new VirtualRoute(VirtualRoute.Type.BLACKHOLE, InetAddress.ofLiteral("192.0.2.0"), 24, null,
                                null, null, 1000, -1, null),
                        VirtualRoute.unicast(InetAddress.ofLiteral("fd88::"), 48, InetAddress.ofLiteral("fd77::1"),
                                null)))
                .garp(VrrpLabSupport.ONE_BURST)
                .build();
        try (VrrpEngine engine = engine(a, config)) {
            assertThat(await(Duration.ofSeconds(5), quietly(() -> state(engine) == VrrpState.MASTER)))
                    .isNotNegative();
            String v4 = a.exec("ip", "-o", "-4", "addr", "show", "dev", eth0).orThrow().stdout();
            assertThat(v4).contains("inet 10.77.0.100/24 ", "scope global secondary " + eth0 + ":vip")
                    .contains("inet 10.77.0.101/32 scope link");
            String v6 = a.exec("ip", "-o", "-6", "addr", "show", "dev", eth0).orThrow().stdout();
            assertThat(v6).contains("inet6 fd77::200/128 scope global nodad").doesNotContain("tentative");
            assertThat(a.exec("ip", "route", "show").orThrow().stdout())
                    .contains("10.88.0.0/16 via 10.77.0.1 dev " + eth0);
            assertThat(a.exec("ip", "route", "show", "table", "1000").orThrow().stdout())
                    .contains("blackhole 192.0.2.0/24");
            assertThat(a.exec("ip", "-6", "route", "show").orThrow().stdout())
                    .contains("fd88::/48 via fd77::1 dev " + eth0);
            assertThat(lab.client().ping("10.77.0.100", Duration.ofSeconds(2))).isTrue();
            assertThat(lab.client().ping("fd77::200", Duration.ofSeconds(2))).as("the excluded IPv6 address").isTrue();
        }
        assertThat(a.exec("ip", "-o", "addr", "show", "dev", eth0).orThrow().stdout())
                .doesNotContain("10.77.0.100", "10.77.0.101", "fd77::200");
        assertThat(a.exec("ip", "route", "show").orThrow().stdout()).doesNotContain("10.88.0.0");
        assertThat(a.exec("ip", "route", "show", "table", "1000").orThrow().stdout()).isBlank();
        assertThat(a.exec("ip", "-6", "route", "show").orThrow().stdout()).doesNotContain("fd88::");
    }
}
