package io.tandem.director.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.config.ConfigLoader;
import io.tandem.core.config.model.KeepalivedConfig;
import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.engine.RealServerSpec;
import io.tandem.forwarder.engine.ServiceSpec;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a reload changes in the virtual services, and what it refuses to change, between two parsed files. */
class ServiceChangesTest {
    @TempDir
    Path dir;
    private int files;

    private KeepalivedConfig load(String text) throws IOException {
        Path file = dir.resolve("keepalived-" + files++ + ".conf");
        Files.writeString(file, text);
        ConfigLoader.Result result = ConfigLoader.load(file, "test");
        assertThat(result.hasErrors()).as(result.diagnostics().toString()).isFalse();
        return result.config().orElseThrow();
    }

    private ServiceChanges changes(String old, String next) throws IOException {
        return ServiceChanges.of(ServiceMapping.services(load(old)), ServiceMapping.services(load(next)));
    }

    private static String service(int port, String algo, String reals) {
        return """
                virtual_server 10.0.0.100 %d {
                    lb_algo %s
                    lb_kind NAT
                    protocol TCP
                %s}
                """.formatted(port, algo, reals);
    }

    private static String real(int last, int weight, String extra) {
        return """
                    real_server 10.0.0.%d 8080 {
                        weight %d
                %s        TCP_CHECK {
                            connect_timeout 1
                        }
                    }
                """.formatted(last, weight, extra);
    }

    private static Inet4Address ip(String text) {
        return (Inet4Address) InetAddress.ofLiteral(text);
    }

    @Test
    void anAddedRealServerChangesOnlyItsService() throws IOException {
        String old = service(80, "rr", real(11, 1, "") + real(12, 1, "")) + service(443, "wlc", real(21, 1, ""));
        String next = "# moved down a line\n" + service(80, "rr", real(11, 1, "") + real(12, 1, "")
                + real(13, 2, "")) + service(443, "wlc", real(21, 1, ""));
        ServiceChanges c = changes(old, next);
        assertThat(c.added()).isEmpty();
        assertThat(c.removed()).isEmpty();
        assertThat(c.unchanged()).extracting(ServiceSpec::port).containsExactly(443);
        assertThat(c.changed()).singleElement().satisfies(change -> {
            assertThat(change.addedRealServers()).containsExactly(
                    new RealServerSpec(ip("10.0.0.13"), 8080, 2, ForwardMethod.NAT));
            assertThat(change.removedRealServers()).isEmpty();
            assertThat(change.changedRealServers()).isEmpty();
            assertThat(change.serviceSettingsChanged()).isFalse();
        });
        assertThat(c.summary()).isEqualTo("services: 1 unchanged, added [], removed [], changed"
                + " [TCP 10.0.0.100:80 +[10.0.0.13:8080]]");
    }

    @Test
    void realServersInAnotherOrderAndNewCheckerSettingsLeaveTheServiceUnchanged() throws IOException {
        String old = service(80, "rr", real(11, 1, "") + real(12, 1, ""));
        String next = service(80, "rr", real(12, 1, "") + real(11, 1, "").replace("connect_timeout 1",
                "connect_timeout 3"));
        ServiceChanges c = changes(old, next);
        assertThat(c.none()).as("the checker's settings are the health monitor's business").isTrue();
        assertThat(c.unchanged()).hasSize(1);
    }

    @Test
    void settingsWeightsRemovalsAndNewServices() throws IOException {
        String old = service(80, "rr", real(11, 1, "") + real(12, 1, "")) + service(443, "wlc", real(21, 1, ""));
        String next = service(80, "wrr", real(11, 5, "")) + service(8443, "rr", real(31, 1, ""));
        ServiceChanges c = changes(old, next);
        assertThat(c.added()).extracting(ServiceSpec::port).containsExactly(8443);
        assertThat(c.removed()).extracting(ServiceSpec::port).containsExactly(443);
        assertThat(c.changed()).singleElement().satisfies(change -> {
            assertThat(change.serviceSettingsChanged()).isTrue();
            assertThat(change.removedRealServers()).extracting(RealServerSpec::address)
                    .containsExactly(ip("10.0.0.12"));
            assertThat(change.changedRealServers()).containsExactly(
                    new RealServerSpec(ip("10.0.0.11"), 8080, 5, ForwardMethod.NAT));
        });
    }

    @Test
    void theAdminEndpointAndConnectionSyncCannotBeReloaded() throws IOException {
        String services = service(80, "rr", real(11, 1, ""));
        KeepalivedConfig running = load(services);
        assertThat(NotReloadable.reasons(running, load("# other lines\n" + services))).isEmpty();
        assertThat(NotReloadable.reasons(running, load("admin {\n    port 9200\n}\n" + services)))
                .singleElement().asString().startsWith("the admin block (address, port or token) changed");
        assertThat(NotReloadable.reasons(running, load("global_defs {\n    lvs_sync_daemon eth0\n}\n" + services)))
                .singleElement().asString().startsWith("connection sync (sync_daemon or lvs_sync_daemon) changed");
        assertThat(NotReloadable.reasons(running, load("global_defs {\n    forwarder_workers 2\n}\n" + services)))
                .singleElement().asString().startsWith("global_defs forwarder_workers changed");
    }
}
