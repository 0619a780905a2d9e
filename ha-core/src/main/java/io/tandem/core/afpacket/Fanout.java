package io.tandem.core.afpacket;

/**
 * A {@code PACKET_FANOUT} membership: sockets bound to the same interface and
 * protocol that join the same {@code groupId} with the same {@code mode} share
 * the interface's frames (packet(7)). The forwarder's workers join one
 * {@link FanoutMode#HASH} group so that each owns a slice of the flows.
 *
 * <p>The option's value packs the group id in the low 16 bits and the mode
 * and flags in the high 16 bits:
 * <pre>
 *  31            16 15             0
 * +----------------+----------------+
 * |  mode | flags  |    group id    |
 * +----------------+----------------+
 * </pre>
 *
 * @param mode how frames are spread
 * @param groupId the group, 0 ~ 65535, unique per network namespace
 * @param flags {@link #FLAG_ROLLOVER}, {@link #FLAG_UNIQUEID}, {@link #FLAG_IGNORE_OUTGOING},
 *     {@link #FLAG_DEFRAG}, a combination, or 0
 */
public record Fanout(FanoutMode mode, int groupId, int flags) {
    /** Roll over to another member when the chosen one's buffer is full. */
    public static final int FLAG_ROLLOVER = 0x1000;
    /**
     * Create a new group with an id the kernel chooses ({@code PACKET_FANOUT_FLAG_UNIQUEID}):
     * only with group id 0; the other members join with the id the first one reads back
     * ({@link PacketSocket#fanoutGroupId()}) and without this flag.
     */
    public static final int FLAG_UNIQUEID = 0x2000;
    /**
     * Leave out frames this host sends ({@code PACKET_FANOUT_FLAG_IGNORE_OUTGOING}, Linux 6.2): a
     * member's own {@code PACKET_IGNORE_OUTGOING} does not apply to the group's hook, this does.
     */
    public static final int FLAG_IGNORE_OUTGOING = 0x4000;
    /** Reassemble IP fragments before hashing, so fragments follow their flow. */
    public static final int FLAG_DEFRAG = 0x8000;

    public Fanout {
        if (mode == null) {
            throw new IllegalArgumentException("fanout mode must not be null");
        }
        if (groupId < 0 || groupId > 0xFFFF) {
            throw new IllegalArgumentException("invalid fanout group id: " + groupId + " (expected: 0 ~ 65535)");
        }
        if ((flags & ~(FLAG_ROLLOVER | FLAG_UNIQUEID | FLAG_IGNORE_OUTGOING | FLAG_DEFRAG)) != 0) {
            throw new IllegalArgumentException(String.format("invalid fanout flags: 0x%x (expected: a combination"
                    + " of FLAG_ROLLOVER 0x1000, FLAG_UNIQUEID 0x2000, FLAG_IGNORE_OUTGOING 0x4000,"
                    + " FLAG_DEFRAG 0x8000)", flags));
        }
        if ((flags & FLAG_UNIQUEID) != 0 && groupId != 0) {
            throw new IllegalArgumentException("invalid fanout group id with FLAG_UNIQUEID: " + groupId
                    + " (expected: 0, the kernel chooses it)");
        }
    }

    /** A {@link FanoutMode#HASH} group without flags: each flow stays on one member. */
    public static Fanout hash(int groupId) {
        return new Fanout(FanoutMode.HASH, groupId, 0);
    }

    /**
     * A {@link FanoutMode#CBPF} group that leaves out this host's own frames: the members' program
     * ({@link PacketSocket#fanoutProgram}) chooses the member of each frame.
     */
    public static Fanout cbpf(int groupId) {
        return new Fanout(FanoutMode.CBPF, groupId, FLAG_IGNORE_OUTGOING);
    }

    /**
     * A new {@link FanoutMode#CBPF} group whose id the kernel chooses ({@link #FLAG_UNIQUEID}), so
     * that it cannot be joined by accident; the other members join {@link #cbpf(int)} with its id.
     */
    public static Fanout cbpfUnique() {
        return new Fanout(FanoutMode.CBPF, 0, FLAG_UNIQUEID | FLAG_IGNORE_OUTGOING);
    }

    /** The {@code int} passed to {@code setsockopt(PACKET_FANOUT)}. */
    public int optionValue() {
        return groupId | ((mode.value() | flags) << 16);
    }

    @Override
    public String toString() {
        return "group=" + groupId + ", mode=" + mode + (flags == 0 ? "" : String.format(", flags=0x%x", flags));
    }
}
