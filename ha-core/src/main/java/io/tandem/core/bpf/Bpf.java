package io.tandem.core.bpf;

/**
 * Classic BPF's opcode fields and special load offsets ({@code <linux/filter.h>},
 * {@code <linux/bpf_common.h>}). An instruction's 16-bit code is the sum of a class,
 * and for loads a size and a mode, for ALU and jumps an operation and a source:
 * <pre>
 *  loads:        | mode (3 bits) | size (2) | class (3) |
 *  ALU, jumps:   |  op  (4 bits) | src  (1) | class (3) |
 * </pre>
 */
public final class Bpf {
    // classes
    public static final int LD = 0x00;
    public static final int LDX = 0x01;
    public static final int ST = 0x02;
    public static final int STX = 0x03;
    public static final int ALU = 0x04;
    public static final int JMP = 0x05;
    public static final int RET = 0x06;
    public static final int MISC = 0x07;
    // load sizes
    public static final int W = 0x00;
    public static final int H = 0x08;
    public static final int B = 0x10;
    // load modes
    public static final int IMM = 0x00;
    public static final int ABS = 0x20;
    public static final int IND = 0x40;
    public static final int MEM = 0x60;
    public static final int LEN = 0x80;
    /** {@code ldxb 4*([k]&0xf)}: an IPv4 header's length. */
    public static final int MSH = 0xa0;
    // ALU operations
    public static final int ADD = 0x00;
    public static final int SUB = 0x10;
    public static final int MUL = 0x20;
    public static final int DIV = 0x30;
    public static final int OR = 0x40;
    public static final int AND = 0x50;
    public static final int LSH = 0x60;
    public static final int RSH = 0x70;
    public static final int NEG = 0x80;
    public static final int MOD = 0x90;
    public static final int XOR = 0xa0;
    // jumps
    public static final int JA = 0x00;
    public static final int JEQ = 0x10;
    public static final int JGT = 0x20;
    public static final int JGE = 0x30;
    public static final int JSET = 0x40;
    // sources: the constant k or the index register X; RET's A
    public static final int K = 0x00;
    public static final int X = 0x08;
    public static final int A = 0x10;
    // MISC
    public static final int TAX = 0x00;
    public static final int TXA = 0x80;

    /** Loads at {@code SKF_AD_OFF + n} read the skb's ancillary data instead of packet bytes. */
    public static final int SKF_AD_OFF = -0x1000;
    /** {@code skb->protocol}, the ethertype in host order. */
    public static final int SKF_AD_PROTOCOL = 0;
    /** Loads at {@code SKF_NET_OFF + n} read byte {@code n} of the network header, wherever skb->data is. */
    public static final int SKF_NET_OFF = -0x100000;
    /** Loads at {@code SKF_LL_OFF + n} read byte {@code n} of the link-layer header. */
    public static final int SKF_LL_OFF = -0x200000;
    /** The scratch memory's words, {@code M[0]} to {@code M[15]}. */
    public static final int MEMWORDS = 16;

    private Bpf() {
    }
}
