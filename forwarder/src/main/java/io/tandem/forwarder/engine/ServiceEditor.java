package io.tandem.forwarder.engine;

import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.sched.Scheduler;
import io.tandem.forwarder.sched.Schedulers;
import io.tandem.forwarder.service.ServiceTable;
import io.tandem.forwarder.service.VirtualService;
import java.net.Inet4Address;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Brings one virtual service of the worker's {@link ServiceTable} from one
 * {@link ServiceSpec} to the next (ipvsadm's {@code -A}, {@code -E}, {@code -D},
 * {@code -a}, {@code -e}, {@code -d}), on the worker thread. Every check is made
 * before anything changes, so a refused change leaves the service as it was.
 *
 * <ul>
 * <li>A new service is built; one removed earlier whose connections are still
 *     in the table is revived with them ({@link ServiceTable#restore}).
 * <li>A removed service or real server takes no new flow; its connections stay
 *     until they expire (see {@link io.tandem.forwarder.path.PacketForwarder#expireNodestConn}).
 * <li>Scheduler, its flags and persistence change for the next new flow.
 * <li>A real server's weight is set only when the spec's weight changed, so a
 *     weight the health checks set is kept across an edit that does not touch it.
 * <li>A forwarding method changes for new connections only; leaving NAT or
 *     FULLNAT while connections exist is refused, since their replies would
 *     no longer be steered to the forwarder. Removing a FULLNAT local address
 *     that connections use is refused for the same reason.
 * </ul>
 */
final class ServiceEditor {
    private final ServiceTable services;
    private final int worker;
    private final int workers;

    ServiceEditor(ServiceTable services) {
        this(services, 0, 1);
    }

    /** The editor of worker {@code worker} of {@code workers}: FULLNAT pools are its slice ({@link ServiceBuilder#pool}). */
    ServiceEditor(ServiceTable services, int worker, int workers) {
        this.services = Objects.requireNonNull(services, "services");
        this.worker = worker;
        this.workers = workers;
    }

    /** Moves the service from {@code old} to {@code next}; null stands for absent. */
    void apply(ServiceSpec old, ServiceSpec next) {
        if (old == null && next == null) {
            return;
        }
        if (old != null && next != null && !old.serviceAddress().equals(next.serviceAddress())) {
            throw new IllegalArgumentException("cannot turn service " + old + " into " + next
                    + " (expected: the same protocol, address and port)");
        }
        services.purge(); // trashed services whose connections are gone: not revived, their ids free
        if (next == null) {
            services.remove(present(old));
        } else if (old == null) {
            add(next);
        } else {
            edit(present(old), old, next);
        }
    }

    private VirtualService present(ServiceSpec spec) {
        VirtualService s = services.lookup(spec.protocol(), Ipv4.toInt(spec.address()), spec.port());
        if (s == null) {
            throw new IllegalStateException("no virtual service " + spec + " in the worker's table");
        }
        return s;
    }

    private void add(ServiceSpec spec) {
        int protocol = spec.protocol();
        int address = Ipv4.toInt(spec.address());
        if (services.lookup(protocol, address, spec.port()) != null) {
            throw new IllegalArgumentException("duplicate virtual service: " + spec);
        }
        VirtualService built = ServiceBuilder.build(0, spec, worker, workers); // checks the spec first
        VirtualService revived = services.restore(protocol, address, spec.port());
        if (revived == null) {
            services.add(ServiceBuilder.build(services.nextId(), spec, worker, workers));
            return;
        }
        revived.setScheduler(built.scheduler());
        revived.setPersistence(built.persistenceTimeoutNanos(), built.persistenceMask());
        revived.setLocalAddresses(built.localAddresses());
        revived.setToa(built.toa());
        for (RealServerSpec r : spec.realServers()) {
            revived.addRealServer(Ipv4.toInt(r.address()), r.port(), r.weight(), r.method());
        }
    }

    private void edit(VirtualService s, ServiceSpec old, ServiceSpec next) {
        // checks
        Scheduler scheduler = old.scheduler().equals(next.scheduler())
                && old.schedulerFlags().equals(next.schedulerFlags())
                ? null : Schedulers.create(next.scheduler(), next.schedulerFlags());
        for (RealServerSpec r : next.realServers()) {
            old.realServer(r.address(), r.port()).ifPresent(before -> checkMethodChange(s, before, r));
        }
        checkLocalAddresses(s, old, next);

        // changes
        if (scheduler != null) {
            s.setScheduler(scheduler);
        }
        if (old.persistenceTimeoutSeconds() != next.persistenceTimeoutSeconds()
                || old.persistenceNetmask() != next.persistenceNetmask()) {
            s.setPersistence(TimeUnit.SECONDS.toNanos(next.persistenceTimeoutSeconds()), next.persistenceNetmask());
        }
        s.setToa(next.toa());
        if (!old.localAddresses().equals(next.localAddresses())) {
            s.setLocalAddresses(ServiceBuilder.pool(next, worker, workers));
        }
        for (RealServerSpec r : old.realServers()) {
            if (next.realServer(r.address(), r.port()).isEmpty()) {
                s.removeRealServer(slot(s, r));
            }
        }
        for (RealServerSpec r : next.realServers()) {
            var before = old.realServer(r.address(), r.port());
            if (before.isEmpty()) {
                s.addRealServer(Ipv4.toInt(r.address()), r.port(), r.weight(), r.method());
                continue;
            }
            int slot = slot(s, r);
            if (before.get().method() != r.method()) {
                s.setMethod(slot, r.method());
            }
            if (before.get().weight() != r.weight()) {
                s.destinations().setWeight(slot, r.weight());
            }
        }
    }

    private static int slot(VirtualService s, RealServerSpec r) {
        int slot = s.findRealServer(Ipv4.toInt(r.address()), r.port());
        if (slot < 0) {
            throw new IllegalStateException("no real server " + r + " in " + s + " in the worker's table");
        }
        return slot;
    }

    private static void checkMethodChange(VirtualService s, RealServerSpec before, RealServerSpec after) {
        if (before.method() == after.method() || !before.method().repliesThroughDirector()) {
            return;
        }
        long connections = s.destinations().connections(slot(s, before));
        if (connections > 0) {
            throw new IllegalStateException("cannot change the forwarding method of real server " + before + " of "
                    + s + " from " + before.method() + " to " + after.method() + " while it has " + connections
                    + " connection(s) (expected: drain it first; their replies come back through the director)");
        }
    }

    private static void checkLocalAddresses(VirtualService s, ServiceSpec old, ServiceSpec next) {
        Set<Inet4Address> dropped = new HashSet<>(old.localAddresses());
        next.localAddresses().forEach(dropped::remove);
        if (dropped.isEmpty()) {
            return;
        }
        long connections = 0;
        for (int slot = 0; slot < s.destinations().size(); slot++) {
            if (s.destMethod(slot) == ForwardMethod.FULLNAT) {
                connections += s.destinations().connections(slot);
            }
        }
        if (connections > 0) {
            throw new IllegalStateException("cannot remove local address(es) "
                    + dropped.stream().map(Inet4Address::getHostAddress).sorted().toList() + " of " + s
                    + " while it has " + connections + " FULLNAT connection(s)"
                    + " (expected: only added local addresses until they end)");
        }
    }
}
