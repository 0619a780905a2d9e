package io.tandem.core.afpacket;

/**
 * How a {@code PACKET_FANOUT} group spreads frames over its member sockets
 * (packet(7), {@code PACKET_FANOUT_*} in {@code <linux/if_packet.h>}).
 */
public enum FanoutMode {
    /** By the frame's flow hash: every frame of a flow goes to the same socket. */
    HASH(0),
    /** Round robin. */
    LB(1),
    /** By the CPU the frame arrived on. */
    CPU(2),
    /** Fill one socket, roll over to the next when its buffer is full. */
    ROLLOVER(3),
    /** Random choice. */
    RND(4),
    /** By the frame's receive queue mapping. */
    QM(5),
    /**
     * By a classic BPF program's return value modulo the number of members
     * ({@code PACKET_FANOUT_CBPF}, Linux 4.3; the program is set with
     * {@code PACKET_FANOUT_DATA} after joining, see {@link PacketSocket#fanoutProgram}).
     * Until a program is set, every frame goes to the first member.
     */
    CBPF(6);

    private final int value;

    FanoutMode(int value) {
        this.value = value;
    }

    /** The {@code PACKET_FANOUT_*} type value. */
    public int value() {
        return value;
    }
}
