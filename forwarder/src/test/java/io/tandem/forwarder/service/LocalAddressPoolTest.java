package io.tandem.forwarder.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.forwarder.conn.ConnectionTable;
import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.conn.Timeouts;
import io.tandem.forwarder.sched.Schedulers;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** FULLNAT source allocation: collision-free, and a bounded cost per flow when the pool runs dry. */
class LocalAddressPoolTest {
    private static final int TCP = 6;
    private static final int VIP = 0x0A4D0064;
    private static final int RS = 0x0A4D000B;
    private static final int LIP = 0x0A4D00C8;
    private static final int PORTS = LocalAddressPool.LAST_PORT - LocalAddressPool.FIRST_PORT + 1;

    private final ServiceTable services = new ServiceTable();
    private final ConnectionTable table = new ConnectionTable(1 << 16, Timeouts.ipvsDefaults(),
            new ServiceCounters(services));
    private final ConnectionScheduler scheduler = new ConnectionScheduler(table);

    @AfterEach
    void close() {
        table.close();
    }

    private VirtualService service(LocalAddressPool pool) {
        VirtualService s = new VirtualService(services.nextId(), TCP, VIP, 80, Schedulers.create("rr", List.of()));
        s.setLocalAddresses(pool);
        s.addRealServer(RS, 8080, 1, ForwardMethod.FULLNAT);
        services.add(s);
        return s;
    }

    @Test
    void everyPortOfOneAddressIsUsedOnceThenTheFlowIsRefusedAndCounted() {
        VirtualService s = service(new LocalAddressPool(LIP));
        for (int i = 0; i < PORTS; i++) {
            assertThat(scheduler.schedule(s, 0x0B000000 + i, 40000, 0)).as("flow %d", i)
                    .isNotEqualTo(ConnectionTable.NONE);
        }
        assertThat(table.size()).isEqualTo(PORTS);
        assertThat(scheduler.schedule(s, 0x0C000000, 40000, 0)).isEqualTo(ConnectionTable.NONE);
        assertThat(scheduler.noLocalPort()).isEqualTo(1);
    }

    @Test
    void aSearchStopsAfterItsProbesAndTheNextResumesWhereItStopped() {
        // 16 candidates a flow; the first 40 ports taken by flows made with a generous pool
        LocalAddressPool generous = new LocalAddressPool(LIP);
        VirtualService s = service(generous);
        for (int i = 0; i < 40; i++) {
            scheduler.schedule(s, 0x0B000000 + i, 40000, 0);
        }
        LocalAddressPool small = LocalAddressPool.withProbes(16, LIP);
        assertThat(small.allocate(table, TCP, RS, 8080, 0)).as("ports 0..15 taken").isEqualTo(-1);
        assertThat(small.allocate(table, TCP, RS, 8080, 0)).as("ports 16..31 taken").isEqualTo(-1);
        long found = small.allocate(table, TCP, RS, 8080, 0);
        assertThat(found).as("port 40 is free and within the third search").isNotEqualTo(-1);
        assertThat((int) found).isEqualTo(LocalAddressPool.FIRST_PORT + 40);
        assertThat((int) (found >>> 32)).isEqualTo(LIP);
    }

    @Test
    void aSliceTakesOnlyItsPortsAndAllOfThemInTurn() {
        // every third port from 32770: what one worker of three might own
        int[] mine = IntStream.rangeClosed(32770, LocalAddressPool.LAST_PORT)
                .filter(p -> p % 3 == 1).toArray();
        LocalAddressPool slice = new LocalAddressPool(LIP).slice(mine);
        assertThat(slice.ports()).isEqualTo(mine.length);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < slice.ports(); i++) {
            long local = slice.allocate(table, TCP, RS, 8080, 0);
            assertThat(local).as("flow %d", i).isNotEqualTo(-1);
            int port = (int) local;
            assertThat(port % 3).isEqualTo(1);
            assertThat(seen.add(port)).as("port %d twice", port).isTrue();
        }
        assertThat(seen).hasSize(mine.length);
        assertThat((int) slice.allocate(table, TCP, RS, 8080, 0)).as("round again").isEqualTo(32770);
    }

    @Test
    void aSliceIsChecked() {
        assertThatThrownBy(() -> new LocalAddressPool(LIP).slice(new int[0]))
                .hasMessage("invalid port slice: empty (expected: at least one port)");
        assertThatThrownBy(() -> new LocalAddressPool(LIP).slice(new int[] {40000, 39999}))
                .hasMessage("invalid port slice: 39999 at 1 (expected: ascending, 32768 ~ 60999)");
    }
}
