package io.tandem.forwarder.service;

import io.tandem.forwarder.conn.DestinationCounters;

/** Keeps each service's destination connection counts in step with the connection table. */
public final class ServiceCounters implements DestinationCounters {
    private final ServiceTable services;

    public ServiceCounters(ServiceTable services) {
        this.services = services;
    }

    @Override
    public void adjust(int service, int destination, int deltaActive, int deltaInactive) {
        VirtualService s = services.get(service);
        if (s != null) {
            s.destinations().adjustConnections(destination, deltaActive, deltaInactive);
        }
    }
}
