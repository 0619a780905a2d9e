package io.tandem.healthcheck.icmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.lab.LabTest;
import io.tandem.core.lab.Netns;
import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.FailureReason;
import io.tandem.healthcheck.config.CheckerKind;
import io.tandem.healthcheck.config.PingCheckConfig;
import io.tandem.healthcheck.support.Transports;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * PING_CHECK in a network namespace of its own: loopback down and an address nobody answers (timeout), an unreachable route,
 * an address nobody answers (timeout), recovery, and both socket kinds (raw,
 * and the unprivileged ping socket once the namespace's ping_group_range allows it).
 */
@LabTest
class PingCheckerLabTest {

    private static PingChecker ping(IcmpEchoPinger pinger, String ip, Duration timeout) {
        return new PingChecker(new PingCheckConfig(Transports.options(CheckerKind.PING_CHECK,
                new InetSocketAddress(ip, 0), timeout)), pinger);
    }

    @Test
    void failsAndRecoversWithRawAndPingSockets() throws Exception {
        String name = "t" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt(1 << 20)).substring(3) + "hc";
        try (Netns ns = Netns.create(name)) {
            ns.exec("sysctl", "-qw", "net.ipv4.ping_group_range=1 0").orThrow();
            // a veth pair inside the namespace: 10.9.9.1 on a0, nothing owns 10.9.9.2
            ns.exec("ip", "link", "add", "a0", "type", "veth", "peer", "name", "b0").orThrow();
            ns.exec("ip", "addr", "add", "10.9.9.1/24", "dev", "a0").orThrow();
            ns.exec("ip", "link", "set", "a0", "up").orThrow();
            ns.exec("ip", "link", "set", "b0", "up").orThrow();
            ns.exec("ip", "route", "add", "unreachable", "10.9.8.0/24").orThrow();
            ns.exec("ip", "link", "set", "lo", "down").orThrow();

            IcmpEchoPinger raw = ns.call(IcmpEchoPinger::open);
            try {
                assertThat(raw.raw()).isTrue();
                PingChecker local = ping(raw, "127.0.0.1", Duration.ofMillis(500));
                assertThat(Transports.run(local).reason()).isEqualTo(FailureReason.TIMEOUT);
                CheckResult unreachable = Transports.run(ping(raw, "10.9.8.1", Duration.ofMillis(500)));
                assertThat(unreachable.reason()).isEqualTo(FailureReason.UNREACHABLE);
                assertThat(unreachable.detail()).contains("EHOSTUNREACH");

                Transports.Timed silent = Transports.timed(ping(raw, "10.9.9.2", Duration.ofMillis(500)));
                assertThat(silent.result().reason()).isEqualTo(FailureReason.TIMEOUT);
                assertThat(silent.seconds()).isBetween(0.45, 1.2);

                ns.exec("ip", "link", "set", "lo", "up").orThrow();
                assertThat(Transports.run(local)).isEqualTo(CheckResult.ok());
                assertThat(Transports.run(ping(raw, "10.9.9.1", Duration.ofMillis(500)))).isEqualTo(CheckResult.ok());
            } finally {
                raw.close();
            }

            ns.exec("sysctl", "-qw", "net.ipv4.ping_group_range=0 2147483647").orThrow();
            IcmpEchoPinger dgram = ns.call(IcmpEchoPinger::open);
            try {
                assertThat(dgram.raw()).isFalse();
                assertThat(Transports.run(ping(dgram, "127.0.0.1", Duration.ofMillis(500)))).isEqualTo(CheckResult.ok());
                assertThat(Transports.run(ping(dgram, "10.9.9.2", Duration.ofMillis(300))).reason())
                        .isEqualTo(FailureReason.TIMEOUT);
            } finally {
                dgram.close();
            }
        }
    }
}
