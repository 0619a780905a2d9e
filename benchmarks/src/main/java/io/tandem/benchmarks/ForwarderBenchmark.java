package io.tandem.benchmarks;

import io.tandem.core.packet.EthernetFlyweight;
import io.tandem.core.packet.Ipv4Flyweight;
import io.tandem.core.packet.PseudoHeader;
import io.tandem.core.packet.TcpFlyweight;
import io.tandem.forwarder.conn.ConnectionTable;
import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.conn.Timeouts;
import io.tandem.forwarder.path.NextHops;
import io.tandem.forwarder.path.PacketForwarder;
import io.tandem.forwarder.sched.Schedulers;
import io.tandem.forwarder.service.ConnectionScheduler;
import io.tandem.forwarder.service.ServiceCounters;
import io.tandem.forwarder.service.ServiceTable;
import io.tandem.forwarder.service.VirtualService;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The forwarder's per-packet cost (issue 5's goal: an established flow's
 * lookup and rewrite under 100 ns) and its new-flow cost, with the connection
 * table holding {@code connections} other flows.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ForwarderBenchmark {
    private static final int VIP = 0x0A4D0064;
    private static final int RIP = 0x0A4D000B;
    private static final int CIP = 0x0A4D010A;
    private static final long MAC = 0x02_00_00_00_00_0BL;

    @Param({"1000", "1000000"})
    int connections;

    @Param({"NAT", "DR", "FULLNAT"})
    ForwardMethod method;

    private Arena arena;
    private MemorySegment rx;
    private MemorySegment tx;
    private MemorySegment syn;
    private int length;
    private ConnectionTable table;
    private PacketForwarder forwarder;
    private int nextClient;
    private long now;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofConfined();
        rx = arena.allocate(2048);
        tx = arena.allocate(2048);
        syn = arena.allocate(2048);
        ServiceTable services = new ServiceTable();
        table = new ConnectionTable(connections * 2 + 1024, Timeouts.ipvsDefaults(), new ServiceCounters(services));
        VirtualService s = new VirtualService(0, 6, VIP, 80, Schedulers.create("wlc", List.of()));
        if (method == ForwardMethod.FULLNAT) {
            // 16 local addresses x 4 real servers x 28,232 ports: room for the 1 million flows set up below
            int[] lips = new int[16];
            for (int i = 0; i < lips.length; i++) {
                lips[i] = 0x0A4D00C8 + i;
            }
            s.setLocalAddresses(new io.tandem.forwarder.service.LocalAddressPool(lips));
        }
        for (int i = 0; i < 4; i++) {
            s.addRealServer(RIP + i, 80, 1, method);
        }
        services.add(s);
        NextHops hops = new NextHops() {
            @Override
            public int nextHop(int destination) {
                return destination;
            }

            @Override
            public long macOf(int address) {
                return MAC;
            }
        };
        forwarder = new PacketForwarder(services, table, new ConnectionScheduler(table), hops, MAC, 0x0A4D0002, 1500);
        for (int i = 0; i < connections; i++) {
            frame(syn, 0x0B000000 + i, 1024 + (i & 0x7FFF), TcpFlyweight.SYN, 0);
            forwarder.process(syn, 0, 54, false, tx, 0, 2048, 0);
        }
        length = frame(rx, CIP, 40000, TcpFlyweight.SYN, 0);
        forwarder.process(rx, 0, length, false, tx, 0, 2048, 0);
        length = frame(rx, CIP, 40000, TcpFlyweight.ACK, 1400);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        table.close();
        arena.close();
    }

    private static int frame(MemorySegment seg, int client, int port, int flags, int payload) {
        int l4 = 20 + payload;
        new EthernetFlyweight().wrap(seg, 0, 14).destination(MAC).source(MAC)
                .etherType(EthernetFlyweight.ETHERTYPE_IPV4);
        new Ipv4Flyweight().wrap(seg, 14).versionAndIhl(5).tos(0).totalLength(20 + l4).identification(1)
                .flagsAndFragmentOffset(Ipv4Flyweight.FLAG_DONT_FRAGMENT).ttl(64)
                .protocol(Ipv4Flyweight.PROTOCOL_TCP).sourceAddress(client).destinationAddress(VIP)
                .updateHeaderChecksum();
        new TcpFlyweight().wrap(seg, 34).sourcePort(port).destinationPort(80).sequenceNumber(1)
                .acknowledgmentNumber(1).dataOffset(5).flags(flags).window(65535).checksum(0).urgentPointer(0)
                .updateChecksum(PseudoHeader.ipv4Sum(client, VIP, Ipv4Flyweight.PROTOCOL_TCP, l4), l4);
        return 34 + l4;
    }

    /** One data segment of an established flow: parse, look up, advance the state, rewrite, copy. */
    @Benchmark
    public int establishedFlow() {
        return forwarder.process(rx, 0, length, false, tx, 0, 2048, ++now);
    }

    /** The SYN of a new flow: scheduling, connection entry, rewrite (the entry is removed again after). */
    @Benchmark
    public int newFlow() {
        int client = 0x0C000000 + (nextClient++ & 0xFFFFF);
        frame(syn, client, 2000, TcpFlyweight.SYN, 0);
        int sent = forwarder.process(syn, 0, 54, false, tx, 0, 2048, now);
        int id = table.lookupIn(6, client, 2000, VIP, 80, now);
        if (id != ConnectionTable.NONE) {
            table.remove(id);
        }
        return sent;
    }
}
