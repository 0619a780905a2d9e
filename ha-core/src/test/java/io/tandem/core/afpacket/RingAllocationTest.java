package io.tandem.core.afpacket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Per-frame work on the rings allocates nothing once every slot has been seen. */
class RingAllocationTest {
    private static final int MAC = 66;

    private static com.sun.management.ThreadMXBean threads() {
        return (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    }

    /** One lap of a 64-slot receive ring and a 64-slot transmit ring, the test acting as the kernel. */
    private static long lap(PacketRxRing rx, MemorySegment rxMemory, PacketTxRing tx, MemorySegment txMemory,
            RingGeometry g) {
        long sum = 0;
        for (int slot = 0; slot < g.frameCount(); slot++) {
            long f = g.frameOffset(slot);
            rxMemory.set(ValueLayout.JAVA_INT, f + Tpacket2Header.SNAPLEN_OFFSET, 60);
            rxMemory.set(ValueLayout.JAVA_INT, f + Tpacket2Header.LEN_OFFSET, 60);
            rxMemory.set(ValueLayout.JAVA_SHORT, f + Tpacket2Header.MAC_OFFSET, (short) MAC);
            rxMemory.set(ValueLayout.JAVA_INT, f, Tpacket2Header.TP_STATUS_USER);
        }
        RxFrame in;
        while ((in = rx.next()) != null) {
            TxFrame out = tx.claim();
            MemorySegment.copy(in.data(), 0, out.data(), 0, in.length());
            sum += in.length() + in.vlanTci();
            out.commit(in.length());
            in.release();
        }
        for (int slot = 0; slot < g.frameCount(); slot++) {
            txMemory.set(ValueLayout.JAVA_INT, g.frameOffset(slot), Tpacket2Header.TP_STATUS_AVAILABLE);
        }
        return sum;
    }

    @Test
    void forwardingLoopAllocatesNothing() {
        assumeTrue(threads().isThreadAllocatedMemorySupported(), "thread allocation counter unavailable");
        RingGeometry g = RingGeometry.of(2048, 64, 4096);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rxMemory = arena.allocate(g.byteSize(), 16);
            MemorySegment txMemory = arena.allocate(g.byteSize(), 16);
            PacketRxRing rx = new PacketRxRing(rxMemory, g, null);
            PacketTxRing tx = new PacketTxRing(txMemory, g, null);
            long sum = 0;
            for (int i = 0; i < 5_000; i++) {   // warm up: slot slices made, code compiled
                sum += lap(rx, rxMemory, tx, txMemory, g);
            }
            long thread = Thread.currentThread().threadId();
            long before = threads().getThreadAllocatedBytes(thread);
            for (int i = 0; i < 1_000; i++) {
                sum += lap(rx, rxMemory, tx, txMemory, g);
            }
            long allocated = threads().getThreadAllocatedBytes(thread) - before;

            assertThat(sum).isEqualTo(6_000L * 64 * 60);
            assertThat(allocated).as("bytes allocated for 64,000 frames").isLessThan(1024);
        }
    }
}
