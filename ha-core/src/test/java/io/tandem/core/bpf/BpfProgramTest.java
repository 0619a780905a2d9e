package io.tandem.core.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class BpfProgramTest {
    /** An IPv4/TCP header pair: IHL 5, protocol 6, ports 40000 -> 80. */
    private static MemorySegment tcp(Arena arena) {
        MemorySegment p = arena.allocate(40);
        p.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x45); // version 4, IHL 5
        p.set(ValueLayout.JAVA_BYTE, 9, (byte) 6); // protocol TCP
        p.set(ValueLayout.JAVA_BYTE, 20, (byte) (40000 >> 8)); // source port
        p.set(ValueLayout.JAVA_BYTE, 21, (byte) (40000 & 0xFF));
        p.set(ValueLayout.JAVA_BYTE, 23, (byte) 80); // destination port
        return p;
    }

    @Test
    void jumpsResolveToRelativeOffsets() {
        BpfProgram p = BpfProgram.builder()
                .stmt(Bpf.LD | Bpf.W | Bpf.ABS, Bpf.SKF_AD_OFF + Bpf.SKF_AD_PROTOCOL)
                .jump(Bpf.JMP | Bpf.JEQ | Bpf.K, 0x0800, null, "drop")
                .stmt(Bpf.RET | Bpf.K, 1)
                .label("drop")
                .stmt(Bpf.RET | Bpf.K, 0)
                .build();
        assertThat(p.length()).isEqualTo(4);
        assertThat(p.code(1)).isEqualTo(0x15);
        assertThat(p.jt(1)).isZero();
        assertThat(p.jf(1)).isEqualTo(1);
        assertThat(p.toString()).startsWith("{ 0x20, 0, 0, 0xfffff000 },");
    }

    @Test
    void sockFprogHoldsLengthAndPointerToInstructions() {
        BpfProgram p = BpfProgram.builder().stmt(Bpf.RET | Bpf.K, 7).build();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fprog = p.sockFprog(arena);
            assertThat(fprog.get(ValueLayout.JAVA_SHORT, 0)).isEqualTo((short) 1);
            MemorySegment filter = fprog.get(ValueLayout.ADDRESS, 8).reinterpret(8);
            assertThat(filter.get(ValueLayout.JAVA_SHORT, 0)).isEqualTo((short) 0x06);
            assertThat(filter.get(ValueLayout.JAVA_INT, 4)).isEqualTo(7);
        }
    }

    @Test
    void badProgramsAreRefused() {
        assertThatThrownBy(() -> BpfProgram.builder().stmt(Bpf.LD | Bpf.IMM, 1).build())
                .hasMessageContaining("the last instruction is no return");
        assertThatThrownBy(() -> BpfProgram.builder().jump(Bpf.JMP | Bpf.JEQ, 1, "nowhere", null)
                .stmt(Bpf.RET, 0).build())
                .hasMessage("unknown label: nowhere (expected: one set with label())");
        assertThatThrownBy(() -> BpfProgram.builder().build())
                .hasMessage("invalid program length: 0 (expected: 1 ~ 4096)");
    }

    @Test
    void interpreterReadsNetworkRelativeAndIndexedLoads() {
        BpfProgram sourcePort = BpfProgram.builder()
                .stmt(Bpf.LDX | Bpf.B | Bpf.MSH, Bpf.SKF_NET_OFF)
                .stmt(Bpf.LD | Bpf.H | Bpf.IND, Bpf.SKF_NET_OFF)
                .stmt(Bpf.RET | Bpf.A, 0)
                .build();
        BpfProgram pastTheEnd = BpfProgram.builder()
                .stmt(Bpf.LD | Bpf.W | Bpf.ABS, Bpf.SKF_NET_OFF + 100)
                .stmt(Bpf.RET | Bpf.K, 9)
                .build();
        try (Arena arena = Arena.ofConfined()) {
            assertThat(BpfInterpreter.run(sourcePort, 0x0800, tcp(arena))).isEqualTo(40000);
            assertThat(BpfInterpreter.run(pastTheEnd, 0x0800, tcp(arena))).isZero();
        }
    }
}
