package io.tandem.forwarder.steer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SteeringRulesTest {
    @Test
    void scriptReplacesTheTableInOneTransaction() {
        SteeringRules rules = new SteeringRules("VI_1", "eth0");
        String script = rules.script(List.of(
                SteeringRules.Match.toService(6, "10.77.0.100", 80),
                SteeringRules.Match.fromRealServer(6, "10.77.0.11", 8080),
                SteeringRules.Match.toLocalAddress("10.77.0.200")));
        assertThat(script).isEqualTo("""
                table netdev tandem_VI_1 {}
                delete table netdev tandem_VI_1
                table netdev tandem_VI_1 {
                  chain ingress {
                    type filter hook ingress device "eth0" priority -500; policy accept;
                    ip daddr 10.77.0.100 tcp dport 80 counter drop
                    ip saddr 10.77.0.11 tcp sport 8080 counter drop
                    ip daddr 10.77.0.200 counter drop
                  }
                }
                """);
    }

    @Test
    void natRepliesToTheDirectorItselfAreLeftToTheKernel() {
        SteeringRules.Match m = SteeringRules.Match.fromRealServer(6, "10.77.0.11", 8080,
                List.of("10.77.0.2", "10.77.0.254"));
        assertThat(m.rule()).isEqualTo("ip saddr 10.77.0.11 ip daddr != { 10.77.0.2, 10.77.0.254 } tcp sport 8080"
                + " counter drop");
        assertThatThrownBy(() -> SteeringRules.Match.fromRealServer(6, "10.77.0.11", 80, List.of("1.2.3.4 } ;")))
                .hasMessage("invalid address: 1.2.3.4 } ; (expected: dotted IPv4)");
    }

    @Test
    void natRealServersIcmpErrorsAreTheForwardersExceptThoseToTheDirector() {
        SteeringRules.Match m = SteeringRules.Match.icmpErrorsFromRealServer("10.77.0.11", List.of("10.77.0.2"));
        assertThat(m.rule()).isEqualTo("ip saddr 10.77.0.11 ip daddr != { 10.77.0.2 } icmp type {"
                + " destination-unreachable, source-quench, time-exceeded, parameter-problem } counter drop");
    }

    @Test
    void namesAreChecked() {
        assertThatThrownBy(() -> new SteeringRules("x; flush ruleset", "eth0"))
                .hasMessage("invalid steering instance name: x; flush ruleset (expected: 1 to 40 letters, digits or _)");
        assertThatThrownBy(() -> new SteeringRules("a", "eth0\" ; drop"))
                .hasMessageStartingWith("invalid device name");
    }
}
