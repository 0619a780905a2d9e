package io.tandem.forwarder.engine;

import io.tandem.forwarder.io.FlowKey;
import io.tandem.forwarder.sched.Schedulers;
import io.tandem.forwarder.service.LocalAddressPool;
import io.tandem.forwarder.service.VirtualService;
import java.util.concurrent.TimeUnit;

/** Turns a {@link ServiceSpec} into the data path's {@link VirtualService}. */
final class ServiceBuilder {
    private ServiceBuilder() {
    }

    static VirtualService build(int id, ServiceSpec spec) {
        return build(id, spec, 0, 1);
    }

    /**
     * For worker {@code worker} of {@code workers}: with more than one, its FULLNAT local ports are
     * those whose fanout key it owns ({@link FlowKey#ownedPorts}), so replies come back to it.
     */
    static VirtualService build(int id, ServiceSpec spec, int worker, int workers) {
        VirtualService service = new VirtualService(id, spec.protocol(), Ipv4.toInt(spec.address()), spec.port(),
                Schedulers.create(spec.scheduler(), spec.schedulerFlags()));
        if (spec.persistenceTimeoutSeconds() > 0) {
            service.setPersistence(TimeUnit.SECONDS.toNanos(spec.persistenceTimeoutSeconds()),
                    spec.persistenceNetmask());
        }
        if (!spec.localAddresses().isEmpty()) {
            service.setLocalAddresses(pool(spec, worker, workers));
        }
        service.setToa(spec.toa());
        for (RealServerSpec r : spec.realServers()) {
            service.addRealServer(Ipv4.toInt(r.address()), r.port(), r.weight(), r.method());
        }
        return service;
    }

    /** The service's local addresses, sliced for worker {@code worker} of {@code workers}; null when none. */
    static LocalAddressPool pool(ServiceSpec spec, int worker, int workers) {
        if (spec.localAddresses().isEmpty()) {
            return null;
        }
        LocalAddressPool pool = new LocalAddressPool(spec.localAddresses().stream().mapToInt(Ipv4::toInt).toArray());
        return workers == 1 ? pool : pool.slice(
                FlowKey.ownedPorts(LocalAddressPool.FIRST_PORT, LocalAddressPool.LAST_PORT, worker, workers));
    }
}
