package io.tandem.forwarder.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.forwarder.path.NextHops;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutesTest {
    // /proc/net/route as the kernel prints it: addresses as little-endian hex of the network-order int
    private static final String TABLE = """
            Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
            eth0\t00000000\t01004D0A\t0003\t0\t0\t0\t00000000\t0\t0\t0
            eth0\t00004D0A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
            eth0\t00634D0A\t02004D0A\t0003\t0\t0\t0\t00FFFFFF\t0\t0\t0
            eth0\t00644D0A\t00000000\t0000\t0\t0\t0\t00FFFFFF\t0\t0\t0
            eth1\t00014D0A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
            """;

    private static int ip(String dotted) {
        String[] p = dotted.split("\\.");
        return Integer.parseInt(p[0]) << 24 | Integer.parseInt(p[1]) << 16 | Integer.parseInt(p[2]) << 8
                | Integer.parseInt(p[3]);
    }

    @Test
    void onLinkDestinationsAreTheirOwnNextHop() {
        Routes routes = Routes.parse(TABLE, "eth0");
        assertThat(routes.nextHop(ip("10.77.0.11"))).isEqualTo(ip("10.77.0.11"));
    }

    @Test
    void theLongestPrefixWinsOverTheDefaultRoute() {
        Routes routes = Routes.parse(TABLE, "eth0");
        assertThat(routes.nextHop(ip("10.77.99.5"))).isEqualTo(ip("10.77.0.2"));
        assertThat(routes.nextHop(ip("10.77.1.10"))).isEqualTo(ip("10.77.0.1")); // eth1's route is not ours
        assertThat(routes.nextHop(ip("192.0.2.1"))).isEqualTo(ip("10.77.0.1"));
    }

    @Test
    void routesThatAreNotUpAreLeftOut() {
        Routes routes = Routes.parse(TABLE, "eth0");
        assertThat(routes.size()).isEqualTo(3);
        assertThat(routes.nextHop(ip("10.77.100.7"))).isEqualTo(ip("10.77.0.1"));
        assertThat(routes.gateways()).containsExactlyInAnyOrder(ip("10.77.0.1"), ip("10.77.0.2"));
    }

    @Test
    void withoutRoutesEveryDestinationIsTriedOnLink() {
        Routes routes = Routes.parse(TABLE.lines().findFirst().orElseThrow(), "eth0");
        assertThat(routes.nextHop(ip("10.1.2.3"))).isEqualTo(ip("10.1.2.3"));
    }

    @Test
    void neighbourMissesAreCountedAndPostedForResolution() {
        NeighbourMacs macs = new NeighbourMacs(Routes.parse(TABLE, "eth0"));
        assertThat(macs.macOf(ip("10.77.0.11"))).isEqualTo(NextHops.UNRESOLVED);
        assertThat(macs.macOf(ip("10.77.0.12"))).isEqualTo(NextHops.UNRESOLVED);
        assertThat(macs.misses()).isEqualTo(2);
        assertThat(macs.drainWanted()).containsExactly(ip("10.77.0.11"), ip("10.77.0.12"));
        assertThat(macs.drainWanted()).isEmpty();

        macs.publish(Map.of(ip("10.77.0.12"), 0x02_00_00_00_00_12L, ip("10.77.0.1"), 0x02_00_00_00_00_01L));
        assertThat(macs.macOf(ip("10.77.0.12"))).isEqualTo(0x02_00_00_00_00_12L);
        assertThat(macs.macOf(ip("10.77.0.1"))).isEqualTo(0x02_00_00_00_00_01L);
        assertThat(macs.macOf(ip("10.77.0.11"))).isEqualTo(NextHops.UNRESOLVED);
        assertThat(macs.misses()).isEqualTo(3);
        assertThat(macs.resolved()).isEqualTo(2);
    }
}
