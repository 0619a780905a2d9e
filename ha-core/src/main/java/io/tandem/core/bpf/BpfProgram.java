package io.tandem.core.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A classic BPF program: immutable, its jumps resolved and checked, so an
 * instance is always one the kernel can load (as far as the shape goes; the
 * kernel's checker has the last word). Each instruction is a
 * {@code struct sock_filter}:
 * <pre>
 *  0               16       24       32                              64
 * +----------------+--------+--------+--------------------------------+
 * |      code      |   jt   |   jf   |               k                |
 * +----------------+--------+--------+--------------------------------+
 * </pre>
 * Built with {@link #builder()}, whose jumps name labels further down (classic BPF
 * jumps only forward, at most 255 instructions for a conditional one).
 */
public final class BpfProgram {
    /** {@code BPF_MAXINSNS}. */
    public static final int MAX_INSTRUCTIONS = 4096;
    /** {@code sizeof(struct sock_filter)}. */
    public static final int INSTRUCTION_LENGTH = 8;
    /** {@code sizeof(struct sock_fprog)} on a 64-bit host: a u16 length, padding, a pointer. */
    public static final int SOCK_FPROG_LENGTH = 16;

    private final short[] codes;
    private final byte[] jts;
    private final byte[] jfs;
    private final int[] ks;

    private BpfProgram(short[] codes, byte[] jts, byte[] jfs, int[] ks) {
        this.codes = codes;
        this.jts = jts;
        this.jfs = jfs;
        this.ks = ks;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int length() {
        return codes.length;
    }

    public int code(int i) {
        return codes[i] & 0xFFFF;
    }

    public int jt(int i) {
        return jts[i] & 0xFF;
    }

    public int jf(int i) {
        return jfs[i] & 0xFF;
    }

    public int k(int i) {
        return ks[i];
    }

    /**
     * A {@code struct sock_fprog} and its instructions in {@code arena}, for
     * {@code setsockopt(SO_ATTACH_FILTER)} or {@code PACKET_FANOUT_DATA}.
     */
    public MemorySegment sockFprog(Arena arena) {
        MemorySegment filter = arena.allocate((long) codes.length * INSTRUCTION_LENGTH, 8);
        for (int i = 0; i < codes.length; i++) {
            long at = (long) i * INSTRUCTION_LENGTH;
            filter.set(ValueLayout.JAVA_SHORT, at, codes[i]);
            filter.set(ValueLayout.JAVA_BYTE, at + 2, jts[i]);
            filter.set(ValueLayout.JAVA_BYTE, at + 3, jfs[i]);
            filter.set(ValueLayout.JAVA_INT, at + 4, ks[i]);
        }
        MemorySegment fprog = arena.allocate(SOCK_FPROG_LENGTH, 8);
        fprog.set(ValueLayout.JAVA_SHORT, 0, (short) codes.length);
        fprog.set(ValueLayout.ADDRESS, 8, filter);
        return fprog;
    }

    /** One instruction a line, as {@code bpf_asm -c} prints them: {@code { 0x28, 0, 0, 0x0000000c },}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < codes.length; i++) {
            out.append(String.format("{ 0x%02x, %d, %d, 0x%08x },%n", code(i), jt(i), jf(i), k(i)));
        }
        return out.toString();
    }

    /** Appends instructions; jumps name their targets by label, resolved in {@link #build()}. */
    public static final class Builder {
        private final List<int[]> instructions = new ArrayList<>();
        private final List<String[]> targets = new ArrayList<>();
        private final Map<String, Integer> labels = new HashMap<>();

        private Builder() {
        }

        /** An instruction without jump targets: a load, store, ALU operation, return or MISC. */
        public Builder stmt(int code, int k) {
            instructions.add(new int[] {code, k});
            targets.add(null);
            return this;
        }

        /** A conditional jump: to {@code ifTrue} or {@code ifFalse}; null stands for the next instruction. */
        public Builder jump(int code, int k, String ifTrue, String ifFalse) {
            if ((code & 0x07) != Bpf.JMP || (code & 0xF0) == Bpf.JA) {
                throw new IllegalArgumentException(String.format(
                        "invalid conditional jump code: 0x%02x (expected: BPF_JMP with JEQ, JGT, JGE or JSET)", code));
            }
            instructions.add(new int[] {code, k});
            targets.add(new String[] {ifTrue, ifFalse});
            return this;
        }

        /** An unconditional jump ({@code ja}) to {@code label}: 32 bits of offset, so it reaches any instruction. */
        public Builder jumpAlways(String label) {
            instructions.add(new int[] {Bpf.JMP | Bpf.JA, 0});
            targets.add(new String[] {label});
            return this;
        }

        /** Names the next instruction. */
        public Builder label(String name) {
            if (labels.putIfAbsent(name, instructions.size()) != null) {
                throw new IllegalArgumentException("duplicate label: " + name + " (expected: each label once)");
            }
            return this;
        }

        public BpfProgram build() {
            int n = instructions.size();
            if (n == 0 || n > MAX_INSTRUCTIONS) {
                throw new IllegalArgumentException("invalid program length: " + n + " (expected: 1 ~ "
                        + MAX_INSTRUCTIONS + ")");
            }
            if ((instructions.get(n - 1)[0] & 0x07) != Bpf.RET) {
                throw new IllegalArgumentException("invalid program: the last instruction is no return"
                        + " (expected: BPF_RET, so that no path runs off the end)");
            }
            short[] codes = new short[n];
            byte[] jts = new byte[n];
            byte[] jfs = new byte[n];
            int[] ks = new int[n];
            for (int i = 0; i < n; i++) {
                codes[i] = (short) instructions.get(i)[0];
                ks[i] = instructions.get(i)[1];
                String[] t = targets.get(i);
                if (t != null && t.length == 1) {
                    ks[i] = offset(i, t[0], MAX_INSTRUCTIONS);
                } else if (t != null) {
                    jts[i] = (byte) offset(i, t[0], 255);
                    jfs[i] = (byte) offset(i, t[1], 255);
                }
            }
            return new BpfProgram(codes, jts, jfs, ks);
        }

        private int offset(int from, String label, int longest) {
            if (label == null) {
                return 0;
            }
            Integer to = labels.get(label);
            if (to == null) {
                throw new IllegalArgumentException("unknown label: " + label + " (expected: one set with label())");
            }
            int offset = to - from - 1;
            if (offset < 0 || offset > longest || to >= instructions.size()) {
                throw new IllegalArgumentException("invalid jump from " + from + " to " + label + " at " + to
                        + " (expected: forward, to an instruction, at most " + longest + " further)");
            }
            return offset;
        }
    }
}
