package io.tandem.forwarder.service;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The virtual services, found by (protocol, address, port) from the data
 * path without allocation. Service ids are stable slots, as connections refer
 * to them.
 */
public final class ServiceTable {
    private final LongIntHashMap byKey = new LongIntHashMap(64);
    private final List<VirtualService> byId = new ArrayList<>();
    /** How many services each virtual address has. */
    private final LongIntHashMap servicesPerAddress = new LongIntHashMap(16);

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
        if (byKey.get(service.key()) != LongIntHashMap.MISSING) {
            throw new IllegalArgumentException("duplicate virtual service: " + service);
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

    public void remove(VirtualService service) {
        byKey.remove(service.key());
        byId.set(service.id(), null);
        long address = service.address() & 0xFFFF_FFFFL;
        int count = servicesPerAddress.get(address);
        if (count <= 1) {
            servicesPerAddress.remove(address);
        } else {
            servicesPerAddress.put(address, count - 1);
        }
    }

    public VirtualService get(int id) {
        return id >= 0 && id < byId.size() ? byId.get(id) : null;
    }

    /** The services present, in id order (for listings). */
    public List<VirtualService> all() {
        List<VirtualService> present = new ArrayList<>();
        for (VirtualService s : byId) {
            if (s != null) {
                present.add(s);
            }
        }
        return Collections.unmodifiableList(present);
    }
}
