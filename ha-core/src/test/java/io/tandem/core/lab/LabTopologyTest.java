package io.tandem.core.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab's network works as DESIGN.md draws it, and its hosts are what the API reports. */
@WithLab(realServers = 2)
class LabTopologyTest {
    private static final int ICMP = 1;
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    @Test
    void clientReachesRealServerThroughTheRouter(Lab lab) throws IOException {
        assertThat(lab.client().ping(LabAddresses.realServer(1), TIMEOUT)).isTrue();
        // exactly one router in between: TTL 1 expires there, TTL 2 arrives
        assertThat(lab.client().ping(LabAddresses.realServer(1), 1, Duration.ofMillis(500))).isFalse();
        assertThat(lab.client().ping(LabAddresses.realServer(1), 2, TIMEOUT)).isTrue();
        assertThat(lab.client().defaultGateway()).contains(LabAddresses.ROUTER_EXTERNAL);
        assertThat(lab.realServer(1).defaultGateway()).contains(LabAddresses.ROUTER_LAN);
    }

    @Test
    void hostsOnTheLanReachEachOtherDirectly(Lab lab) throws IOException {
        for (LabHost from : List.of(lab.directorA(), lab.directorB(), lab.realServer(1))) {
            for (LabHost to : List.of(lab.directorA(), lab.directorB(), lab.realServer(1), lab.realServer(2))) {
                if (from != to) {
                    // TTL 1: no router between hosts on the lan
                    assertThat(from.ping(to.ip(), 1, TIMEOUT)).as(from.name() + " -> " + to.name()).isTrue();
                }
            }
        }
    }

    @Test
    void neighboursLearnTheMacsTheApiReports(Lab lab) throws IOException {
        assertThat(lab.client().ping(LabAddresses.ROUTER_EXTERNAL, TIMEOUT)).isTrue();
        assertThat(lab.directorA().ping(LabAddresses.realServer(2), TIMEOUT)).isTrue();

        assertThat(neighbour(lab.client(), LabAddresses.ROUTER_EXTERNAL)).isEqualTo(lab.router().ifaceOn("ext").mac());
        assertThat(neighbour(lab.directorA(), LabAddresses.realServer(2))).isEqualTo(lab.realServer(2).mac());
        assertThat(neighbour(lab.realServer(2), LabAddresses.DIRECTOR_A)).isEqualTo(lab.directorA().mac());
    }

    @Test
    void hostsAreDescribedAsBuilt(Lab lab) throws IOException {
        assertThat(lab.hosts()).extracting(LabHost::name)
                .containsExactly("client", "router", "director-a", "director-b", "rs1", "rs2");
        assertThat(lab.router().interfaces()).extracting(LabInterface::name, LabInterface::bridge, LabInterface::cidr)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("eth0", "ext", "10.77.1.1/24"),
                        org.assertj.core.groups.Tuple.tuple("eth1", "lan", "10.77.0.1/24"));
        assertThat(lab.realServer(2).iface().cidr()).isEqualTo("10.77.0.12/24");
        assertThat(lab.realServer(2).mac()).isEqualTo("02:00:0a:4d:00:0c");
        assertThat(lab.router().exec("sysctl", "-n", "net.ipv4.ip_forward").orThrow().stdout().strip()).isEqualTo("1");
        assertThat(LabNamespaces.ofLab(lab.prefix())).containsExactlyInAnyOrderElementsOf(lab.namespaces());
        for (LabHost host : lab.hosts()) {
            assertThat(host.namespace().name()).isEqualTo(lab.prefix() + "-" + host.name());
            for (LabInterface iface : host.interfaces()) {
                assertThat(iface.bridgePort().length()).isLessThanOrEqualTo(15);
                String port = lab.bridges().exec("ip", "-o", "link", "show", "dev", iface.bridgePort()).orThrow().stdout();
                assertThat(port).as(iface.bridgePort()).contains("master " + iface.bridge());
                String inHost = host.exec("ip", "-o", "address", "show", "dev", iface.name()).orThrow().stdout();
                assertThat(inHost).contains("inet " + iface.cidr());
            }
        }
    }

    @Test
    void captureSeesThePingOnTheRealServerAndOnTheBridge(Lab lab) throws Exception {
        LabHost rs1 = lab.realServer(1);
        try (Capture atHost = rs1.capture(rs1.interfaceName(), "icmp");
                Capture atBridge = lab.bridges().capture(rs1.bridgePort(), "icmp")) {
            assertThat(lab.client().ping(rs1.ip(), TIMEOUT)).isTrue();

            List<PcapFrame> seen = atHost.awaitFrames(f -> f.ipProtocol() == ICMP, 2, Duration.ofSeconds(5));
            List<PcapFrame> frames = atHost.stop();
            List<PcapFrame> bridged = atBridge.stop();

            assertThat(seen).hasSizeGreaterThanOrEqualTo(2);
            PcapFrame request = frames.stream().filter(f -> rs1.ip().equals(f.ipv4Destination())).findFirst().orElseThrow();
            assertThat(request.ipv4Source()).isEqualTo(LabAddresses.CLIENT);
            assertThat(request.sourceMac()).as("routed: sent by the router's lan side").isEqualTo(lab.router().ifaceOn("lan").mac());
            assertThat(request.destinationMac()).isEqualTo(rs1.mac());
            assertThat(frames).anyMatch(f -> LabAddresses.CLIENT.equals(f.ipv4Destination()) && rs1.mac().equals(f.sourceMac()));
            assertThat(bridged).extracting(PcapFrame::ipv4Source).contains(LabAddresses.CLIENT, rs1.ip());
            assertThat(request.timestamp()).isBeforeOrEqualTo(frames.getLast().timestamp());
        }
    }

    @Test
    void defaultGatewayCanMoveToTheNatVip(Lab lab) throws IOException {
        LabHost rs2 = lab.realServer(2);
        try {
            rs2.setDefaultGateway(LabAddresses.NAT_GATEWAY_VIP);
            assertThat(rs2.defaultGateway()).contains(LabAddresses.NAT_GATEWAY_VIP);
        } finally {
            rs2.setDefaultGateway(LabAddresses.ROUTER_LAN);
        }
        assertThat(rs2.defaultGateway()).contains(LabAddresses.ROUTER_LAN);
    }

    @Test
    void linkDownInTheBridgeNamespaceCutsTheHostOff(Lab lab) throws IOException {
        LabHost rs2 = lab.realServer(2);
        try {
            lab.setBridgePortUp(rs2.iface(), false);
            assertThat(lab.directorB().ping(rs2.ip(), Duration.ofSeconds(1))).isFalse();
        } finally {
            lab.setBridgePortUp(rs2.iface(), true);
        }
        assertThat(lab.directorB().ping(rs2.ip(), TIMEOUT)).isTrue();
    }

    @Test
    void startedProcessRunsInTheHostsNamespaceUntilStopped(Lab lab, @TempDir Path dir) throws Exception {
        Path log = dir.resolve("rs1.log");
        LabProcess sleeper = lab.realServer(1).start(List.of("sh", "-c", "echo started; exec sleep 60"), log);
        try {
            assertThat(sleeper.isAlive()).isTrue();
            String pids = Command.run("ip", "netns", "pids", lab.realServer(1).namespace().name()).orThrow().stdout();
            assertThat(pids.split("\\s+")).contains(Long.toString(sleeper.pid()));
        } finally {
            sleeper.stop();
        }
        assertThat(sleeper.isAlive()).isFalse();
        assertThat(sleeper.exitCode()).isPresent();
        assertThat(Files.readString(log)).contains("started");
    }

    private static String neighbour(LabHost host, String ip) throws IOException {
        String line = host.exec("ip", "neigh", "show", ip).orThrow().stdout();
        String[] words = line.strip().split("\\s+");
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals("lladdr")) {
                return words[i + 1];
            }
        }
        throw new AssertionError(host.name() + " has no neighbour entry for " + ip + ": " + line);
    }
}
