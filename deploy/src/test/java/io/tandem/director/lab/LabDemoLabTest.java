package io.tandem.director.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.lab.LabTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main job, {@code tandem lab demo}, end to end: two real {@code tandem run}
 * processes, VRRPv3 at 100 ms, NAT to two real servers with connection sync, a master link cut and a
 * failback; new connections are served and established ones kept throughout.
 */
@LabTest
class LabDemoLabTest {
    @TempDir
    Path work;

    @Test
    void thePairServesTheVipThroughAFailoverAndAFailback() throws Exception {
        StringWriter text = new StringWriter();
        List<String> launcher = List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.tandem.director.Main");
        LabDemo.Result result = new LabDemo(new PrintWriter(text, true), work, launcher).run();
        System.out.println(text);
        assertThat(result.steady().master()).isEqualTo("director-a");
        assertThat(result.failover().master()).isEqualTo("director-b");
        assertThat(result.failback().master()).isEqualTo("director-a");
        assertThat(result.steady().traffic().answeredBy()).containsOnlyKeys("rs1", "rs2");
        assertThat(result.failover().traffic().longestOutage()).isLessThan(Duration.ofSeconds(2));
        assertThat(result.failback().traffic().longestOutage()).isLessThan(Duration.ofSeconds(2));
        assertThat(result.failover().brokenStreams()).as("established streams broken by the failover").isEmpty();
        assertThat(result.failback().brokenStreams()).as("established streams broken by the failback").isEmpty();
        assertThat(result.vrrpMetrics()).as("keepalived-exporter's series on the director's /metrics")
                .anyMatch(l -> l.startsWith("keepalived_vrrp_state{") && l.contains("iname=\"VI_1\"")
                        && l.contains("intf=\"eth0\"") && l.contains("vrid=\"51\"") && l.endsWith(" 2.0"))
                .anyMatch(l -> l.startsWith("keepalived_become_master_total{"));
        assertThat(result.passed()).as(text.toString()).isTrue();
        assertThat(text.toString()).contains("result: PASS");
    }
}
