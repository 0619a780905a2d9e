package io.tandem.director.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The director's own options: one forwarding worker unless asked (tandem run --workers N). */
class DirectorOptionsTest {
    @Test
    void oneWorkerByDefaultAndMoreOnlyWhenAsked() {
        DirectorOptions options = DirectorOptions.defaults();
        assertThat(options.workers()).isEqualTo(1);
        DirectorOptions four = options.withInterface("eth1").withWorkers(4);
        assertThat(four.workers()).isEqualTo(4);
        assertThat(four.withSubsystems(DirectorOptions.Subsystems.CHECK).workers()).as("kept by the other withers")
                .isEqualTo(4);
        assertThatThrownBy(() -> options.withWorkers(0)).hasMessage("invalid workers: 0 (expected: >= 1)");
    }
}
