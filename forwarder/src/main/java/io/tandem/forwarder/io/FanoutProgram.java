package io.tandem.forwarder.io;

import io.tandem.core.bpf.Bpf;
import io.tandem.core.bpf.BpfProgram;
import java.util.Arrays;

/**
 * The classic BPF program of the workers' {@code PACKET_FANOUT_CBPF} group: it returns
 * the {@link FlowKey} of each frame, so that both directions of a flow reach the same
 * worker (the kernel takes the return value modulo the number of sockets,
 * {@code fanout_demux_bpf} in {@code net/packet/af_packet.c}). Loads are relative to the
 * network header ({@link Bpf#SKF_NET_OFF}), wherever {@code skb->data} is; a load past the
 * end of the frame ends the program with 0, the kernel's rule, which {@link FlowKey} follows.
 *
 * <p>The VIPs are constants in the program: it is rebuilt and set again
 * ({@code PACKET_FANOUT_DATA} replaces the group's program at once) whenever they change.
 * Each VIP costs four instructions (a compare and a long jump, for requests and for ICMP
 * quotes), so at most {@link #MAX_VIPS} fit in the kernel's 4096.
 */
public final class FanoutProgram {
    /** VIPs that fit in {@link BpfProgram#MAX_INSTRUCTIONS} beside the fixed part. */
    public static final int MAX_VIPS = 1000;
    private static final int NET = Bpf.SKF_NET_OFF;

    private FanoutProgram() {
    }

    /** The program for these VIPs (IPv4 addresses as ints, duplicates allowed). */
    public static BpfProgram build(int[] vips) {
        int[] distinct = Arrays.stream(vips).distinct().toArray();
        if (distinct.length > MAX_VIPS) {
            throw new IllegalArgumentException("too many VIPs for the fanout program: " + distinct.length
                    + " (expected: at most " + MAX_VIPS + ")");
        }
        BpfProgram.Builder b = BpfProgram.builder()
                .stmt(Bpf.LD | Bpf.W | Bpf.ABS, Bpf.SKF_AD_OFF + Bpf.SKF_AD_PROTOCOL)
                .jump(Bpf.JMP | Bpf.JEQ | Bpf.K, FlowKey.ETH_P_IP, null, "none")
                .stmt(Bpf.LD | Bpf.H | Bpf.ABS, NET + 6) // flags and fragment offset
                .jump(Bpf.JMP | Bpf.JSET | Bpf.K, 0x1FFF, "none", null)
                .stmt(Bpf.LD | Bpf.B | Bpf.ABS, NET + 9) // protocol
                .jump(Bpf.JMP | Bpf.JEQ | Bpf.K, FlowKey.TCP, "ports", null)
                .jump(Bpf.JMP | Bpf.JEQ | Bpf.K, FlowKey.UDP, "ports", null)
                .jump(Bpf.JMP | Bpf.JEQ | Bpf.K, FlowKey.ICMP, null, "none")
                .jumpAlways("icmp") // past the VIP chain: too far for a conditional jump
                .label("none")
                .stmt(Bpf.RET | Bpf.K, 0)

                .label("ports")
                .stmt(Bpf.LDX | Bpf.B | Bpf.MSH, NET) // X := IHL * 4
                .stmt(Bpf.LD | Bpf.W | Bpf.ABS, NET + 16); // destination address
        vipChain(b, distinct, "request");
        b.stmt(Bpf.LD | Bpf.H | Bpf.IND, NET + 2) // a reply: its destination port
                .jumpAlways("mix")
                .label("request")
                .stmt(Bpf.LD | Bpf.H | Bpf.IND, NET) // a request: its source port
                .jumpAlways("mix")

                .label("icmp")
                .stmt(Bpf.LDX | Bpf.B | Bpf.MSH, NET)
                .stmt(Bpf.LD | Bpf.B | Bpf.IND, NET); // ICMP type
        for (int type : FlowKey.ICMP_ERRORS) {
            b.jump(Bpf.JMP | Bpf.JEQ | Bpf.K, type, "error", null);
        }
        int inner = FlowKey.ICMP_HEADER_LENGTH;
        b.stmt(Bpf.RET | Bpf.K, 0)
                .label("error")
                .stmt(Bpf.LD | Bpf.B | Bpf.IND, NET + inner + 9) // quoted protocol
                .jump(Bpf.JMP | Bpf.JEQ | Bpf.K, FlowKey.TCP, "quoted", null)
                .jump(Bpf.JMP | Bpf.JEQ | Bpf.K, FlowKey.UDP, "quoted", null)
                .stmt(Bpf.RET | Bpf.K, 0)
                .label("quoted")
                .stmt(Bpf.LD | Bpf.B | Bpf.IND, NET + inner) // quoted version and IHL
                .stmt(Bpf.ALU | Bpf.AND | Bpf.K, 0xF)
                .stmt(Bpf.ALU | Bpf.LSH | Bpf.K, 2)
                .stmt(Bpf.ALU | Bpf.ADD | Bpf.X, 0)
                .stmt(Bpf.ST, 0) // M[0] := outer IHL + quoted IHL
                .stmt(Bpf.LD | Bpf.W | Bpf.IND, NET + inner + 12) // quoted source address
                .stmt(Bpf.LDX | Bpf.W | Bpf.MEM, 0);
        vipChain(b, distinct, "ours");
        b.stmt(Bpf.LD | Bpf.H | Bpf.IND, NET + inner) // our request quoted: its source port
                .jumpAlways("mix")
                .label("ours")
                .stmt(Bpf.LD | Bpf.H | Bpf.IND, NET + inner + 2) // our reply quoted: its destination port
                .label("mix") // FlowKey.mix: the high half of port * MULTIPLIER
                .stmt(Bpf.ALU | Bpf.MUL | Bpf.K, FlowKey.MULTIPLIER)
                .stmt(Bpf.ALU | Bpf.RSH | Bpf.K, 16)
                .stmt(Bpf.RET | Bpf.A, 0);
        return b.build();
    }

    /** A goes to {@code label} when it is one of the VIPs, else on: a short compare, a long jump. */
    private static void vipChain(BpfProgram.Builder b, int[] vips, String label) {
        for (int i = 0; i < vips.length; i++) {
            String not = label + "-not-" + i;
            b.jump(Bpf.JMP | Bpf.JEQ | Bpf.K, vips[i], null, not)
                    .jumpAlways(label)
                    .label(not);
        }
    }
}
