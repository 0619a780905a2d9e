package io.tandem.director.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code tandem drill}: the list, a wrong name, and the client's options (no stack needed). */
class DrillCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int tandem(String... args) {
        return new CommandLine(new TandemCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
    }

    @Test
    void withoutANameItListsTheDrills() {
        assertThat(tandem("drill")).isZero();
        assertThat(out.toString()).contains("master-crash", "master-freeze", "partition", "real-server-crash",
                "rolling-restart", "reload");
    }

    @Test
    void anUnknownDrillIsNamed() {
        assertThat(tandem("drill", "meteor-strike")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown drill: meteor-strike (expected: one of [master-crash");
    }

    @Test
    void theClientRefusesABadAddress() {
        assertThat(tandem("drill", "client", "--target", "10.0.0.1:99999", "--listen", "127.0.0.1:0")).isNotZero();
        assertThat(err.toString()).contains("invalid --target: 10.0.0.1:99999 (expected: IP:PORT with a port of 1 ~ 65535)");
    }

    @Test
    void queriesWithoutTheFilesSaysWhere() {
        assertThat(tandem("drill", "queries", "--dir", "/nonexistent", "--prometheus", "http://127.0.0.1:1")).isEqualTo(2);
        assertThat(err.toString()).contains("tandem drill queries: ").contains("/nonexistent");
    }
}
