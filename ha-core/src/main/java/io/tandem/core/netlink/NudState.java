package io.tandem.core.netlink;

import java.util.StringJoiner;

/**
 * Neighbour cache entry states (NUD_*, linux/neighbour.h; the state machine of
 * RFC 4861, section 7.3.2, which Linux also applies to ARP). A state is a bit
 * mask; {@link #toString(int)} names its bits.
 */
public final class NudState {
    public static final int NONE = 0x00;
    public static final int INCOMPLETE = 0x01;
    public static final int REACHABLE = 0x02;
    public static final int STALE = 0x04;
    public static final int DELAY = 0x08;
    public static final int PROBE = 0x10;
    public static final int FAILED = 0x20;
    public static final int NOARP = 0x40;
    public static final int PERMANENT = 0x80;

    private static final String[] NAMES = {
        "INCOMPLETE", "REACHABLE", "STALE", "DELAY", "PROBE", "FAILED", "NOARP", "PERMANENT",
    };

    private NudState() {
    }

    /** {@code REACHABLE}, {@code STALE|PROBE}, or {@code NONE}. */
    public static String toString(int state) {
        if (state == NONE) {
            return "NONE";
        }
        StringJoiner names = new StringJoiner("|");
        for (int bit = 0; bit < NAMES.length; bit++) {
            if ((state & (1 << bit)) != 0) {
                names.add(NAMES[bit]);
            }
        }
        int unknown = state & ~0xff;
        if (unknown != 0) {
            names.add("0x" + Integer.toHexString(unknown));
        }
        return names.toString();
    }
}
