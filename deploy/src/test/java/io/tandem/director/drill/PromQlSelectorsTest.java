package io.tandem.director.drill;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlSelectorsTest {

    @Test
    void aBareMetricAndOneWithMatchers() {
        assertThat(PromQlSelectors.of("keepalived_vrrp_state")).containsExactly("keepalived_vrrp_state");
        assertThat(PromQlSelectors.of("up{job=\"tandem\"} == 0")).containsExactly("up{job=\"tandem\"}");
    }

    @Test
    void functionsAggregationsAndLabelListsAreNotSelectors() {
        assertThat(PromQlSelectors.of("sum by (instance, reason) (rate(tandem_sync_messages_dropped_total[5m])) > 0"))
                .containsExactly("tandem_sync_messages_dropped_total");
        assertThat(PromQlSelectors.of("sum(rate(x_total[$__rate_interval])) without (job) / on (instance)"
                + " group_left (director) y"))
                .containsExactly("x_total", "y");
        assertThat(PromQlSelectors.of("sum by (iname, vrid) (keepalived_vrrp_state == bool 2) < 1"))
                .containsExactly("keepalived_vrrp_state");
    }

    @Test
    void setOperatorsNumbersAndOffsets() {
        assertThat(PromQlSelectors.of("max(a and on (instance) (b == 1)) - max(a unless c) > 10 + 0.1 * max(d offset 5m)"))
                .containsExactly("a", "b", "a", "c", "d");
        assertThat(PromQlSelectors.of("time() - tandem_vrrp_last_transition_timestamp_seconds"))
                .containsExactly("tandem_vrrp_last_transition_timestamp_seconds");
    }

    @Test
    void stringsAndNameMatchers() {
        assertThat(PromQlSelectors.of("label_replace(up, \"a\", \"$1 (b)\", \"instance\", \"(.*)\")"))
                .containsExactly("up");
        assertThat(PromQlSelectors.of("{__name__=~\"keepalived_.*_errors_total\", intf=\"eth0\"}"))
                .containsExactly("{__name__=~\"keepalived_.*_errors_total\", intf=\"eth0\"}");
        assertThat(PromQlSelectors.of("m{a=\"}\"}")).containsExactly("m{a=\"}\"}");
    }
}
