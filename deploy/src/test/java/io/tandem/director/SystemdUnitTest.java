package io.tandem.director;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.lab.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/systemd/tandem.service: the two capabilities, not root; reload by SIGHUP; systemd reads every line. */
class SystemdUnitTest {
    private static final Path ROOT = Path.of(System.getProperty("tandem.repoRoot", ".."));

    @Test
    void capabilitiesNotRootAndReloadBySighup() throws Exception {
        String unit = Files.readString(ROOT.resolve("deploy/systemd/tandem.service"));
        assertThat(unit).contains("User=tandem", "AmbientCapabilities=CAP_NET_ADMIN CAP_NET_RAW",
                "CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW", "ExecReload=/bin/kill -HUP $MAINPID",
                "ExecStart=/opt/tandem/bin/tandem run -f ${TANDEM_CONFIG}", "KillSignal=SIGTERM");
        assertThat(unit).doesNotContain("User=root");
    }

    /** systemd-analyze verify names every key it does not know; the launcher path points at the distribution. */
    @Test
    void systemdAnalyzeFindsNothingToSay(@TempDir Path dir) throws Exception {
        Path launcher = ROOT.resolve("deploy/src/dist/bin/tandem").toAbsolutePath();
        Path unit = dir.resolve("tandem.service");
        Files.writeString(unit, Files.readString(ROOT.resolve("deploy/systemd/tandem.service"))
                .replace("/opt/tandem/bin/tandem", launcher.toString()));
        Command.Result r = Command.run(List.of("systemd-analyze", "verify", unit.toString()), Duration.ofSeconds(30));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr().lines().filter(l -> l.contains(unit.toString()))).as(r.stderr()).isEmpty();
    }
}
