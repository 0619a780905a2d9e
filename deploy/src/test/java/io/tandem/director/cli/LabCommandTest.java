package io.tandem.director.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.lab.LabNamespaces;
import io.tandem.core.lab.LabOptions;
import io.tandem.core.lab.LabRegistry;
import io.tandem.core.lab.LabTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code tandem lab up} leaves a recorded lab running; {@code tandem lab down} removes it entirely. */
@LabTest
class LabCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int tandem(String... args) {
        return new CommandLine(new TandemCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
    }

    @Test
    void upLeavesTheLabRunningAndDownRemovesIt() throws Exception {
        String prefix = LabOptions.randomPrefix();
        try {
            assertThat(tandem("lab", "up", "--prefix", prefix, "--real-servers", "1")).as(err.toString()).isZero();

            assertThat(out.toString()).contains("lab " + prefix + " is up")
                    .containsPattern("rs1 +" + prefix + "-rs1 +eth0 10\\.77\\.0\\.11/24 02:00:0a:4d:00:0b, lan:rs1-eth0")
                    .containsPattern("router +" + prefix + "-router +eth0 10\\.77\\.1\\.1/24 .*eth1 10\\.77\\.0\\.1/24");
            assertThat(LabNamespaces.ofLab(prefix)).hasSize(6);
            assertThat(LabRegistry.defaultRegistry().read(prefix).orElseThrow().kept()).isTrue();

            assertThat(tandem("lab", "down", "--prefix", prefix)).as(err.toString()).isZero();

            assertThat(out.toString()).contains("lab " + prefix + " removed");
            assertThat(LabNamespaces.ofLab(prefix)).isEmpty();
            assertThat(LabRegistry.defaultRegistry().read(prefix)).isEmpty();
        } finally {
            LabRegistry.defaultRegistry().destroy(prefix);
        }
    }

    @Test
    void downOfAnUnknownPrefixFailsNamingIt() {
        assertThat(tandem("lab", "down", "--prefix", "tlnone0")).isEqualTo(1);
        assertThat(err.toString()).contains("no lab recorded with prefix tlnone0");
    }

    @Test
    void upRejectsAnInvalidCount() {
        assertThat(tandem("lab", "up", "--real-servers", "89")).isEqualTo(2);
        assertThat(err.toString()).contains("invalid number of real servers: 89 (expected: 0 ~ 88)");
    }
}
