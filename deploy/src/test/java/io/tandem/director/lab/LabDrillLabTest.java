package io.tandem.director.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.lab.LabTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tandem lab drill}: every named drill on a director pair of real {@code tandem run}
 * processes; each must pass its own checks (the client served throughout, established streams
 * kept where the drill promises it, one master at the end).
 */
@LabTest
class LabDrillLabTest {
    @TempDir
    Path work;

    @Test
    void everyDrillPasses() throws Exception {
        StringWriter text = new StringWriter();
        List<String> launcher = List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.tandem.director.Main");
        List<LabDrill.Report> reports = new LabDrill(new PrintWriter(text, true), work, launcher).run(List.of());
        System.out.println(text);
        assertThat(reports).extracting(LabDrill.Report::name).containsExactlyElementsOf(LabDrill.NAMES);
        assertThat(reports).as(text.toString()).allMatch(LabDrill.Report::passed);
        LabDrill.Report partition = reports.getLast();
        assertThat(partition.findings()).as("the split brain VRRP alone allows is shown")
                .anyMatch(f -> f.startsWith("while cut: both"));
    }
}
