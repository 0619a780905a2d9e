package io.tandem.forwarder.path;

/** What the forwarder did with ICMP: errors carried like their flow, errors it originated. */
public enum IcmpCounter {
    /** An ICMP error about a known connection, rewritten like the flow and sent on (IPVS ip_vs_in_icmp / out_icmp). */
    ERRORS_FORWARDED("errors_forwarded"),
    /** Fragmentation Needed sent to a client whose DF packet no longer fit once encapsulated (TUN). */
    FRAGMENTATION_NEEDED_SENT("fragmentation_needed_sent");

    private final String label;

    IcmpCounter(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
