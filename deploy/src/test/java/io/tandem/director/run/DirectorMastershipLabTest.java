package io.tandem.director.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.config.ConfigLoader;
import io.tandem.core.config.model.KeepalivedConfig;
import io.tandem.core.lab.Lab;
import io.tandem.core.lab.LabAddresses;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.LabOptions;
import io.tandem.core.lab.LabTest;
import io.tandem.director.lab.DemoHttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VRRP seam: an in-process {@link Director} in director-a driven by a
 * {@link MastershipSource} the test controls, as the integrator's VrrpEngine
 * will drive it. Master installs steering and the client is served through
 * the VIP; backup removes steering (the kernel answers the VIP itself again);
 * master again serves again.
 */
@LabTest
class DirectorMastershipLabTest {
    private static final String CONF = """
            virtual_server %s 80 {
                lb_algo rr
                lb_kind NAT
                protocol TCP
                real_server %s 8080 {
                    weight 1
                }
            }
            """;

    @TempDir
    Path dir;

    /** A mastership the test flips. */
    private static final class Switch implements MastershipSource {
        private Listener listener;

        @Override
        public void start(Listener l) {
            listener = l;
        }

        void master() {
            listener.becameMaster();
        }

        void backup() {
            listener.becameBackup();
        }

        @Override
        public void close() {
            listener.becameBackup();
        }
    }

    private static String served(LabHost client) throws Exception {
        return client.call(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(LabAddresses.VIP, 80), 2000);
                s.setSoTimeout(3000);
                s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String r = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                return r.substring(r.indexOf("\r\n\r\n") + 4).strip();
            } catch (IOException e) {
                return e.getClass().getSimpleName();
            }
        });
    }

    private static String tables(LabHost director) throws IOException {
        return director.exec("nft", "list", "tables", "netdev").orThrow().stdout();
    }

    @Test
    void masterForwardsBackupStopsMasterAgainForwards() throws Exception {
        try (Lab lab = Lab.create(LabOptions.defaults().withRealServers(1))) {
            LabHost director = lab.directorA();
            director.exec("ip", "addr", "add", LabAddresses.VIP + "/32", "dev", director.interfaceName()).orThrow();
            lab.realServer(1).exec("ip", "route", "replace", LabAddresses.EXTERNAL_NETWORK, "via",
                    LabAddresses.DIRECTOR_A).orThrow();
            Path conf = dir.resolve("keepalived.conf");
            Files.writeString(conf, CONF.formatted(LabAddresses.VIP, LabAddresses.realServer(1)));
            KeepalivedConfig config = ConfigLoader.load(conf, "test").config().orElseThrow();
            try (DemoHttpServer rs1 = lab.realServer(1).call(
                    () -> DemoHttpServer.start("rs1", new InetSocketAddress(8080)))) {
                Switch vrrp = new Switch();
                Director d = new Director(config, DirectorOptions.defaults()
                        .withAdmin(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                        .withNftPrefix(director.namespace().prefix()), vrrp);
                director.call(() -> {
                    d.start();
                    return null;
                });
                try {
                    assertThat(d.state()).isEqualTo("BACKUP");
                    assertThat(tables(director)).doesNotContain("tandem_director");
                    // backup: the kernel owns VIP:80 and nothing listens there
                    assertThat(served(lab.client())).as("refused or reset by the kernel, not served").isIn("ConnectException", "SocketException");

                    vrrp.master();
                    assertThat(d.state()).isEqualTo("MASTER");
                    assertThat(tables(director)).contains("tandem_director");
                    assertThat(served(lab.client())).isEqualTo("rs1");

                    vrrp.backup();
                    assertThat(d.state()).isEqualTo("BACKUP");
                    assertThat(tables(director)).doesNotContain("tandem_director");
                    assertThat(served(lab.client())).as("refused or reset by the kernel, not served").isIn("ConnectException", "SocketException");

                    vrrp.master();
                    assertThat(served(lab.client())).isEqualTo("rs1");
                    assertThat(rs1.served()).isEqualTo(2);
                } finally {
                    d.close();
                }
                assertThat(tables(director)).doesNotContain("tandem_");
            }
        }
    }
}
