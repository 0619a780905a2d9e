package io.tandem.forwarder.service;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The virtual services, found by (protocol, address, port) from the data
 * path without allocation. Service ids are stable slots, as connections refer
 * to them.
 *
 * <p>A removed service whose connections are still in the table keeps its id
 * in a trash (IPVS keeps such destinations in its {@code dest_trash}): its
 * connections still find it by id, with every real server removed, and
 * adding the same service back ({@link #restore}) revives it with them.
 * {@link #purge} frees the ids of trashed services once nothing counts
 * against them.
 */
public final class ServiceTable {
    private final LongIntHashMap byKey = new LongIntHashMap(64);
    private final List<VirtualService> byId = new ArrayList<>();
    /** How many services each virtual address has. */
    private final LongIntHashMap servicesPerAddress = new LongIntHashMap(16);
    /** Removed services still referenced by connections, by key (control path only). */
    private final java.util.Map<Long, VirtualService> trash = new java.util.HashMap<>();

    /** The service for a packet's destination, or null. */
    public VirtualService lookup(int protocol, int address, int port) {
        int id = byKey.get(ServiceKey.of(protocol, address, port));
        return id == LongIntHashMap.MISSING ? null : byId.get(id);
    }

    /** The id the next service will get. */
    public int nextId() {
        for (int i = 0; i < byId.size(); i++) {
            if (byId.get(i) == null) {
                return i;
            }
        }
        return byId.size();
    }

    public void add(VirtualService service) {
        if (byKey.get(service.key()) != LongIntHashMap.MISSING || trash.containsKey(service.key())) {
            throw new IllegalArgumentException("duplicate virtual service: " + service
                    + (trash.containsKey(service.key()) ? " (removed, kept for its connections: restore it)" : ""));
        }
        if (service.id() != nextId()) {
            throw new IllegalArgumentException("invalid service id: " + service.id() + " (expected: " + nextId() + ")");
        }
        if (service.id() == byId.size()) {
            byId.add(service);
        } else {
            byId.set(service.id(), service);
        }
        byKey.put(service.key(), service.id());
        long address = service.address() & 0xFFFF_FFFFL;
        int count = servicesPerAddress.get(address);
        servicesPerAddress.put(address, count == LongIntHashMap.MISSING ? 1 : count + 1);
    }

    /** True when some service listens on {@code address} (for traffic that is ours but unusable, like fragments). */
    public boolean isVirtualAddress(int address) {
        return servicesPerAddress.get(address & 0xFFFF_FFFFL) != LongIntHashMap.MISSING;
    }

    /**
     * Removes {@code service}: no packet finds it by address any more. Its id
     * is free at once when no connection counts against it, else it is trashed
     * with every real server removed until {@link #purge} sees its connections gone.
     */
    public void remove(VirtualService service) {
        if (byKey.get(service.key()) != service.id()) {
            throw new IllegalArgumentException("no virtual service " + service + " (expected: one in the table)");
        }
        byKey.remove(service.key());
        for (int slot = 0; slot < service.destinations().size(); slot++) {
            if (!service.destinations().isRemoved(slot)) {
                service.removeRealServer(slot);
            }
        }
        if (connections(service) == 0) {
            byId.set(service.id(), null);
        } else {
            trash.put(service.key(), service);
        }
        long address = service.address() & 0xFFFF_FFFFL;
        int count = servicesPerAddress.get(address);
        if (count <= 1) {
            servicesPerAddress.remove(address);
        } else {
            servicesPerAddress.put(address, count - 1);
        }
    }

    /**
     * Takes the trashed service with this address out of the trash and makes it
     * findable again (same id, its real servers still removed: add them back),
     * or returns null when none is trashed.
     */
    public VirtualService restore(int protocol, int address, int port) {
        VirtualService service = trash.remove(ServiceKey.of(protocol, address, port));
        if (service == null) {
            return null;
        }
        byKey.put(service.key(), service.id());
        servicesPerAddress.put(service.address() & 0xFFFF_FFFFL, Math.max(0,
                servicesPerAddress.get(service.address() & 0xFFFF_FFFFL)) + 1);
        return service;
    }

    /** Frees the ids of trashed services that no connection counts against any more; returns how many. */
    public int purge() {
        int purged = 0;
        for (var it = trash.values().iterator(); it.hasNext(); ) {
            VirtualService s = it.next();
            if (connections(s) == 0) {
                it.remove();
                byId.set(s.id(), null);
                purged++;
            }
        }
        return purged;
    }

    /** Services removed but kept for their connections. */
    public int trashed() {
        return trash.size();
    }

    private static long connections(VirtualService service) {
        long n = 0;
        for (int slot = 0; slot < service.destinations().size(); slot++) {
            n += service.destinations().connections(slot);
        }
        return n;
    }

    public VirtualService get(int id) {
        return id >= 0 && id < byId.size() ? byId.get(id) : null;
    }

    /** The services present, in id order (for listings); trashed ones are not. */
    public List<VirtualService> all() {
        List<VirtualService> present = new ArrayList<>();
        for (VirtualService s : byId) {
            if (s != null && byKey.get(s.key()) == s.id()) {
                present.add(s);
            }
        }
        return Collections.unmodifiableList(present);
    }
}
