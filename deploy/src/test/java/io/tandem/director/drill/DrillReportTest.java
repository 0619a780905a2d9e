package io.tandem.director.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DrillReportTest {

    @Test
    void timedEventsNotesAndTheVerdict() {
        AtomicLong clock = new AtomicLong(1000);
        StringWriter text = new StringWriter();
        DrillReport r = new DrillReport("x", new PrintWriter(text), clock::get);
        clock.set(2234);
        r.event("docker kill %s", "director-a");
        r.note("client", "fine");
        r.check("takes over", true, "1118 ms");
        r.notRun("reload", "not in this build");
        assertThat(r.passed()).isTrue();
        assertThat(r.verdict()).isEqualTo("drill x: PASS (1 checks passed, 0 failed, 1 not run)");
        assertThat(text.toString()).contains("   +1.234 s  docker kill director-a", "  client:   fine",
                "  check:    PASS    takes over: 1118 ms", "  check:    NOT RUN reload: not in this build");
        r.check("survives", false, "0 of 4 kept");
        assertThat(r.passed()).isFalse();
        assertThat(r.verdict()).isEqualTo("drill x: FAIL (1 checks passed, 1 failed, 1 not run)");
    }

    /** A drill whose every check was skipped has not passed. */
    @Test
    void nothingRunIsNoPass() {
        DrillReport r = new DrillReport("y", new PrintWriter(new StringWriter()), () -> 0);
        assertThat(r.passed()).isFalse();
        r.notRun("reload", "not in this build");
        assertThat(r.passed()).isFalse();
    }
}
