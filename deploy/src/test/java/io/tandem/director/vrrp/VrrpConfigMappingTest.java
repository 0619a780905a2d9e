package io.tandem.director.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.core.config.ConfigLoader;
import io.tandem.core.config.model.KeepalivedConfig;
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
}
