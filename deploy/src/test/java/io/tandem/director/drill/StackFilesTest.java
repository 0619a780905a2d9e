package io.tandem.director.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.config.ConfigLoader;
import io.tandem.core.config.model.KeepalivedConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** compose.yaml, the stack's keepalived.conf and Prometheus's configuration agree with what the drills assume. */
class StackFilesTest {
    private static final Path ROOT = Path.of(System.getProperty("tandem.repoRoot", ".."));

    @Test
    void composeGivesTheServicesTheDrillsAddresses() throws Exception {
        String compose = Files.readString(ROOT.resolve("compose.yaml"));
        assertThat(compose).contains("ipv4_address: " + StackAddresses.DIRECTOR_A + "}",
                "ipv4_address: " + StackAddresses.DIRECTOR_B + "}", "ipv4_address: " + StackAddresses.PROMETHEUS + "}",
                "ipv4_address: " + StackAddresses.CLIENT + "}",
                "--target " + StackAddresses.VIP + ":80 --listen " + StackAddresses.CLIENT + ":"
                        + StackAddresses.CLIENT_REPORT_PORT);
        for (String rs : StackAddresses.REAL_SERVERS) {
            assertThat(compose).contains("  " + rs + ":\n", "ipv4_address: " + StackAddresses.realServerAddress(rs) + "}");
        }
        // the directors get the two capabilities they need and nothing more
        assertThat(compose).contains("cap_drop: [ALL]", "cap_add: [NET_ADMIN, NET_RAW]").doesNotContainPattern("privileged:\\s*true");
    }

    @Test
    void eachDirectorReadsItsAdminAddressAndTheTokenFromTheSharedFile() {
        for (String director : StackAddresses.DIRECTORS) {
            ConfigLoader.Result r = ConfigLoader.load(ROOT.resolve("deploy/compose/keepalived.conf"), director);
            assertThat(r.hasErrors()).as("%s: %s", director, r.diagnostics()).isFalse();
            KeepalivedConfig c = r.config().orElseThrow();
            assertThat(c.admin().address().getHostAddress()).isEqualTo(StackAddresses.directorAddress(director));
            assertThat(c.admin().port()).isEqualTo(StackAddresses.ADMIN_PORT);
            assertThat(c.admin().token()).contains(StackAddresses.ADMIN_TOKEN);
            assertThat(c.virtualServers()).singleElement().satisfies(vs ->
                    assertThat(vs.realServers()).hasSize(StackAddresses.REAL_SERVERS.size()));
        }
    }

    @Test
    void prometheusScrapesBothDirectorsWithTheToken() throws Exception {
        String prometheus = Files.readString(ROOT.resolve("deploy/compose/prometheus/prometheus.yml"));
        assertThat(prometheus).contains("\"" + StackAddresses.DIRECTOR_A + ":" + StackAddresses.ADMIN_PORT + "\"",
                "\"" + StackAddresses.DIRECTOR_B + ":" + StackAddresses.ADMIN_PORT + "\"", "job_name: tandem");
        assertThat(Files.readString(ROOT.resolve("deploy/compose/prometheus/admin-token")).strip())
                .isEqualTo(StackAddresses.ADMIN_TOKEN);
    }

    /** Every panel and target names the data source Grafana is provisioned with. */
    @Test
    void dashboardsUseTheProvisionedDataSource() throws Exception {
        String provisioned = Files.readString(ROOT.resolve(
                "deploy/compose/grafana/provisioning/datasources/prometheus.yml"));
        assertThat(provisioned).contains("uid: tandem-prometheus", "url: http://10.78.2.9:9090");
        try (var files = Files.list(ROOT.resolve("deploy/compose/grafana/dashboards"))) {
            for (Path f : files.toList()) {
                String json = Files.readString(f);
                long uses = json.split("\"uid\": \"tandem-prometheus\"", -1).length - 1;
                long datasources = json.split("\"datasource\":", -1).length - 1;
                assertThat(datasources).as(f.toString()).isPositive();
                assertThat(uses).as("%s: data sources naming tandem-prometheus", f).isEqualTo(datasources);
            }
        }
        assertThat(Files.readString(ROOT.resolve("compose.yaml"))).contains("ui: {ipv4_address: 10.78.2.9}");
    }

    @Test
    void theExampleEtcLayoutChecks() {
        for (String id : new String[] {"lb1", "lb2"}) {
            ConfigLoader.Result r = ConfigLoader.load(ROOT.resolve("deploy/etc/keepalived/keepalived.conf"), id);
            assertThat(r.hasErrors()).as("%s: %s", id, r.diagnostics()).isFalse();
        }
    }
}
