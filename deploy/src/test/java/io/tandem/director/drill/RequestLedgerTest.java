package io.tandem.director.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RequestLedgerTest {

    @Test
    void countsTheWindowPerServer() {
        RequestLedger ledger = new RequestLedger(16);
        ledger.record(100, "rs1");
        ledger.record(200, "rs2");
        ledger.record(300, "rs1");
        RequestLedger.Window w = ledger.since(150, 400);
        assertThat(w.requests()).isEqualTo(2);
        assertThat(w.answered()).isEqualTo(2);
        assertThat(w.failed()).isZero();
        assertThat(w.answeredBy()).containsExactly(java.util.Map.entry("rs1", 1L), java.util.Map.entry("rs2", 1L));
        assertThat(w.longestOutageMillis()).isZero();
    }

    /** An outage runs from the last answer before the failures to the next answer. */
    @Test
    void outageFromTheLastAnswerBeforeTheFailuresToTheNextAnswer() {
        RequestLedger ledger = new RequestLedger(16);
        ledger.record(1000, "rs1");
        ledger.record(1100, null);
        ledger.record(1600, null);
        ledger.record(2400, "rs2");
        ledger.record(2500, "rs2");
        RequestLedger.Window w = ledger.since(0, 3000);
        assertThat(w.failed()).isEqualTo(2);
        assertThat(w.longestOutageMillis()).isEqualTo(1400);
        assertThat(w.lastFailureAt()).isEqualTo(1600);
    }

    /** The answer before the window still starts an outage that goes on into it. */
    @Test
    void anOutageThatBeganBeforeTheWindowCountsFromTheAnswerBeforeIt() {
        RequestLedger ledger = new RequestLedger(16);
        ledger.record(1000, "rs1");
        ledger.record(1500, null);
        ledger.record(2100, null);
        ledger.record(2600, "rs1");
        assertThat(ledger.since(2000, 3000).longestOutageMillis()).isEqualTo(1600);
    }

    @Test
    void stillFailingAtTheEndCountsUntilNow() {
        RequestLedger ledger = new RequestLedger(16);
        ledger.record(1000, "rs1");
        ledger.record(1200, null);
        assertThat(ledger.since(0, 5000).longestOutageMillis()).isEqualTo(4000);
        RequestLedger never = new RequestLedger(4);
        never.record(1200, null);
        assertThat(never.since(1000, 1500).longestOutageMillis()).isEqualTo(500);
    }

    @Test
    void theRingKeepsTheLatestRequests() {
        RequestLedger ledger = new RequestLedger(3);
        for (int i = 1; i <= 5; i++) {
            ledger.record(i * 100, "rs" + i);
        }
        RequestLedger.Window w = ledger.since(0, 1000);
        assertThat(w.requests()).isEqualTo(3);
        assertThat(w.answeredBy()).containsOnlyKeys("rs3", "rs4", "rs5");
    }

    @Test
    void refusesAnEmptyRing() {
        assertThatThrownBy(() -> new RequestLedger(0)).hasMessage("invalid ledger capacity: 0 (expected: at least 1)");
    }
}
