package io.tandem.director.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.director.drill.KeptConnection.Incarnation;
import io.tandem.director.drill.KeptConnection.Stall;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeptReportTest {

    @Test
    void establishedAreThoseOpenWhenTheWindowBegan() {
        List<Incarnation> all = List.of(
                // open before, still open, stalled 1.8 s during the window
                new Incarnation(0, 1, "rs1", 100, 50, 4900, -1, "", List.of(new Stall(500, 900), new Stall(3000, 1800))),
                // open before, broken in the window
                new Incarnation(1, 1, "rs2", 200, 10, 2000, 2500, "Connection reset", List.of()),
                // opened after the window began: not established
                new Incarnation(1, 2, "rs3", 2600, 10, 4950, -1, "", List.of()),
                // broken before the window: not established
                new Incarnation(2, 1, "rs1", 100, 10, 800, 900, "timeout", List.of()));
        KeptReport r = KeptReport.of(all, 1000, 5000);
        assertThat(r.established()).isEqualTo(2);
        assertThat(r.kept()).isEqualTo(1);
        assertThat(r.broken()).containsExactly("#1.1 to rs2 after 1500 ms: Connection reset");
        assertThat(r.longestStallMillis()).isEqualTo(1800);
        assertThat(r.openNow()).isEqualTo(2);
        assertThat(r.answering()).isEqualTo(2);
    }

    @Test
    void theGapSinceTheLastAnswerOfAnOpenConnectionIsAStallInProgress() {
        KeptReport r = KeptReport.of(List.of(new Incarnation(0, 1, "rs1", 100, 5, 2000, -1, "", List.of())), 1000, 6000);
        assertThat(r.longestStallMillis()).isEqualTo(4000);
        assertThat(r.answering()).isZero();
    }
}
