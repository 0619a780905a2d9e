package io.tandem.core.netlink;

import java.net.InetAddress;

/**
 * A neighbour cache entry (ARP for IPv4, NDP for IPv6) as RTM_NEWNEIGH carries it.
 *
 * @param ifindex the interface index
 * @param address the neighbour's IP address
 * @param hardwareAddress its link-layer address, or null while unresolved
 * @param state the NUD_* state bits, see {@link NudState}
 * @param flags the NTF_* flags
 */
public record Neighbour(int ifindex, InetAddress address, HardwareAddress hardwareAddress, int state, int flags) {
    public Neighbour {
        if (address == null) {
            throw new IllegalArgumentException("neighbour on ifindex " + ifindex + " has no address");
        }
    }

    /** Whether the entry was confirmed recently (NUD_REACHABLE) or configured (NUD_PERMANENT) and has an address. */
    public boolean resolved() {
        return hardwareAddress != null && (state & (NudState.REACHABLE | NudState.PERMANENT)) != 0;
    }

    /**
     * Whether the entry holds an address the kernel itself would still send to: REACHABLE,
     * PERMANENT, NOARP, and also STALE, DELAY and PROBE (RFC 4861 §7.3.3: a stale entry is
     * used while it is being re-confirmed). A forwarder that sends its own frames never
     * confirms its neighbours to the kernel, so its entries are STALE most of the time.
     */
    public boolean usable() {
        return hardwareAddress != null && (state & (NudState.REACHABLE | NudState.PERMANENT | NudState.NOARP
                | NudState.STALE | NudState.DELAY | NudState.PROBE)) != 0;
    }

    public boolean failed() {
        return (state & NudState.FAILED) != 0;
    }

    @Override
    public String toString() {
        return AddressText.of(address) + " ifindex " + ifindex + " lladdr "
                + (hardwareAddress == null ? "-" : hardwareAddress) + " " + NudState.toString(state);
    }
}
