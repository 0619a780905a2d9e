package io.tandem.director.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.core.config.ConfigLoader;
import io.tandem.core.config.model.KeepalivedConfig;
import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.engine.ServiceSpec;
import io.tandem.healthcheck.config.CheckerConfig;
import io.tandem.healthcheck.config.CheckerKind;
import io.tandem.healthcheck.config.CheckerOptions;
import io.tandem.healthcheck.config.DnsCheckConfig;
import io.tandem.healthcheck.config.HttpCheckConfig;
import io.tandem.healthcheck.config.MiscCheckConfig;
import io.tandem.healthcheck.config.RealServerConfig;
import io.tandem.healthcheck.config.SmtpCheckConfig;
import io.tandem.healthcheck.config.UdpCheckConfig;
import io.tandem.healthcheck.config.UrlCheck;
import io.tandem.healthcheck.config.VirtualServiceConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keepalived.conf to the health checker's configuration, through the real
 * parser: every checker kind, keepalived's defaults and the inheritance
 * virtual server -> real server -> checker, the notify commands, quorum and
 * sorry server, and what is refused with its line.
 */
class HealthMappingTest {
    @TempDir
    Path dir;

    private KeepalivedConfig load(String text) throws IOException {
        Path file = dir.resolve("keepalived.conf");
        Files.writeString(file, text);
        ConfigLoader.Result result = ConfigLoader.load(file, "test");
        assertThat(result.hasErrors()).as(result.diagnostics().toString()).isFalse();
        return result.config().orElseThrow();
    }

    private static List<VirtualServiceConfig> map(KeepalivedConfig config) {
        List<String> keys = ServiceMapping.services(config).stream().map(ServiceMapping::key).toList();
        return HealthMapping.services(config.virtualServers(), keys);
    }

    private static CheckerConfig only(RealServerConfig rs) {
        assertThat(rs.checkers()).hasSize(1);
        return rs.checkers().getFirst();
    }

    @Test
    void everyCheckerKindIsMapped() throws IOException {
        KeepalivedConfig config = load("""
                virtual_server 10.0.0.1 80 {
                    lb_kind NAT
                    protocol TCP
                    real_server 10.0.0.11 80 {
                        TCP_CHECK {
                            connect_port 81
                            bindto 10.0.0.2
                            bind_port 4000
                        }
                        HTTP_GET {
                            url {
                                path /health
                                digest 0123456789ABCDEF0123456789abcdef
                                status_code 200 301-302
                                regex "status: ok"
                                regex_options caseless dotall
                            }
                            url {
                                path /ready
                                regex error
                                regex_no_match
                            }
                            http_protocol 1.1
                            virtualhost www.example.org
                        }
                        SSL_GET {
                            url {
                                path /
                            }
                            enable_sni
                            sni_name tls.example.org
                        }
                    }
                }
                virtual_server 10.0.0.1 53 {
                    protocol UDP
                    real_server 10.0.0.12 53 {
                        DNS_CHECK {
                            type A
                            name rs.example
                        }
                        UDP_CHECK {
                            payload 0102 03
                            require_reply 0aXb
                            min_reply_length 2
                            max_reply_length 100
                        }
                        MISC_CHECK {
                            misc_path "/usr/local/bin/check 'two words'"
                            misc_timeout 7
                            misc_dynamic
                            user nobody
                        }
                        SMTP_CHECK {
                            helo_name director.example
                        }
                        PING_CHECK {
                        }
                    }
                }
                """);
        List<VirtualServiceConfig> services = map(config);
        assertThat(services).extracting(VirtualServiceConfig::name)
                .containsExactly("10.0.0.1:80/TCP", "10.0.0.1:53/UDP");

        List<CheckerConfig> web = services.get(0).realServers().getFirst().checkers();
        assertThat(web).extracting(CheckerConfig::kind)
                .containsExactly(CheckerKind.TCP_CHECK, CheckerKind.HTTP_GET, CheckerKind.SSL_GET);
        CheckerOptions tcp = web.get(0).options();
        assertThat(tcp.connectTo()).isEqualTo(new InetSocketAddress("10.0.0.11", 81));
        assertThat(tcp.bindTo().getHostAddress()).isEqualTo("10.0.0.2");
        assertThat(tcp.bindPort()).isEqualTo(4000);
        HttpCheckConfig http = (HttpCheckConfig) web.get(1);
        assertThat(http.protocol()).isEqualTo(HttpCheckConfig.HttpProtocol.HTTP_1_1);
        UrlCheck health = http.urls().get(0);
        assertThat(health.digest()).isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(health.statusCodes().contains(200)).isTrue();
        assertThat(health.statusCodes().contains(204)).isFalse();
        assertThat(health.statusCodes().contains(302)).isTrue();
        assertThat(health.virtualhost()).isEqualTo("www.example.org");
        assertThat(health.regexFlags()).isEqualTo(Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
        assertThat(http.urls().get(1).regexNoMatch()).isTrue();
        HttpCheckConfig ssl = (HttpCheckConfig) web.get(2);
        assertThat(ssl.tls()).isTrue();
        assertThat(ssl.enableSni()).isTrue();
        assertThat(ssl.sniName()).isEqualTo("tls.example.org");
        assertThat(ssl.urls().getFirst().statusCodes().contains(299)).isTrue();

        List<CheckerConfig> other = services.get(1).realServers().getFirst().checkers();
        assertThat(other).extracting(CheckerConfig::kind).containsExactly(CheckerKind.DNS_CHECK,
                CheckerKind.UDP_CHECK, CheckerKind.MISC_CHECK, CheckerKind.SMTP_CHECK, CheckerKind.PING_CHECK);
        DnsCheckConfig dns = (DnsCheckConfig) other.get(0);
        assertThat(dns.type() + " " + dns.name()).isEqualTo("A rs.example");
        UdpCheckConfig udp = (UdpCheckConfig) other.get(1);
        HexFormat hex = HexFormat.of();
        assertThat(hex.formatHex(udp.payload())).isEqualTo("010203");
        assertThat(udp.requireReply()).isTrue();
        // 0aXb: the X nibble matches anything
        assertThat(hex.formatHex(udp.replyPrefix())).isEqualTo("0a0b");
        assertThat(hex.formatHex(udp.replyMask())).isEqualTo("ff0f");
        assertThat(udp.minReplyLength() + ".." + udp.maxReplyLength()).isEqualTo("2..100");
        MiscCheckConfig misc = (MiscCheckConfig) other.get(2);
        assertThat(misc.command()).containsExactly("/usr/local/bin/check", "two words");
        assertThat(misc.timeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(misc.dynamic()).isTrue();
        assertThat(misc.user()).isEqualTo("nobody");
        assertThat(((SmtpCheckConfig) other.get(3)).heloName()).isEqualTo("director.example");
        assertThat(other.get(4).options().connectTo().getAddress().getHostAddress()).isEqualTo("10.0.0.12");
        assertThat(HealthMapping.pings(services)).isTrue();
        assertThat(HealthMapping.pings(services.subList(0, 1))).isFalse();
    }

    @Test
    void optionsInheritVirtualServerThenRealServerThenCheckerOverKeepalivedsDefaults() throws IOException {
        KeepalivedConfig config = load("""
                virtual_server 10.0.0.1 80 {
                    protocol TCP
                    delay_loop 10
                    connect_timeout 3
                    retry 2
                    delay_before_retry 4
                    warmup 0
                    alpha
                    real_server 10.0.0.11 80 {
                        connect_timeout 6
                        rise 2
                        TCP_CHECK {
                            retry 5
                            fall 3
                            log_all_failures
                        }
                    }
                    real_server 10.0.0.12 80 {
                        TCP_CHECK {
                        }
                    }
                }
                virtual_server 10.0.0.1 81 {
                    protocol TCP
                    real_server 10.0.0.13 81 {
                        TCP_CHECK {
                        }
                        HTTP_GET {
                            url {
                                path /
                            }
                        }
                        DNS_CHECK {
                        }
                        MISC_CHECK {
                            misc_path /bin/true
                        }
                    }
                }
                """);
        List<VirtualServiceConfig> services = map(config);
        CheckerOptions checkerLevel = only(services.get(0).realServers().get(0)).options();
        assertThat(checkerLevel).isEqualTo(new CheckerOptions(new InetSocketAddress("10.0.0.11", 80), null, 0,
                Duration.ofSeconds(6), 5, Duration.ofSeconds(4), Duration.ofSeconds(10), Duration.ZERO, true, true,
                2, 3));
        CheckerOptions virtualServerLevel = only(services.get(0).realServers().get(1)).options();
        assertThat(virtualServerLevel).isEqualTo(new CheckerOptions(new InetSocketAddress("10.0.0.12", 80), null, 0,
                Duration.ofSeconds(3), 2, Duration.ofSeconds(4), Duration.ofSeconds(10), Duration.ZERO, true, false,
                1, 1));

        // nothing set: keepalived's defaults, which differ by kind
        List<CheckerConfig> defaults = services.get(1).realServers().getFirst().checkers();
        Duration minute = Duration.ofSeconds(60);
        assertThat(defaults).extracting(c -> c.kind() + " timeout=" + c.options().connectTimeout().toSeconds()
                        + " retry=" + c.options().retry() + " delay_before_retry="
                        + c.options().delayBeforeRetry().toSeconds() + " delay_loop="
                        + c.options().delayLoop().toSeconds() + " warmup=" + c.options().warmup().toSeconds()
                        + " alpha=" + c.options().alpha() + " rise/fall=" + c.options().rise() + "/"
                        + c.options().fall())
                .containsExactly(
                        "TCP_CHECK timeout=5 retry=1 delay_before_retry=1 delay_loop=60 warmup=60 alpha=false rise/fall=1/1",
                        "HTTP_GET timeout=5 retry=1 delay_before_retry=3 delay_loop=60 warmup=60 alpha=false rise/fall=1/1",
                        "DNS_CHECK timeout=5 retry=3 delay_before_retry=60 delay_loop=60 warmup=60 alpha=false rise/fall=1/1",
                        "MISC_CHECK timeout=5 retry=0 delay_before_retry=1 delay_loop=60 warmup=60 alpha=false rise/fall=1/1");
        // misc_timeout defaults to delay_loop, DNS_CHECK asks for SOA of "."
        assertThat(((MiscCheckConfig) defaults.get(3)).timeout()).isEqualTo(minute);
        assertThat(((DnsCheckConfig) defaults.get(2)).type()).isEqualTo("SOA");
        assertThat(((DnsCheckConfig) defaults.get(2)).name()).isEqualTo(".");
    }

    @Test
    void notifyCommandsQuorumInhibitAndSorryServer() throws IOException {
        KeepalivedConfig config = load("""
                virtual_server 10.0.0.1 80 {
                    protocol TCP
                    quorum 3
                    hysteresis 1
                    quorum_up "/usr/local/bin/alert up"
                    quorum_down /usr/local/bin/alert-down nobody
                    sorry_server 10.0.0.99 8080
                    inhibit_on_failure
                    real_server 10.0.0.11 80 {
                        weight 2
                        notify_up "/usr/local/bin/rs 'one up'" nobody
                        notify_down /usr/local/bin/rs-down
                        TCP_CHECK {
                        }
                    }
                    real_server 10.0.0.12 80 {
                        inhibit_on_failure false
                        TCP_CHECK {
                        }
                    }
                }
                """);
        VirtualServiceConfig vs = map(config).getFirst();
        assertThat(vs.quorum()).isEqualTo(3);
        assertThat(vs.hysteresis()).isEqualTo(1);
        assertThat(vs.quorumUp().argv()).containsExactly("/usr/local/bin/alert", "up");
        assertThat(vs.quorumUp().user()).isEmpty();
        assertThat(vs.quorumDown().user()).contains("nobody");
        assertThat(vs.sorryServer()).isEqualTo(new InetSocketAddress("10.0.0.99", 8080));
        RealServerConfig one = vs.realServers().get(0);
        assertThat(one.weight()).isEqualTo(2);
        assertThat(one.inhibitOnFailure()).isTrue();
        assertThat(one.notifyUp().argv()).containsExactly("/usr/local/bin/rs", "one up");
        assertThat(one.notifyUp().user()).isEqualTo(Optional.of("nobody"));
        assertThat(one.notifyDown().argv()).containsExactly("/usr/local/bin/rs-down");
        assertThat(vs.realServers().get(1).inhibitOnFailure()).as("the real server's own setting wins").isFalse();

        // the forwarder gets the sorry server as one more real server, weight 0 until the quorum is lost
        ServiceSpec spec = ServiceMapping.services(config).getFirst();
        assertThat(spec.realServers()).extracting(r -> r.address().getHostAddress() + ":" + r.port() + " w"
                + r.weight() + " " + r.method())
                .containsExactly("10.0.0.11:80 w2 NAT", "10.0.0.12:80 w1 NAT", "10.0.0.99:8080 w0 NAT");
        assertThat(spec.realServers().getLast().method()).isEqualTo(ForwardMethod.NAT);
    }

    @Test
    void whatTheCheckersCannotDoIsRefusedWithItsLine() throws IOException {
        for (String[] c : new String[][] {
            {"TCP_CHECK {\n bind_if eth0\n }", "bind_if eth0 is not supported by the health checker yet"},
            {"TCP_CHECK {\n fwmark 7\n }", "fwmark 7 on a checker is not supported by the health checker yet"},
            {"HTTP_GET {\n url {\n path /\n regex x\n regex_min_offset 4\n }\n }",
                "url /: regex_min_offset / regex_max_offset are not supported by the health checker yet"},
            {"HTTP_GET {\n url {\n path /\n regex x\n regex_options ungreedy\n }\n }",
                "unsupported regex_options ungreedy (expected: one of [caseless, dotall, extended, multiline])"},
            {"PING_CHECK {\n connect_ip fd00::1\n }", "PING_CHECK to fd00:0:0:0:0:0:0:1 is not supported yet"},
        }) {
            KeepalivedConfig config = load("""
                    virtual_server 10.0.0.1 80 {
                        protocol TCP
                        real_server 10.0.0.11 80 {
                            %s
                        }
                    }
                    """.formatted(c[0]));
            assertThatThrownBy(() -> map(config)).as(c[0]).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("keepalived.conf:3: real_server 10.0.0.11 80: ")
                    .hasMessageContaining(c[1]);
            assertThatThrownBy(() -> HealthMapping.check(config.virtualServers())).hasMessageContaining(c[1]);
        }
    }
}
