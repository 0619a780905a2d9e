package io.tandem.forwarder.realserver;

/** How the director reaches this real server: the LVS modes whose replies bypass the director. */
public enum RealServerMode {
    /** Direct routing: the client's packet arrives unchanged, only its MACs rewritten. */
    DR,
    /** IP tunnelling: the client's packet arrives inside an outer IPv4 header DIP -&gt; RIP (RFC 2003). */
    TUN
}
