package io.tandem.director.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.core.config.ConfigLoader;
import io.tandem.core.config.model.KeepalivedConfig;
import io.tandem.core.netlink.AddressScope;
import io.tandem.vrrp.GarpTiming;
import io.tandem.vrrp.VirtualAddress;
import io.tandem.vrrp.VirtualRoute;
import io.tandem.vrrp.VrrpInstanceConfig;
import io.tandem.vrrp.packet.VrrpAuthType;
import io.tandem.vrrp.packet.VrrpChecksumMode;
import io.tandem.vrrp.packet.VrrpVersion;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VrrpConfigMappingTest {
    @TempDir
    Path dir;

    private KeepalivedConfig parse(String text) throws IOException {
        Path file = dir.resolve("keepalived.conf");
        Files.writeString(file, text);
        ConfigLoader.Result result = ConfigLoader.load(file, "test");
        assertThat(result.config()).as("diagnostics: %s", result.diagnostics()).isPresent();
        return result.config().orElseThrow();
    }

    private static VrrpConfigMapping.InterfaceAddresses eth0Has(String address) {
        return (name, ipv6) -> name.equals("eth0") && !ipv6 ? Optional.of(ip(address)) : Optional.empty();
    }

    private static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aVersion3InstanceTakesItsPrimaryAddressFromTheInterface() throws IOException {
        KeepalivedConfig config = parse("""
                vrrp_instance VI_1 {
                    state BACKUP
                    interface eth0
                    virtual_router_id 51
                    priority 150
                    advert_int 0.1
                    version 3
                    nopreempt
                    virtual_ipaddress {
                        10.77.0.100/24 dev eth0
                        10.77.0.254
                    }
                }
                """);
        VrrpInstanceConfig c = new VrrpConfigMapping(config.globalDefs(), eth0Has("10.77.0.2"))
                .map(config.vrrpInstances().getFirst());
        assertThat(c.name()).isEqualTo("VI_1");
        assertThat(c.interfaceName()).isEqualTo("eth0");
        assertThat(c.vrid()).isEqualTo(51);
        assertThat(c.priority()).isEqualTo(150);
        assertThat(c.version()).isEqualTo(VrrpVersion.V3);
        assertThat(c.advertIntervalCentis()).isEqualTo(10);
        assertThat(c.primaryAddress()).isEqualTo(ip("10.77.0.2"));
        assertThat(c.virtualAddresses()).containsExactly(ip("10.77.0.100"), ip("10.77.0.254"));
        assertThat(c.preempt()).isFalse();
        assertThat(c.checksumMode()).isEqualTo(VrrpChecksumMode.IPV4_PSEUDO_HEADER);
        assertThat(c.trackers()).containsExactly(new io.tandem.vrrp.VrrpTracker("interface eth0", 0));
    }

    @Test
    void trackInterfaceAddsWeightedTrackersAndDontTrackPrimaryDropsTheOwnInterface() throws IOException {
        KeepalivedConfig config = parse("""
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    dont_track_primary
                    track_interface {
                        eth1 weight -20
                        eth2
                    }
                    virtual_ipaddress {
                        10.77.0.100
                    }
                }
                """);
        VrrpInstanceConfig c = new VrrpConfigMapping(config.globalDefs(), eth0Has("10.77.0.2"))
                .map(config.vrrpInstances().getFirst());
        assertThat(c.trackers()).containsExactly(new io.tandem.vrrp.VrrpTracker("interface eth1", -20),
                new io.tandem.vrrp.VrrpTracker("interface eth2", 0));
    }

    @Test
    void version2RoundsTheIntervalAndCarriesThePasswordAndUnicastPeers() throws IOException {
        KeepalivedConfig config = parse("""
                vrrp_instance VI_2 {
                    state MASTER
                    interface eth0
                    virtual_router_id 7
                    priority 100
                    advert_int 2
                    nopreempt
                    unicast_src_ip 10.77.0.2
                    unicast_peer {
                        10.77.0.3
                    }
                    authentication {
                        auth_type PASS
                        auth_pass secret12345
                    }
                    virtual_ipaddress {
                        10.77.0.100
                    }
                }
                """);
        VrrpInstanceConfig c = new VrrpConfigMapping(config.globalDefs(), (name, ipv6) -> Optional.empty())
                .map(config.vrrpInstances().getFirst());
        assertThat(c.version()).isEqualTo(VrrpVersion.V2);
        assertThat(c.advertIntervalCentis()).isEqualTo(200);
        assertThat(c.primaryAddress()).isEqualTo(ip("10.77.0.2"));
        assertThat(c.unicastPeers()).containsExactly(ip("10.77.0.3"));
        assertThat(c.authType()).isEqualTo(VrrpAuthType.SIMPLE_TEXT_PASSWORD);
        assertThat(new String(c.authData(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("secret12");
        assertThat(c.preempt()).as("nopreempt does not hold with state MASTER").isTrue();
    }

    @Test
    void v3ChecksumAsV2SelectsTheMessageOnlyChecksum() throws IOException {
        KeepalivedConfig config = parse("""
                vrrp_instance VI_3 {
                    interface eth0
                    virtual_router_id 9
                    version 3
                    v3_checksum_as_v2
                    virtual_ipaddress {
                        10.77.0.100
                    }
                }
                """);
        VrrpInstanceConfig c = new VrrpConfigMapping(config.globalDefs(), eth0Has("10.77.0.3"))
                .map(config.vrrpInstances().getFirst());
        assertThat(c.checksumMode()).isEqualTo(VrrpChecksumMode.MESSAGE_ONLY);
        assertThat(c.priority()).isEqualTo(100);
    }

    @Test
    void anInterfaceWithoutAnAddressIsRefusedWithTheInstanceAndTheLine() throws IOException {
        KeepalivedConfig config = parse("""
                vrrp_instance VI_1 {
                    interface eth9
                    virtual_router_id 51
                    virtual_ipaddress {
                        10.77.0.100
                    }
                }
                """);
        VrrpConfigMapping mapping = new VrrpConfigMapping(config.globalDefs(), eth0Has("10.77.0.2"));
        assertThatThrownBy(() -> mapping.map(config.vrrpInstances().getFirst()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keepalived.conf:1")
                .hasMessageContaining("vrrp_instance VI_1")
                .hasMessageContaining("interface eth9 has no IPv4 address");
    }

    @Test
    void version2IntervalsRoundToWholeSeconds() {
        assertThat(VrrpConfigMapping.wholeSeconds(Duration.ofMillis(100))).isEqualTo(Duration.ofSeconds(1));
        assertThat(VrrpConfigMapping.wholeSeconds(Duration.ofMillis(2600))).isEqualTo(Duration.ofSeconds(3));
    }

    private static VrrpConfigMapping.InterfaceAddresses eth0LinkLocal(String address) {
        return (name, ipv6) -> name.equals("eth0") && ipv6 ? Optional.of(ip(address)) : Optional.empty();
    }

    @Test
    void anIpv6InstanceIsVersion3FromTheLinkLocalAddressWithItsAddressesRoutesAndTiming() throws IOException {
        KeepalivedConfig config = parse("""
                global_defs {
                    vrrp_startup_delay 2
                    vrrp_garp_master_refresh 60
                }
                vrrp_instance VI_6 {
                    interface eth0
                    virtual_router_id 61
                    priority 100
                    advert_int 0.01
                    garp_master_delay 1
                    garp_master_repeat 2
                    garp_lower_prio_repeat 3
                    virtual_ipaddress {
                        fd77::100/64 dev eth1 scope link
                        fd77::101
                    }
                    virtual_ipaddress_excluded {
                        10.77.0.200/24 dev eth0 label eth0:x
                    }
                    virtual_routes {
                        fd78::/48 via fd77::1 dev eth0 metric 5
                        blackhole fd79::/48 table 1000
                        default via fd77::1
                    }
                }
                """);
        VrrpInstanceConfig c = new VrrpConfigMapping(config, eth0LinkLocal("fe80::2"))
                .map(config.vrrpInstances().getFirst());
        assertThat(c.version()).isEqualTo(VrrpVersion.V3);
        assertThat(c.family()).isEqualTo(io.tandem.vrrp.packet.AddressFamily.IPV6);
        assertThat(c.primaryAddress()).isEqualTo(ip("fe80::2"));
        assertThat(c.advertIntervalCentis()).isEqualTo(1);
        assertThat(c.multicastGroup()).isEqualTo(ip("ff02::12"));
        assertThat(c.virtualAddresses()).containsExactly(ip("fd77::100"), ip("fd77::101"));
        assertThat(c.addresses()).containsExactly(
                new VirtualAddress(ip("fd77::100"), 64, "eth1", null, AddressScope.LINK),
                new VirtualAddress(ip("fd77::101"), 128, null, null, AddressScope.UNIVERSE));
        assertThat(c.excludedAddresses()).containsExactly(
                new VirtualAddress(ip("10.77.0.200"), 24, "eth0", "eth0:x", AddressScope.UNIVERSE));
        assertThat(c.virtualRoutes()).containsExactly(
                new VirtualRoute(VirtualRoute.Type.UNICAST, ip("fd78::"), 48, ip("fd77::1"), null, "eth0", 254, 5,
                        null),
                new VirtualRoute(VirtualRoute.Type.BLACKHOLE, ip("fd79::"), 48, null, null, null, 1000, -1, null),
                new VirtualRoute(VirtualRoute.Type.UNICAST, ip("::"), 0, ip("fd77::1"), null, null, 254, -1, null));
        assertThat(c.garp()).isEqualTo(new GarpTiming(Duration.ofSeconds(1), 2, Duration.ofSeconds(60), 1,
                Duration.ofSeconds(1), 3));
        assertThat(c.startupDelay()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void multicastGroupsComeFromGlobalDefsOrTheInstance() throws IOException {
        KeepalivedConfig config = parse("""
                global_defs {
                    vrrp_mcast_group4 224.0.0.19
                }
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    virtual_ipaddress {
                        10.77.0.100
                    }
                }
                vrrp_instance VI_2 {
                    interface eth0
                    virtual_router_id 52
                    mcast_dst_ip 224.0.0.20
                    lower_prio_no_advert
                    higher_prio_send_advert
                    check_unicast_src
                    virtual_ipaddress {
                        10.77.0.101
                    }
                }
                """);
        VrrpConfigMapping mapping = new VrrpConfigMapping(config, eth0Has("10.77.0.2"));
        VrrpInstanceConfig first = mapping.map(config.vrrpInstances().get(0));
        VrrpInstanceConfig second = mapping.map(config.vrrpInstances().get(1));
        assertThat(first.multicastGroup()).isEqualTo(ip("224.0.0.19"));
        assertThat(first.lowerPriorityNoAdvert()).isFalse();
        assertThat(second.multicastGroup()).isEqualTo(ip("224.0.0.20"));
        assertThat(second.lowerPriorityNoAdvert()).isTrue();
        assertThat(second.higherPrioritySendAdvert()).isTrue();
        assertThat(second.checkUnicastSource()).isTrue();
    }

    @Test
    void whatTheEngineWouldRunDifferentlyIsRefusedWithTheInstance() throws IOException {
        String instance = """
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    %s
                    virtual_ipaddress {
                        %s
                    }
                    %s
                }
                """;
        record Case(String option, String vip, String routes, String message) {
        }
        for (Case c : java.util.List.of(
                new Case("unicast_ttl 64", "10.77.0.100", "", "unicast_ttl 64 is not supported yet"),
                new Case("unicast_fault_no_peer", "10.77.0.100", "", "unicast_fault_no_peer is not supported yet"),
                new Case("", "10.77.0.100/24 brd 10.77.0.255", "", "brd 10.77.0.255 is not supported yet"),
                new Case("", "10.77.0.100", "virtual_routes {\n 10.8.0.0/16 via 10.77.0.1 or 10.77.0.9\n}",
                        "or 10.77.0.9 is not supported yet"),
                new Case("", "10.77.0.100", "virtual_routes {\n 10.8.0.0/16\n}",
                        "neither via nor dev (expected: at least one for a unicast route)"))) {
            KeepalivedConfig config = parse(instance.formatted(c.option(), c.vip(), c.routes()));
            assertThatThrownBy(() -> new VrrpConfigMapping(config, eth0Has("10.77.0.2"))
                    .map(config.vrrpInstances().getFirst()))
                    .as(c.option() + c.vip() + c.routes())
                    .hasMessageContaining(": vrrp_instance VI_1: ").hasMessageContaining(c.message());
        }
    }

    @Test
    void checkConfigMapsEveryInstanceWithoutTheNetwork() throws IOException {
        KeepalivedConfig config = parse("""
                vrrp_instance VI_6 {
                    interface eth0
                    virtual_router_id 61
                    virtual_ipaddress {
                        fd77::100
                    }
                }
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    unicast_ttl 64
                    virtual_ipaddress {
                        10.77.0.100
                    }
                }
                """);
        assertThatThrownBy(() -> VrrpMastership.checkTracking(config))
                .hasMessageContaining("keepalived.conf:8: vrrp_instance VI_1: unicast_ttl 64 is not supported yet");
    }

    @Test
    void noAcceptIsRefusedWithItsLine() throws IOException {
        Path file = dir.resolve("no-accept.conf");
        Files.writeString(file, """
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    no_accept
                    virtual_ipaddress {
                        10.77.0.100
                    }
                }
                """);
        ConfigLoader.Result result = ConfigLoader.load(file, "test");
        assertThat(result.hasErrors()).isTrue();
        assertThat(result.diagnostics().toString()).contains("no-accept.conf:4").contains("no_accept is not supported");
    }
}
