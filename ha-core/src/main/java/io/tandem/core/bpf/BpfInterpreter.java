package io.tandem.core.bpf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Runs a {@link BpfProgram} over one packet as the kernel runs it on a received
 * frame at the fanout hook, where {@code skb->data} is the network header: loads
 * at {@code k >= 0} and at {@link Bpf#SKF_NET_OFF}{@code + k} both read byte
 * {@code k} of {@code network}; {@link Bpf#SKF_AD_OFF}{@code + SKF_AD_PROTOCOL}
 * reads the ethertype. A load past the end, a division by zero or an unknown
 * instruction ends the program with 0, as in the kernel. For tests and for
 * checking a program off line; not for the data path.
 */
public final class BpfInterpreter {
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final long FAIL = -1L;

    private BpfInterpreter() {
    }

    /** The program's return value (unsigned 32 bits) for a frame of {@code etherType} whose IP packet is {@code network}. */
    public static long run(BpfProgram program, int etherType, MemorySegment network) {
        int a = 0;
        int x = 0;
        int[] m = new int[Bpf.MEMWORDS];
        int pc = 0;
        while (pc < program.length()) {
            int code = program.code(pc);
            int k = program.k(pc);
            int cls = code & 0x07;
            switch (cls) {
                case Bpf.LD, Bpf.LDX -> {
                    int mode = code & 0xE0;
                    int size = code & 0x18;
                    long v;
                    if (mode == Bpf.IMM) {
                        v = k & 0xFFFFFFFFL;
                    } else if (mode == Bpf.MEM) {
                        v = m[k & 0xF] & 0xFFFFFFFFL;
                    } else if (mode == Bpf.LEN) {
                        v = network.byteSize();
                    } else if (mode == Bpf.ABS && cls == Bpf.LD) {
                        v = load(network, etherType, k, size);
                    } else if (mode == Bpf.IND && cls == Bpf.LD) {
                        v = load(network, etherType, x + k, size);
                    } else if (mode == Bpf.MSH && cls == Bpf.LDX) {
                        v = load(network, etherType, k, Bpf.B);
                        v = v == FAIL ? FAIL : (v & 0xF) << 2;
                    } else {
                        return 0;
                    }
                    if (v == FAIL) {
                        return 0;
                    }
                    if (cls == Bpf.LD) {
                        a = (int) v;
                    } else {
                        x = (int) v;
                    }
                }
                case Bpf.ST -> m[k & 0xF] = a;
                case Bpf.STX -> m[k & 0xF] = x;
                case Bpf.ALU -> {
                    int operand = (code & Bpf.X) != 0 ? x : k;
                    switch (code & 0xF0) {
                        case Bpf.ADD -> a += operand;
                        case Bpf.SUB -> a -= operand;
                        case Bpf.MUL -> a *= operand;
                        case Bpf.DIV -> {
                            if (operand == 0) {
                                return 0;
                            }
                            a = Integer.divideUnsigned(a, operand);
                        }
                        case Bpf.MOD -> {
                            if (operand == 0) {
                                return 0;
                            }
                            a = Integer.remainderUnsigned(a, operand);
                        }
                        case Bpf.OR -> a |= operand;
                        case Bpf.AND -> a &= operand;
                        case Bpf.LSH -> a <<= operand;
                        case Bpf.RSH -> a >>>= operand;
                        case Bpf.XOR -> a ^= operand;
                        case Bpf.NEG -> a = -a;
                        default -> {
                            return 0;
                        }
                    }
                }
                case Bpf.JMP -> {
                    int op = code & 0xF0;
                    if (op == Bpf.JA) {
                        pc += k;
                    } else {
                        long left = a & 0xFFFFFFFFL;
                        long right = ((code & Bpf.X) != 0 ? x : k) & 0xFFFFFFFFL;
                        boolean taken = switch (op) {
                            case Bpf.JEQ -> left == right;
                            case Bpf.JGT -> left > right;
                            case Bpf.JGE -> left >= right;
                            case Bpf.JSET -> (left & right) != 0;
                            default -> false;
                        };
                        pc += taken ? program.jt(pc) : program.jf(pc);
                    }
                }
                case Bpf.RET -> {
                    return ((code & 0x18) == Bpf.A ? a : k) & 0xFFFFFFFFL;
                }
                case Bpf.MISC -> {
                    if ((code & 0xF8) == Bpf.TXA) {
                        a = x;
                    } else {
                        x = a;
                    }
                }
                default -> {
                    return 0;
                }
            }
            pc++;
        }
        return 0;
    }

    private static long load(MemorySegment network, int etherType, int k, int size) {
        if (k == Bpf.SKF_AD_OFF + Bpf.SKF_AD_PROTOCOL) {
            return etherType & 0xFFFF;
        }
        long offset = k >= 0 ? k : (long) k - Bpf.SKF_NET_OFF;
        if (k < 0 && (k < Bpf.SKF_NET_OFF || k >= Bpf.SKF_AD_OFF)) {
            return FAIL;
        }
        int length = size == Bpf.W ? 4 : size == Bpf.H ? 2 : 1;
        if (offset < 0 || offset + length > network.byteSize()) {
            return FAIL;
        }
        return switch (size) {
            case Bpf.W -> network.get(INT, offset) & 0xFFFFFFFFL;
            case Bpf.H -> network.get(SHORT, offset) & 0xFFFF;
            default -> network.get(ValueLayout.JAVA_BYTE, offset) & 0xFF;
        };
    }
}
