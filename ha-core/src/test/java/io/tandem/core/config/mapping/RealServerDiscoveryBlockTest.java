package io.tandem.core.config.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.config.ConfigFiles;
import io.tandem.core.config.ConfigLoader;
import io.tandem.core.config.Diagnostic;
import io.tandem.core.config.model.Checker;
import io.tandem.core.config.model.RealServer;
import io.tandem.core.config.model.RealServerDiscovery;
import io.tandem.core.config.model.VirtualServer;
import java.net.InetAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code real_server_discovery PATH { ... }}: the template, the real servers made from it, and bad values. */
class RealServerDiscoveryBlockTest {
    @TempDir
    Path dir;

    @Test
    void theTemplateGivesEachRegisteredInstanceItsChecker() {
        ConfigLoader.Result r = ConfigFiles.load(dir, """
                zookeeper {
                    connect 10.77.0.1:2181
                }
                virtual_server 10.77.0.100 80 {
                    lb_kind DR
                    protocol TCP
                    real_server_discovery /tandem/services/web {
                        weight 3
                        TCP_CHECK {
                            connect_timeout 2
                        }
                        HTTP_GET {
                            url {
                                path /health
                                status_code 200
                            }
                            connect_port 8081
                        }
                    }
                }
                """);
        assertThat(r.diagnostics()).isEmpty();
        VirtualServer vs = r.config().orElseThrow().virtualServers().getFirst();
        assertThat(vs.realServers()).isEmpty();
        RealServerDiscovery d = vs.discovery().orElseThrow();
        assertThat(d.path()).isEqualTo("/tandem/services/web");
        assertThat(d.basePath()).isEqualTo("/tandem/services");
        assertThat(d.serviceName()).isEqualTo("web");
        assertThat(d.location().line()).isEqualTo(7);
        RealServer rs = d.realServer(InetAddress.ofLiteral("10.77.0.12"), 8080);
        assertThat(rs.address()).isEqualTo(InetAddress.ofLiteral("10.77.0.12"));
        assertThat(rs.port()).isEqualTo(8080);
        assertThat(rs.weight()).isEqualTo(3);
        assertThat(rs.checkers()).hasSize(2);
        Checker tcp = rs.checkers().get(0);
        assertThat(tcp).isInstanceOf(Checker.TcpCheck.class);
        assertThat(tcp.common().connectIp()).isEqualTo(InetAddress.ofLiteral("10.77.0.12"));
        assertThat(tcp.common().connectPort()).isEqualTo(8080);
        assertThat(tcp.common().connectTimeout()).hasSeconds(2);
        Checker http = rs.checkers().get(1);
        assertThat(http.common().connectIp()).isEqualTo(InetAddress.ofLiteral("10.77.0.12"));
        assertThat(http.common().connectPort()).as("connect_port given in the template").isEqualTo(8081);
        // an instance registered without a port gets the virtual server's
        assertThat(d.realServer(InetAddress.ofLiteral("10.77.0.13"), 0).port()).isEqualTo(80);
    }

    @Test
    void withoutItTheVirtualServerHasNone() {
        ConfigLoader.Result r = ConfigFiles.load(dir, """
                virtual_server 10.77.0.100 80 {
                    protocol TCP
                    real_server 10.77.0.11 80 {
                    }
                }
                """);
        assertThat(r.config().orElseThrow().virtualServers().getFirst().discovery()).isEmpty();
    }

    @Test
    void badPathsAndASecondBlockAreReportedAtTheirLines() {
        ConfigLoader.Result r = ConfigFiles.load(dir, """
                virtual_server 10.77.0.100 80 {
                    protocol TCP
                    real_server_discovery services/web {
                    }
                    real_server_discovery /a//b {
                    }
                }
                virtual_server 10.77.0.101 80 {
                    protocol TCP
                    real_server_discovery /tandem/web {
                        colour blue
                    }
                    real_server_discovery /tandem/other {
                    }
                }
                """);
        assertThat(r.diagnostics()).extracting(Diagnostic::line).contains(3, 5, 11, 13);
        assertThat(r.diagnostics()).filteredOn(d -> d.line() == 10).singleElement().extracting(Diagnostic::message)
                .isEqualTo("real_server_discovery /tandem/web: no zookeeper block (expected: zookeeper { connect"
                        + " HOST:PORT } to read the registrations from)");
        assertThat(r.diagnostics()).filteredOn(d -> d.line() == 3).singleElement().extracting(Diagnostic::message)
                .isEqualTo("real_server_discovery services/web: invalid path (expected: an absolute znode path such as"
                        + " /tandem/services/web, its last segment the service name)");
        assertThat(r.diagnostics()).filteredOn(d -> d.line() == 13).singleElement().extracting(Diagnostic::message)
                .asString().startsWith("second real_server_discovery (expected: one per virtual_server; the first is at");
        assertThat(r.hasErrors()).isTrue();
    }
}
