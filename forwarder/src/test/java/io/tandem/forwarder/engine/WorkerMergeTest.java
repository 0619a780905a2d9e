package io.tandem.forwarder.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.core.packet.ParseResult;
import io.tandem.forwarder.api.RealServerSnapshot;
import io.tandem.forwarder.api.ServiceSnapshot;
import io.tandem.forwarder.api.Stats;
import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.path.DropReason;
import io.tandem.forwarder.path.IcmpCounter;
import io.tandem.forwarder.sync.SyncOptions;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Several workers seen as one engine: options, counters and listings merged. */
class WorkerMergeTest {
    private static EngineCounters counters(long received, int connections, long notSyn) {
        return new EngineCounters(received, 2, 3, 4, 5, 6, 7, 8, 99, 9, 10, 11, 12, connections, 100,
                Map.of(DropReason.NOT_SYN, notSyn), Map.of(IcmpCounter.values()[0], 1L),
                Map.of(ParseResult.values()[1], 2L));
    }

    @Test
    void countersAreSummedAndNeighbourMissesCountedOnce() {
        EngineCounters merged = EngineCounters.merge(List.of(counters(10, 3, 1), counters(20, 4, 2)), 99);
        assertThat(merged.received()).isEqualTo(30);
        assertThat(merged.transmitted()).isEqualTo(4);
        assertThat(merged.toaNoRoom()).isEqualTo(24);
        assertThat(merged.noDestination()).isEqualTo(18);
        assertThat(merged.neighbourMisses()).as("one neighbour table").isEqualTo(99);
        assertThat(merged.connections()).isEqualTo(7);
        assertThat(merged.capacity()).isEqualTo(200);
        assertThat(merged.drops()).containsEntry(DropReason.NOT_SYN, 3L);
        assertThat(merged.icmp()).containsEntry(IcmpCounter.values()[0], 2L);
        assertThat(merged.malformed()).containsEntry(ParseResult.values()[1], 4L);
    }

    @Test
    void oneWorkersCountersAreTakenAsTheyAre() {
        EngineCounters one = counters(10, 3, 1);
        assertThat(EngineCounters.merge(List.of(one), 7)).isSameAs(one);
    }

    private static Stats stats(long connections, long rate) {
        return new Stats(connections, 1, 2, 3, 4, rate, 0, 0, 0, 0);
    }

    private static ServiceSnapshot service(int port, long connections, long active, String... reals)
            throws Exception {
        List<RealServerSnapshot> rs = new ArrayList<>();
        for (String r : reals) {
            rs.add(new RealServerSnapshot(InetAddress.getByName(r), 8080, ForwardMethod.NAT, 1, active, 1, 0,
                    stats(connections, 1)));
        }
        return new ServiceSnapshot(6, InetAddress.getByName("10.77.0.100"), port, 0, "rr", 0,
                InetAddress.getByName("255.255.255.255"), false, stats(connections, 1), rs);
    }

    @Test
    void servicesAndRealServersAreListedOnceWithSums() throws Exception {
        List<ServiceSnapshot> merged = Snapshots.merge(List.of(
                List.of(service(80, 2, 1, "10.77.0.11", "10.77.0.12"), service(443, 1, 1, "10.77.0.11")),
                List.of(service(80, 5, 3, "10.77.0.11", "10.77.0.12"), service(443, 0, 0, "10.77.0.11"))));
        assertThat(merged).extracting(ServiceSnapshot::port).containsExactly(80, 443);
        ServiceSnapshot http = merged.getFirst();
        assertThat(http.stats().connections()).isEqualTo(7);
        assertThat(http.stats().connectionsPerSecond()).isEqualTo(2);
        assertThat(http.stats().inPackets()).isEqualTo(2);
        assertThat(http.realServers()).hasSize(2);
        assertThat(http.realServers().getFirst().activeConnections()).isEqualTo(4);
        assertThat(http.realServers().getFirst().inactiveConnections()).isEqualTo(2);
        assertThat(http.realServers().getFirst().weight()).isEqualTo(1);
    }

    @Test
    void workersAreCheckedAndTakenWithConnectionSync() {
        EngineOptions options = EngineOptions.of("eth0", "t");
        assertThat(options.workers()).as("default").isEqualTo(1);
        assertThat(options.withWorkers(4).workers()).isEqualTo(4);
        assertThatThrownBy(() -> options.withWorkers(0))
                .hasMessage("invalid workers: 0 (expected: 1 ~ 64)");
        SyncOptions sync = SyncOptions.multicast("eth0", 1, new byte[32]);
        assertThat(options.withSync(sync).withWorkers(2).workers()).isEqualTo(2);
        assertThat(options.withWorkers(2).withSync(sync).sync()).contains(sync);
        assertThatThrownBy(() -> options.withConnections(3).withWorkers(4))
                .hasMessage("invalid connection table size: 3 for 4 workers (expected: at least one entry per worker)");
    }
}
