package io.tandem.forwarder.path;

/** Why the forwarder dropped a packet that parsed as IPv4 TCP or UDP (or an ICMP error about one); counted per reason. */
public enum DropReason {
    /** An IP fragment addressed to a virtual service (no reassembly in the forwarder). */
    FRAGMENT("fragment"),
    /** A TCP segment that is not a SYN and matches no connection (IPVS schedules only on SYN). */
    NOT_SYN("not_syn"),
    /** No real server could take the new flow (all drained, down or overloaded). */
    NO_DESTINATION("no_destination"),
    /** The connection table is full. */
    TABLE_FULL("table_full"),
    /** FULLNAT had no free local address and port toward that real server. */
    NO_LOCAL_PORT("no_local_port"),
    /** The next hop's MAC is not resolved yet. */
    NO_NEIGHBOUR("no_neighbour"),
    /** The rewritten frame (TUN: plus its outer header) does not fit the transmit frame or the MTU. */
    TOO_BIG("too_big"),
    /** The connection's real server was removed (dropped as IPVS does; see expire_nodest_conn). */
    DESTINATION_REMOVED("destination_removed"),
    /**
     * The receive ring's slot was smaller than the frame, so the forwarder saw only its start
     * (the kernel still has the whole frame and handles it as if the forwarder were not there).
     */
    TRUNCATED("truncated"),
    /**
     * Larger than the link's MTU and not a TCP segment that can be cut into smaller ones
     * ({@link TcpSegmenter}): a UDP GRO aggregate, a SYN, RST or URG segment.
     */
    OVERSIZE("oversize"),
    /** An ICMP error about a known connection whose ICMP checksum does not verify (RFC 792). */
    BAD_ICMP_CHECKSUM("bad_icmp_checksum"),
    /** Handling the frame raised an exception (a bug): dropped, and the worker goes on. */
    INTERNAL_ERROR("internal_error");

    private final String label;

    DropReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
