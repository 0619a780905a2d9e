package io.tandem.forwarder.path;

/**
 * Where the forwarder sends a rewritten frame at layer 2: the MAC address of
 * an on-link host (a real server, or the router toward a client). Filled by
 * the director from the kernel's neighbour and route tables (rtnetlink);
 * read by the worker without allocation.
 */
public interface NextHops {
    /** Returned by {@link #macOf} when the neighbour is not resolved yet. */
    long UNRESOLVED = -1L;

    /** The next hop's IPv4 address for {@code destination}: itself when on-link, else its gateway. */
    int nextHop(int destination);

    /** The 48-bit MAC of on-link {@code address}, or {@link #UNRESOLVED} (the caller counts and drops). */
    long macOf(int address);
}
