package io.tandem.forwarder.engine;

import io.tandem.forwarder.sched.Schedulers;
import io.tandem.forwarder.service.LocalAddressPool;
import io.tandem.forwarder.service.VirtualService;
import java.util.concurrent.TimeUnit;

/** Turns a {@link ServiceSpec} into the data path's {@link VirtualService}. */
final class ServiceBuilder {
    private ServiceBuilder() {
    }

    static VirtualService build(int id, ServiceSpec spec) {
        VirtualService service = new VirtualService(id, spec.protocol(), Ipv4.toInt(spec.address()), spec.port(),
                Schedulers.create(spec.scheduler(), spec.schedulerFlags()));
        if (spec.persistenceTimeoutSeconds() > 0) {
            service.setPersistence(TimeUnit.SECONDS.toNanos(spec.persistenceTimeoutSeconds()),
                    spec.persistenceNetmask());
        }
        if (!spec.localAddresses().isEmpty()) {
            service.setLocalAddresses(new LocalAddressPool(
                    spec.localAddresses().stream().mapToInt(Ipv4::toInt).toArray()));
        }
        service.setToa(spec.toa());
        for (RealServerSpec r : spec.realServers()) {
            service.addRealServer(Ipv4.toInt(r.address()), r.port(), r.weight(), r.method());
        }
        return service;
    }
}
