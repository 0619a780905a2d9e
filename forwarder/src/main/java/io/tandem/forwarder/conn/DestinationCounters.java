package io.tandem.forwarder.conn;

/**
 * Told when a connection starts or stops counting against a real server, so
 * that schedulers see IPVS's ActiveConn / InActConn figures. Called on the
 * table's owner thread; implementations must not allocate.
 */
@FunctionalInterface
public interface DestinationCounters {
    DestinationCounters NONE = (service, destination, active, inactive) -> { };

    void adjust(int service, int destination, int deltaActive, int deltaInactive);
}
