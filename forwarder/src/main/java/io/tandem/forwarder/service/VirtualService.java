package io.tandem.forwarder.service;

import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.sched.Destinations;
import io.tandem.forwarder.sched.Scheduler;
import java.util.Arrays;

/**
 * One IPv4 virtual service (IPVS's {@code ip_vs_service}): its address, port
 * and protocol, its scheduler, persistence, and its real servers with their
 * addresses, ports and forwarding methods in slots parallel to
 * {@link Destinations}. Owned by the forwarding worker; the director changes
 * it through the worker's command queue.
 */
public final class VirtualService {
    private final int id;
    private final int protocol;
    private final int address;
    private final int port;
    private Scheduler scheduler;
    private final Destinations destinations = new Destinations(8);
    private long persistenceTimeoutNanos;
    private int persistenceMask = 0xFFFF_FFFF;
    private int[] destAddress = new int[8];
    private int[] destPort = new int[8];
    private ForwardMethod[] destMethod = new ForwardMethod[8];
    private LocalAddressPool localAddresses;
    private boolean toa;
    private final TrafficStats stats = new TrafficStats();

    public VirtualService(int id, int protocol, int address, int port, Scheduler scheduler) {
        if (protocol != 6 && protocol != 17) {
            throw new IllegalArgumentException("invalid protocol: " + protocol + " (expected: 6 (TCP) or 17 (UDP))");
        }
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("invalid port: " + port + " (expected: 0 ~ 65535)");
        }
        this.id = id;
        this.protocol = protocol;
        this.address = address;
        this.port = port;
        this.scheduler = scheduler;
    }

    /**
     * Adds a real server; returns its slot. A real server removed earlier whose
     * connections are still in the table gets its old slot back, with them
     * (IPVS's destination trash).
     */
    public int addRealServer(int address, int port, int weight, ForwardMethod method) {
        requireLocalAddresses(address, port, method);
        int restored = destinations.removedIndexOf(identity(address, port));
        int slot = destinations.add(identity(address, port), weight);
        if (slot >= destAddress.length) {
            int capacity = destAddress.length * 2;
            destAddress = Arrays.copyOf(destAddress, capacity);
            destPort = Arrays.copyOf(destPort, capacity);
            destMethod = Arrays.copyOf(destMethod, capacity);
        }
        destAddress[slot] = address;
        destPort[slot] = port;
        destMethod[slot] = method;
        if (slot != restored) {
            stats.resetSlot(slot);
        }
        return slot;
    }

    private void requireLocalAddresses(int address, int port, ForwardMethod method) {
        if (method == ForwardMethod.FULLNAT && localAddresses == null) {
            throw new IllegalStateException("real server " + ipv4(address) + ":" + port
                    + " uses FULLNAT but the service has no local_address_group");
        }
    }

    /**
     * Removes the real server in {@code slot}: it takes no new flow. Its
     * connections stay in the table until they expire (or until it is added
     * back); what their packets meet is the forwarder's expire_nodest_conn choice.
     */
    public void removeRealServer(int slot) {
        destinations.remove(slot);
    }

    /**
     * The forwarding method for the real server's new connections; existing
     * ones keep the method they were made with (as IPVS's connections keep
     * their destination's flags of the time).
     */
    public void setMethod(int slot, ForwardMethod method) {
        requireLocalAddresses(destAddress[slot], destPort[slot], method);
        destMethod[slot] = method;
    }

    /** Replaces the scheduler (ipvsadm -E -s): the next new flow is placed by the new one. */
    public void setScheduler(Scheduler scheduler) {
        this.scheduler = java.util.Objects.requireNonNull(scheduler, "scheduler");
    }

    /** The slot of a present real server, or -1. */
    public int findRealServer(int address, int port) {
        return destinations.indexOf(identity(address, port));
    }

    static long identity(int address, int port) {
        return (address & 0xFFFF_FFFFL) << 16 | (port & 0xFFFF);
    }

    static String ipv4(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + "." + (a & 0xFF);
    }

    /**
     * Persistence ({@code persistence_timeout}, {@code persistence_granularity}):
     * flows from one client network keep going to the same real server.
     * A timeout of 0 turns it off.
     */
    public void setPersistence(long timeoutNanos, int netmask) {
        if (timeoutNanos < 0) {
            throw new IllegalArgumentException("invalid persistence timeout: " + timeoutNanos + " (expected: >= 0)");
        }
        this.persistenceTimeoutNanos = timeoutNanos;
        this.persistenceMask = netmask;
    }

    /** FULLNAT's source addresses ({@code local_address_group}). */
    public void setLocalAddresses(LocalAddressPool pool) {
        this.localAddresses = pool;
    }

    /**
     * TOA: FULLNAT inserts the client's address and port into the handshake
     * segments it sends to the real servers (TCP option 254).
     */
    public void setToa(boolean toa) {
        this.toa = toa;
    }

    public boolean toa() {
        return toa;
    }

    public int id() {
        return id;
    }

    public int protocol() {
        return protocol;
    }

    public int address() {
        return address;
    }

    public int port() {
        return port;
    }

    public long key() {
        return ServiceKey.of(protocol, address, port);
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public Destinations destinations() {
        return destinations;
    }

    public boolean persistent() {
        return persistenceTimeoutNanos > 0;
    }

    public long persistenceTimeoutNanos() {
        return persistenceTimeoutNanos;
    }

    public int persistenceMask() {
        return persistenceMask;
    }

    public int destAddress(int slot) {
        return destAddress[slot];
    }

    public int destPort(int slot) {
        return destPort[slot];
    }

    public ForwardMethod destMethod(int slot) {
        return destMethod[slot];
    }

    public LocalAddressPool localAddresses() {
        return localAddresses;
    }

    public TrafficStats stats() {
        return stats;
    }

    @Override
    public String toString() {
        return (protocol == 6 ? "TCP " : "UDP ") + ipv4(address) + ":" + port + " " + scheduler.name();
    }
}
