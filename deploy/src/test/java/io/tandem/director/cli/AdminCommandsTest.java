package io.tandem.director.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tandem.director.admin.AdminServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code tandem status} and {@code tandem ipvsadm} against a real admin HTTP serving a /status document. */
class AdminCommandsTest {
    private static final String STATUS = """
            {"state":"MASTER","mode":"static","table_size":4096,"services":[{"protocol":"TCP",\
            "address":"10.0.0.100","port":80,"fwmark":0,"scheduler":"wrr","persistence_timeout":50,\
            "persistence_netmask":"255.255.255.255","stats":{"conns":3},"real_servers":[{"address":"10.0.0.11",\
            "port":80,"forward":"DR","weight":1,"active_conns":0,"inactive_conns":0,"persistent_conns":0,\
            "health":"up","stats":{}}]}],"connections":[],"counters":{}}""";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int tandem(String... args) {
        return new CommandLine(new TandemCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
    }

    @Test
    void ipvsadmPrintsTheServedStatusInIpvsadmsLayout() throws Exception {
        try (AdminServer admin = AdminServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> STATUS, null)) {
            String url = "http://127.0.0.1:" + admin.address().getPort();
            assertThat(tandem("ipvsadm", "-Ln", "--admin", url)).as(err.toString()).isZero();
            assertThat(out.toString()).isEqualTo("""
                    IP Virtual Server version 1.2.1 (size=4096)
                    Prot LocalAddress:Port Scheduler Flags
                      -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
                    TCP  10.0.0.100:80 wrr persistent 50
                      -> 10.0.0.11:80                 Route   1      0          0         \n""");
            out.getBuffer().setLength(0);
            assertThat(tandem("status", "--admin", url)).isZero();
            assertThat(out.toString()).isEqualTo("""
                    state: MASTER (static)
                    TCP 10.0.0.100:80 wrr
                      -> 10.0.0.11:80 DR weight 1 health up active 0 inactive 0
                    """);
        }
    }

    @Test
    void anUnreachableDirectorIsOneLineAndExitOne() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThat(tandem("ipvsadm", "-Ln", "--admin", "http://127.0.0.1:" + port)).isEqualTo(1);
        assertThat(err.toString()).startsWith("tandem ipvsadm: cannot reach the director's admin HTTP at http://127.0.0.1:"
                + port + " (expected: a running 'tandem run'");
    }
}
