package io.tandem.forwarder.path;

import static io.tandem.forwarder.path.LabNetwork.DIP;
import static io.tandem.forwarder.path.LabNetwork.DIRECTOR_MAC;
import static io.tandem.forwarder.path.LabNetwork.LIP;
import static io.tandem.forwarder.path.LabNetwork.NEXT_HOPS;
import static io.tandem.forwarder.path.LabNetwork.RIP;
import static io.tandem.forwarder.path.LabNetwork.VIP;

import io.tandem.forwarder.conn.ConnectionTable;
import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.conn.Timeouts;
import io.tandem.forwarder.sched.Schedulers;
import io.tandem.forwarder.service.ConnectionScheduler;
import io.tandem.forwarder.service.LocalAddressPool;
import io.tandem.forwarder.service.ServiceCounters;
import io.tandem.forwarder.service.ServiceTable;
import io.tandem.forwarder.service.VirtualService;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * A director-a forwarder on the lab's addresses ({@link LabNetwork}, MTU
 * 1500) with receive and transmit buffers, for the packet-path tests: add a
 * service, write a frame into {@link #rxBuf}, {@link #forward} it, read
 * {@link #txBuf}.
 */
abstract class ForwarderFixture {
    final Arena arena = Arena.ofConfined();
    final MemorySegment rxBuf = arena.allocate(2048);
    final MemorySegment txBuf = arena.allocate(2048);
    final ServiceTable services = new ServiceTable();
    final ConnectionTable table = new ConnectionTable(4096, Timeouts.ipvsDefaults(), new ServiceCounters(services));
    final PacketForwarder forwarder = new PacketForwarder(services, table, new ConnectionScheduler(table),
            NEXT_HOPS, DIRECTOR_MAC, DIP, 1500);

    @AfterEach
    void close() {
        table.close();
        arena.close();
    }

    /** Adds VIP:80 to RIP:{@code rport} in {@code method} (FULLNAT from LIP), round robin. */
    VirtualService service(int protocol, ForwardMethod method, int rport) {
        VirtualService s = new VirtualService(services.nextId(), protocol, VIP, 80, Schedulers.create("rr", List.of()));
        if (method == ForwardMethod.FULLNAT) {
            s.setLocalAddresses(new LocalAddressPool(LIP));
        }
        s.addRealServer(RIP, rport, 1, method);
        services.add(s);
        return s;
    }

    int forward(int length, long now) {
        return forwarder.process(rxBuf, 0, length, false, txBuf, 0, (int) txBuf.byteSize(), now);
    }

    int forward(int length) {
        return forward(length, 0);
    }
}
