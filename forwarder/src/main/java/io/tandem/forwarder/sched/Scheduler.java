package io.tandem.forwarder.sched;

/**
 * Chooses the real server for a new flow of one virtual service (IPVS's
 * {@code ip_vs_scheduler}). Called only for the first packet of a flow; an
 * existing flow follows its connection-table entry. Owned by one thread; no
 * allocation per call.
 */
public interface Scheduler {
    /** Returned when no destination is available. */
    int NONE = -1;

    /**
     * The index in {@code destinations} for a new flow, or {@link #NONE}.
     *
     * @param sourceKey the client's address folded to 32 bits (the IPv4
     *     address itself), for the hashing schedulers
     * @param sourcePort the client's port, for hashing schedulers that use it
     * @param destinationKey the virtual address folded to 32 bits (dh)
     */
    int select(Destinations destinations, int sourceKey, int sourcePort, int destinationKey);

    /** The name as ipvsadm and keepalived.conf spell it ({@code wlc}). */
    String name();
}
