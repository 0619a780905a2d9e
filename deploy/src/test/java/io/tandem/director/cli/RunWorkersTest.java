package io.tandem.director.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** {@code tandem run}'s worker count: {@code --workers N} wins over {@code global_defs forwarder_workers N}. */
class RunWorkersTest {
    @Test
    void theCommandLineWinsOverTheFileWhichWinsOverTheDefault() {
        assertThat(RunCommand.workers(null, OptionalInt.empty())).isEqualTo(1);
        assertThat(RunCommand.workers(null, OptionalInt.of(4))).isEqualTo(4);
        assertThat(RunCommand.workers(2, OptionalInt.of(4))).isEqualTo(2);
        assertThat(RunCommand.workers(1, OptionalInt.of(4))).isEqualTo(1);
    }
}
