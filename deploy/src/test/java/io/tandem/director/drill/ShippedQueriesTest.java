package io.tandem.director.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ShippedQueriesTest {
    private static final Path COMPOSE = Path.of(System.getProperty("tandem.repoRoot", "..")).resolve("deploy/compose");

    /** The four dashboards and the five alerts the issue names are all there, each with a selector. */
    @Test
    void theShippedDashboardsAndAlertRules() throws Exception {
        List<ShippedQueries.Query> all = ShippedQueries.under(COMPOSE);
        Set<String> sources = all.stream().map(ShippedQueries.Query::source).collect(Collectors.toSet());
        assertThat(sources).containsExactlyInAnyOrder("tandem-pair.json", "tandem-services.json", "tandem-sync.json",
                "tandem-jvm.json", "alerts.yml");
        Set<String> alerts = all.stream().filter(ShippedQueries.Query::alert).map(ShippedQueries.Query::title)
                .collect(Collectors.toSet());
        assertThat(alerts).contains("TandemNoMaster", "TandemTwoMasters", "TandemRealServerDown",
                "TandemServiceBelowQuorum", "TandemSyncLag");
        assertThat(all).allSatisfy(q -> assertThat(PromQlSelectors.of(q.evaluable())).as(q.expr()).isNotEmpty());
        assertThat(all).allSatisfy(q -> assertThat(q.evaluable()).doesNotContain("$"));
    }

    @Test
    void panelsInRowsAndEveryTarget() {
        String json = """
                {"panels":[{"type":"row","title":"r","panels":[
                  {"title":"inner","targets":[{"expr":"a"},{"expr":"b[$__rate_interval]"}]}]},
                  {"title":"outer","targets":[{"expr":"c"}]},{"type":"text","title":"no targets"}]}
                """;
        List<ShippedQueries.Query> q = ShippedQueries.dashboard("d.json", json);
        assertThat(q).extracting(ShippedQueries.Query::title).containsExactly("inner", "inner", "outer");
        assertThat(q.get(1).evaluable()).isEqualTo("b[1m]");
    }

    @Test
    void anAlertExpressionMustBeOnOneLine() {
        assertThat(ShippedQueries.alerts("a.yml", "  - alert: X\n    expr: up == 0\n")).singleElement()
                .satisfies(q -> assertThat(q.title()).isEqualTo("X"));
        assertThatThrownBy(() -> ShippedQueries.alerts("a.yml", "  - alert: X\n    expr: |\n      up == 0\n"))
                .hasMessageStartingWith("a.yml:2: expr must be on one line");
    }
}
