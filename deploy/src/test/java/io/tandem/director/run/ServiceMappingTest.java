package io.tandem.director.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.core.config.ConfigLoader;
import io.tandem.core.config.model.KeepalivedConfig;
import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.engine.ServiceSpec;
import io.tandem.healthcheck.config.CheckerKind;
import io.tandem.healthcheck.config.VirtualServiceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceMappingTest {
    @TempDir
    Path dir;

    private KeepalivedConfig load(String text) throws IOException {
        Path file = dir.resolve("keepalived.conf");
        Files.writeString(file, text);
        ConfigLoader.Result result = ConfigLoader.load(file, "test");
        assertThat(result.hasErrors()).as(result.diagnostics().toString()).isFalse();
        return result.config().orElseThrow();
    }

    @Test
    void toaWithoutFullNatsLocalAddressesIsRefusedWithItsLine() throws IOException {
        Path file = dir.resolve("keepalived.conf");
        Files.writeString(file, """
                virtual_server 10.77.0.100 80 {
                    lb_kind NAT
                    protocol TCP
                    toa
                    real_server 10.77.0.11 80 {
                    }
                }
                """);
        ConfigLoader.Result result = ConfigLoader.load(file, "test");
        assertThat(result.hasErrors()).isTrue();
        assertThat(result.diagnostics().toString()).contains("keepalived.conf:4").contains("toa")
                .contains("local_address_group");
    }

    @Test
    void fullNatWithALocalAddressGroupPersistenceAndWeights() throws IOException {
        KeepalivedConfig config = load("""
                local_address_group lag {
                    10.77.0.200-202
                    10.77.0.210
                }
                virtual_server 10.77.0.100 443 {
                    lb_algo wrr
                    lb_kind FNAT
                    protocol TCP
                    persistence_timeout 300
                    persistence_granularity 255.255.255.0
                    local_address_group lag
                    toa
                    real_server 10.77.0.11 8443 {
                        weight 3
                        TCP_CHECK {
                            connect_timeout 2
                        }
                    }
                    real_server 10.77.0.12 8443 {
                        weight 5
                    }
                }
                """);
        ServiceSpec s = ServiceMapping.services(config).getFirst();
        assertThat(s.protocol()).isEqualTo(6);
        assertThat(s.address().getHostAddress()).isEqualTo("10.77.0.100");
        assertThat(s.port()).isEqualTo(443);
        assertThat(s.scheduler()).isEqualTo("wrr");
        assertThat(s.persistenceTimeoutSeconds()).isEqualTo(300);
        assertThat(s.persistenceNetmask()).isEqualTo(0xFFFF_FF00);
        assertThat(s.localAddresses()).extracting(a -> a.getHostAddress())
                .containsExactly("10.77.0.200", "10.77.0.201", "10.77.0.202", "10.77.0.210");
        assertThat(s.realServers()).extracting(r -> r.address().getHostAddress() + ":" + r.port() + " w"
                + r.weight() + " " + r.method())
                .containsExactly("10.77.0.11:8443 w3 FULLNAT", "10.77.0.12:8443 w5 FULLNAT");
        assertThat(ServiceMapping.key(s)).isEqualTo("10.77.0.100:443/TCP");
        assertThat(s.toa()).as("toa").isTrue();

        List<VirtualServiceConfig> health = HealthMapping.services(config.virtualServers(),
                List.of(ServiceMapping.key(s)));
        assertThat(health.getFirst().name()).isEqualTo("10.77.0.100:443/TCP");
        assertThat(health.getFirst().realServers().get(0).checkers()).singleElement()
                .satisfies(c -> {
                    assertThat(c.kind()).isEqualTo(CheckerKind.TCP_CHECK);
                    assertThat(c.options().connectTo().getPort()).isEqualTo(8443);
                    assertThat(c.options().connectTimeout().toSeconds()).isEqualTo(2);
                });
        assertThat(health.getFirst().realServers().get(1).checkers()).isEmpty();
    }

    @Test
    void udpNatAndDrServicesKeepTheirMethods() throws IOException {
        KeepalivedConfig config = load("""
                virtual_server 10.77.0.100 53 {
                    lb_algo rr
                    lb_kind NAT
                    protocol UDP
                    real_server 10.77.0.11 5353 {
                    }
                }
                virtual_server 10.77.0.100 80 {
                    lb_algo mh
                    lb_kind DR
                    protocol TCP
                    real_server 10.77.0.12 80 {
                    }
                }
                """);
        List<ServiceSpec> services = ServiceMapping.services(config);
        assertThat(services).extracting(ServiceMapping::key).containsExactly("10.77.0.100:53/UDP", "10.77.0.100:80/TCP");
        assertThat(services.get(0).realServers().getFirst().method()).isEqualTo(ForwardMethod.NAT);
        assertThat(services.get(1).realServers().getFirst().method()).isEqualTo(ForwardMethod.DR);
        assertThat(services.get(1).scheduler()).isEqualTo("mh");
        assertThat(services.get(0).persistenceTimeoutSeconds()).isZero();
    }

    @Test
    void aFwmarkServiceIsRefusedWithItsLine() throws IOException {
        KeepalivedConfig config = load("""
                virtual_server fwmark 7 {
                    lb_algo rr
                    lb_kind DR
                    real_server 10.77.0.11 80 {
                    }
                }
                """);
        assertThatThrownBy(() -> ServiceMapping.services(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keepalived.conf:1: ")
                .hasMessageContaining("not supported by the forwarder yet");
    }
}
