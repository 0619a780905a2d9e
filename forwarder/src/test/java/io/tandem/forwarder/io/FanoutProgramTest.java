package io.tandem.forwarder.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.core.bpf.BpfInterpreter;
import io.tandem.core.bpf.BpfProgram;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fanout program, run by a classic BPF interpreter, against {@link FlowKey}: both
 * directions of NAT and FULLNAT flows and the ICMP errors about them get one key, and the
 * program and the Java rule agree on any packet.
 */
class FanoutProgramTest {
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int VIP = 0x0A4D0064; // 10.77.0.100
    private static final int VIP2 = 0x0A4D0065;
    private static final int CIP = 0x0A4D010A; // 10.77.1.10
    private static final int RIP = 0x0A4D000B; // 10.77.0.11
    private static final int LIP = 0x0A4D00C8; // 10.77.0.200

    private final Arena arena = Arena.ofConfined();
    private final int[] vips = {VIP, VIP2};
    private final BpfProgram program = FanoutProgram.build(vips);
    private final FlowKey rule = new FlowKey(vips);

    @AfterEach
    void close() {
        arena.close();
    }

    /** An IPv4 header of {@code ihl} words, then 8 bytes: ports (TCP/UDP) or the ICMP header. */
    private MemorySegment ip(int ihl, int protocol, int source, int destination, int length) {
        MemorySegment p = arena.allocate(length);
        p.set(ValueLayout.JAVA_BYTE, 0, (byte) (0x40 | ihl)); // version 4, IHL
        p.set(SHORT, 2, (short) length); // total length
        p.set(ValueLayout.JAVA_BYTE, 8, (byte) 64); // TTL
        p.set(ValueLayout.JAVA_BYTE, 9, (byte) protocol);
        p.set(INT, 12, source);
        p.set(INT, 16, destination);
        return p;
    }

    private MemorySegment segment(int protocol, int source, int sport, int destination, int dport) {
        MemorySegment p = ip(5, protocol, source, destination, 40);
        p.set(SHORT, 20, (short) sport);
        p.set(SHORT, 22, (short) dport);
        return p;
    }

    /** An ICMP error of {@code type} from {@code from} to {@code to} quoting a TCP segment's first 28 bytes. */
    private MemorySegment icmpError(int type, int from, int to, int qsource, int qsport, int qdest, int qdport) {
        MemorySegment p = ip(5, 1, from, to, 20 + 8 + 28);
        p.set(ValueLayout.JAVA_BYTE, 20, (byte) type); // ICMP type
        MemorySegment quoted = segment(6, qsource, qsport, qdest, qdport);
        MemorySegment.copy(quoted, 0, p, 28, 28);
        return p;
    }

    private long run(MemorySegment p) {
        long key = BpfInterpreter.run(program, 0x0800, p);
        assertThat(rule.key(0x0800, p)).as("FlowKey agrees with the program").isEqualTo(key);
        return key;
    }

    @Test
    void natRequestReplyAndTheirIcmpErrorsShareTheClientPort() {
        long client = FlowKey.mix(40001);
        assertThat(run(segment(6, CIP, 40001, VIP, 80))).as("request").isEqualTo(client);
        assertThat(run(segment(6, RIP, 8080, CIP, 40001))).as("NAT reply").isEqualTo(client);
        assertThat(run(segment(17, CIP, 5353, VIP2, 53))).as("UDP request").isEqualTo(FlowKey.mix(5353));
        // a router on the client's side: our reply VIP:80 -> CIP:40001 did not fit
        assertThat(run(icmpError(3, 0x0A4D0101, VIP, VIP, 80, CIP, 40001))).isEqualTo(client);
        // the real server's side: our request CIP:40001 -> RIP:8080 expired
        assertThat(run(icmpError(11, 0x0A4D0001, CIP, CIP, 40001, RIP, 8080))).isEqualTo(client);
    }

    @Test
    void fullNatReplyAndItsIcmpErrorsUseTheLocalPort() {
        assertThat(run(segment(6, RIP, 8080, LIP, 32771))).isEqualTo(FlowKey.mix(32771));
        assertThat(run(icmpError(3, RIP, LIP, LIP, 32771, RIP, 8080))).isEqualTo(FlowKey.mix(32771));
    }

    @Test
    void everythingElseIsZero() {
        MemorySegment fragment = segment(6, CIP, 40001, VIP, 80);
        fragment.set(SHORT, 6, (short) 0x0010); // fragment offset 16
        assertThat(run(fragment)).isZero();
        assertThat(run(segment(47, CIP, 1, VIP, 2))).as("GRE").isZero();
        assertThat(run(icmpError(8, CIP, VIP, 0, 0, 0, 0))).as("echo request").isZero();
        assertThat(BpfInterpreter.run(program, 0x86DD, segment(6, CIP, 1, VIP, 2))).as("IPv6").isZero();
        assertThat(run(segment(6, CIP, 40001, VIP, 80).asSlice(0, 21))).as("cut short").isZero();
    }

    @Test
    void programAndRuleAgreeOnRandomPackets() {
        SplittableRandom random = new SplittableRandom(5);
        int[] addresses = {VIP, VIP2, CIP, RIP, LIP};
        int[] protocols = {1, 6, 17, 47};
        int[] types = {0, 3, 4, 5, 8, 11, 12};
        for (int n = 0; n < 20_000; n++) {
            int length = 20 + random.nextInt(80);
            MemorySegment p = arena.allocate(length);
            for (int i = 0; i < length; i++) {
                p.set(ValueLayout.JAVA_BYTE, i, (byte) random.nextInt(256));
            }
            p.set(ValueLayout.JAVA_BYTE, 0, (byte) (0x40 | random.nextInt(16)));
            p.set(SHORT, 6, (short) (random.nextInt(4) == 0 ? random.nextInt(0x10000) : 0));
            p.set(ValueLayout.JAVA_BYTE, 9, (byte) protocols[random.nextInt(protocols.length)]);
            p.set(INT, 16, addresses[random.nextInt(addresses.length)]);
            int ihl = (p.get(ValueLayout.JAVA_BYTE, 0) & 0xF) * 4;
            if (ihl + 1 <= length) {
                p.set(ValueLayout.JAVA_BYTE, ihl, (byte) types[random.nextInt(types.length)]);
            }
            if (ihl + 8 + 10 <= length) {
                p.set(ValueLayout.JAVA_BYTE, ihl + 8, (byte) (0x40 | random.nextInt(16)));
                p.set(ValueLayout.JAVA_BYTE, ihl + 8 + 9, (byte) protocols[random.nextInt(protocols.length)]);
            }
            if (ihl + 8 + 16 <= length) {
                p.set(INT, ihl + 8 + 12, addresses[random.nextInt(addresses.length)]);
            }
            assertThat(rule.key(0x0800, p)).as("packet %d", n).isEqualTo(BpfInterpreter.run(program, 0x0800, p));
        }
    }

    @Test
    void ownerIsTheKeyModuloTheWorkers() {
        assertThat(FlowKey.owner(40001, 2)).isEqualTo(1);
        assertThat(FlowKey.owner(40001, 3)).isEqualTo(40001 % 3);
        assertThat(FlowKey.owner(0, 4)).isZero();
    }

    @Test
    void evenClientPortsAloneSpreadOverEveryWorker() {
        // Linux connect() takes even ports: their keys must still reach every worker, evenly
        for (int workers : new int[] {2, 4, 8}) {
            int[] perWorker = new int[workers];
            for (int port = 32768; port < 61000; port += 2) {
                perWorker[FlowKey.owner(FlowKey.mix(port), workers)]++;
            }
            int even = 14116 / workers;
            for (int n : perWorker) {
                assertThat(n).as("%d workers: %s", workers, Arrays.toString(perWorker))
                        .isBetween(even * 9 / 10, even * 11 / 10);
            }
        }
    }

    @Test
    void ownedPortsArePartitionedByOwner() {
        int[] zero = FlowKey.ownedPorts(32768, 60999, 0, 3);
        int[] one = FlowKey.ownedPorts(32768, 60999, 1, 3);
        int[] two = FlowKey.ownedPorts(32768, 60999, 2, 3);
        assertThat(zero.length + one.length + two.length).isEqualTo(60999 - 32768 + 1);
        for (int p : one) {
            assertThat(FlowKey.owner(FlowKey.mix(p), 3)).isEqualTo(1);
        }
    }

    @Test
    void tooManyVipsAreRefusedAndTheLimitFits() {
        int[] many = new int[FanoutProgram.MAX_VIPS];
        for (int i = 0; i < many.length; i++) {
            many[i] = 0x0B000000 + i;
        }
        assertThat(FanoutProgram.build(many).length()).isLessThanOrEqualTo(BpfProgram.MAX_INSTRUCTIONS);
        int[] tooMany = Arrays.copyOf(many, many.length + 1);
        tooMany[many.length] = 0x0C000000;
        assertThatThrownBy(() -> FanoutProgram.build(tooMany))
                .hasMessage("too many VIPs for the fanout program: 1001 (expected: at most 1000)");
    }
}
