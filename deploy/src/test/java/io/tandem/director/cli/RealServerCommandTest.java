package io.tandem.director.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.forwarder.realserver.RealServerMode;
import io.tandem.forwarder.realserver.RealServerOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code tandem realserver}'s options; bad ones are refused with the value and what was expected, before any change. */
class RealServerCommandTest {
    private final StringWriter err = new StringWriter();

    private RealServerOptions parse(String... args) {
        RealServerCommand command = new RealServerCommand();
        new CommandLine(command).parseArgs(args);
        return command.options();
    }

    private int run(String... args) {
        return new CommandLine(new TandemCommand()).setErr(new PrintWriter(err)).execute(args);
    }

    @Test
    void optionsMapToTheRealServersSettings() {
        RealServerOptions o = parse("--mode", "TUN", "--vip", "10.77.0.100", "--vip", "10.77.0.101",
                "--interface", "eth0", "--director", "10.77.0.2", "--tun-name", "ipip9", "--stats-interval", "0.5");
        assertThat(o.mode()).isEqualTo(RealServerMode.TUN);
        assertThat(o.vips()).containsExactly((java.net.Inet4Address) InetAddress.ofLiteral("10.77.0.100"),
                (java.net.Inet4Address) InetAddress.ofLiteral("10.77.0.101"));
        assertThat(o.interfaceName()).contains("eth0");
        assertThat(o.directors()).hasSize(1);
        assertThat(o.tunName()).isEqualTo("ipip9");
        assertThat(o.statsInterval()).isEqualTo(Duration.ofMillis(500));

        RealServerOptions dr = parse("--mode", "dr", "--vip", "10.77.0.100");
        assertThat(dr.mode()).isEqualTo(RealServerMode.DR);
        assertThat(dr.interfaceName()).isEqualTo(Optional.empty());
        assertThat(dr.tunName()).isEqualTo(RealServerOptions.DEFAULT_TUN_NAME);
        assertThat(dr.directors()).isEqualTo(List.of());
    }

    @Test
    void badOptionsAreRefusedWithTheValueAndTheExpectation() {
        assertThat(run("realserver", "--mode", "nat", "--vip", "10.77.0.100")).isEqualTo(2);
        assertThat(err.toString()).contains("invalid mode: nat (expected: dr or tun)");
        assertThat(run("realserver", "--mode", "tun", "--vip", "2001:db8::1")).isEqualTo(2);
        assertThat(err.toString()).contains("invalid --vip: 2001:db8::1 (expected: an IPv4 address;");
        assertThat(run("realserver", "--mode", "tun", "--vip", "vip.example")).isEqualTo(2);
        assertThat(err.toString()).contains("invalid --vip: vip.example (expected: an IPv4 address)");
        assertThat(run("realserver", "--mode", "dr", "--vip", "10.77.0.100", "--director", "10.77.0.2"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--director is for --mode tun");
        assertThat(run("realserver", "--mode", "tun", "--vip", "10.77.0.100", "--tun-name", "a-name-far-too-long"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("invalid TUN device name: a-name-far-too-long (expected: 1 ~ 15 characters)");
    }
}
