package io.tandem.forwarder.steer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.lab.LabTest;
import io.tandem.core.lab.Netns;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The steering table really keeps matching traffic from the kernel, and only that, until removed. */
@LabTest
class SteeringRulesLabTest {
    private static final String PREFIX = "ts" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt(), 5);
    private static Netns client;
    private static Netns director;
    private static ServerSocket port80;
    private static ServerSocket port81;

    @BeforeAll
    static void lab() throws Exception {
        client = Netns.create(PREFIX + "-c");
        director = Netns.create(PREFIX + "-d");
        client.exec("ip", "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", director.name())
                .orThrow();
        client.exec("ip", "addr", "add", "10.99.0.1/24", "dev", "eth0").orThrow();
        client.exec("ip", "link", "set", "eth0", "up").orThrow();
        director.exec("ip", "addr", "add", "10.99.0.2/24", "dev", "eth0").orThrow();
        director.exec("ip", "link", "set", "eth0", "up").orThrow();
        port80 = director.call(() -> new ServerSocket(80));
        port81 = director.call(() -> new ServerSocket(81));
    }

    @AfterAll
    static void teardown() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {port80, port81, client, director}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static boolean connects(int port) throws Exception {
        return client.call(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("10.99.0.2", port), 700);
                return true;
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }

    @Test
    void matchingTrafficIsDroppedBeforeTheStackUntilTheTableIsRemoved() throws Exception {
        SteeringRules rules = new SteeringRules("lab", "eth0", director.prefix());
        assertThat(connects(80)).isTrue();
        rules.install(List.of(SteeringRules.Match.toService(6, "10.99.0.2", 80)));
        try {
            assertThat(connects(80)).as("steered port: the kernel never sees the SYN").isFalse();
            assertThat(connects(81)).as("other ports untouched").isTrue();
            assertThat(director.exec("nft", "list", "table", "netdev", "tandem_lab").stdout())
                    .contains("ip daddr 10.99.0.2 tcp dport 80 counter packets");
            // installing again replaces the table (what a restart after a crash does)
            rules.install(List.of(SteeringRules.Match.toService(6, "10.99.0.2", 81)));
            assertThat(connects(80)).isTrue();
            assertThat(connects(81)).isFalse();
        } finally {
            rules.remove();
        }
        assertThat(connects(81)).isTrue();
        rules.remove(); // twice is fine
    }
}
