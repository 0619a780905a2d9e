package io.tandem.healthcheck.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionOverridesTest {
    private static final InetSocketAddress RS = new InetSocketAddress("10.0.0.11", 80);

    @Test
    void keepalivedDefaultsDependOnTheKind() {
        CheckerOptions tcp = OptionOverrides.NONE.resolve(CheckerKind.TCP_CHECK, RS);
        assertThat(tcp.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(tcp.retry()).isEqualTo(1);
        assertThat(tcp.delayBeforeRetry()).isEqualTo(Duration.ofSeconds(1));
        assertThat(tcp.delayLoop()).isEqualTo(Duration.ofSeconds(60));
        assertThat(tcp.warmup()).isEqualTo(Duration.ofSeconds(60));
        assertThat(tcp.connectTo()).isEqualTo(RS);
        assertThat(tcp.alpha()).isFalse();
        assertThat(tcp.rise()).isEqualTo(1);
        assertThat(tcp.fall()).isEqualTo(1);

        assertThat(OptionOverrides.NONE.resolve(CheckerKind.HTTP_GET, RS).delayBeforeRetry())
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(OptionOverrides.NONE.resolve(CheckerKind.SSL_GET, RS).delayBeforeRetry())
                .isEqualTo(Duration.ofSeconds(3));
        CheckerOptions dns = OptionOverrides.builder().delayLoop(Duration.ofSeconds(7)).build()
                .resolve(CheckerKind.DNS_CHECK, RS);
        assertThat(dns.retry()).isEqualTo(3);
        assertThat(dns.delayBeforeRetry()).isEqualTo(Duration.ofSeconds(7));
        assertThat(OptionOverrides.NONE.resolve(CheckerKind.MISC_CHECK, RS).retry()).isZero();
    }

    @Test
    void inheritsVirtualServerThenRealServerThenChecker() throws Exception {
        OptionOverrides vs = OptionOverrides.builder().delayLoop(Duration.ofSeconds(6)).retry(4).alpha(true).build();
        OptionOverrides rs = OptionOverrides.builder().retry(2).connectTimeout(Duration.ofSeconds(2)).build();
        OptionOverrides checker = OptionOverrides.builder().connectPort(8080)
                .connectIp(InetAddress.getByName("10.0.0.12")).retry(0).build();
        CheckerOptions o = checker.over(rs.over(vs)).resolve(CheckerKind.TCP_CHECK, RS);
        assertThat(o.retry()).isZero();
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.delayLoop()).isEqualTo(Duration.ofSeconds(6));
        assertThat(o.warmup()).isEqualTo(Duration.ofSeconds(6));
        assertThat(o.alpha()).isTrue();
        assertThat(o.connectTo()).isEqualTo(new InetSocketAddress("10.0.0.12", 8080));
    }

    @Test
    void invalidValuesNameTheValueAndTheExpectation() {
        assertThatThrownBy(() -> OptionOverrides.builder().connectPort(80000).build()
                .resolve(CheckerKind.TCP_CHECK, RS))
                .hasMessage("invalid connect_port: 80000 (expected: 0 ~ 65535)");
        assertThatThrownBy(() -> OptionOverrides.builder().retry(-1).build().resolve(CheckerKind.TCP_CHECK, RS))
                .hasMessage("invalid retry: -1 (expected: >= 0)");
        assertThatThrownBy(() -> StatusCodes.parse("200-1x"))
                .hasMessageStartingWith("invalid status_code: \"200-1x\"");
        assertThatThrownBy(() -> UrlCheck.path("/").withDigest("abc"))
                .hasMessage("invalid digest: abc (expected: 32 hex digits, MD5)");
        // a name would have to be looked up (blocking) on the event loop: only addresses are taken
        assertThatThrownBy(() -> new CheckerOptions(InetSocketAddress.createUnresolved("rs.example", 80), null, 0,
                Duration.ofSeconds(1), 0, Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO, false, false, 1, 1))
                .hasMessage("invalid connect address: rs.example (expected: an IP address; checks do no DNS lookups)");
    }

    @Test
    void statusCodesTakeListsAndRanges() {
        StatusCodes codes = StatusCodes.parse("200-204, 301 302");
        assertThat(codes.contains(203)).isTrue();
        assertThat(codes.contains(301)).isTrue();
        assertThat(codes.contains(300)).isFalse();
        assertThat(StatusCodes.DEFAULT.contains(299)).isTrue();
        assertThat(StatusCodes.DEFAULT.contains(302)).isFalse();
    }

    @Test
    void equalConfigurationsCompareEqualForReload() {
        CheckerOptions o = OptionOverrides.NONE.resolve(CheckerKind.UDP_CHECK, RS);
        assertThat(UdpCheckConfig.of(o, "0a0b", true, "0a")).isEqualTo(UdpCheckConfig.of(o, "0A0B", true, "0a"));
        assertThat(UdpCheckConfig.of(o, "0a0b", true, "0a")).isNotEqualTo(UdpCheckConfig.of(o, "0a0c", true, "0a"));
        CheckerOptions h = OptionOverrides.NONE.resolve(CheckerKind.HTTP_GET, RS);
        assertThat(HttpCheckConfig.of(h, false, List.of(UrlCheck.path("/a").withRegex("ok", false))))
                .isEqualTo(HttpCheckConfig.of(h, false, List.of(UrlCheck.path("/a").withRegex("ok", false))));
    }
}
