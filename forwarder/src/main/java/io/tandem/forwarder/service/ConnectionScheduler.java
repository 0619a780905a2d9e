package io.tandem.forwarder.service;

import io.tandem.forwarder.conn.ConnectionTable;
import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.sched.Scheduler;

/**
 * Places the first packet of a new flow (IPVS's {@code ip_vs_schedule} and
 * {@code ip_vs_sched_persist}): a persistent service first looks for the
 * client network's template and keeps its real server while that server is
 * still present (drained or not, as IPVS does without
 * {@code expire_quiescent_template}); otherwise the scheduler chooses. Then
 * the connection entry is made, with a FULLNAT source when the real server
 * is FULLNAT. Failures are counted, never thrown. Allocation-free.
 */
public final class ConnectionScheduler {
    /** {@link #lastFailure()}: no real server was available. */
    public static final int NO_DESTINATION = 1;
    /** {@link #lastFailure()}: the connection table was full. */
    public static final int TABLE_FULL = 2;
    /** {@link #lastFailure()}: FULLNAT found no free local address and port. */
    public static final int NO_LOCAL_PORT = 3;

    private final ConnectionTable table;
    private int lastFailure;
    private long noDestination;
    private long tableFull;
    private long noLocalPort;

    public ConnectionScheduler(ConnectionTable table) {
        this.table = table;
    }

    /** The new connection's id, or {@link ConnectionTable#NONE} when the flow cannot be placed. */
    public int schedule(VirtualService service, int clientAddr, int clientPort, long now) {
        int slot = Scheduler.NONE;
        int template = ConnectionTable.NONE;
        int masked = clientAddr & service.persistenceMask();
        if (service.persistent()) {
            template = table.lookupTemplate(masked, service.address(), service.port(), now);
            if (template != ConnectionTable.NONE) {
                int d = table.destination(template);
                if (table.service(template) != service.id() || d >= service.destinations().size()
                        || service.destinations().isRemoved(d) || service.destAddress(d) != table.destAddr(template)
                        || service.destPort(d) != table.destPort(template)) {
                    // its real server is gone (the slot may even hold another one now), or the template
                    // was made for an earlier service at this address that was removed
                    table.remove(template);
                    template = ConnectionTable.NONE;
                } else {
                    slot = d;
                }
            }
        }
        if (slot == Scheduler.NONE) {
            slot = service.scheduler().select(service.destinations(), clientAddr, clientPort, service.address());
            if (slot == Scheduler.NONE) {
                noDestination++;
                lastFailure = NO_DESTINATION;
                return ConnectionTable.NONE;
            }
        }
        int destAddr = service.destAddress(slot);
        int destPort = service.destPort(slot);
        ForwardMethod method = service.destMethod(slot);
        int localAddr = clientAddr;
        int localPort = clientPort;
        if (method == ForwardMethod.FULLNAT) {
            long local = service.localAddresses().allocate(table, service.protocol(), destAddr, destPort, now);
            if (local < 0) {
                noLocalPort++;
                lastFailure = NO_LOCAL_PORT;
                return ConnectionTable.NONE;
            }
            localAddr = (int) (local >>> 32);
            localPort = (int) local;
        }
        if (service.persistent() && template == ConnectionTable.NONE) {
            template = table.createTemplate(masked, service.address(), service.port(), destAddr, destPort,
                    service.id(), slot, service.persistenceTimeoutNanos(), now);
        }
        int id = table.create(service.protocol(), clientAddr, clientPort, service.address(), service.port(),
                destAddr, destPort, localAddr, localPort, method, service.id(), slot, template, now);
        if (id == ConnectionTable.NONE) {
            tableFull++;
            lastFailure = TABLE_FULL;
        } else {
            service.stats().connection(slot);
        }
        return id;
    }

    /** Why the last {@link #schedule} returned NONE: {@link #NO_DESTINATION}, {@link #TABLE_FULL} or {@link #NO_LOCAL_PORT}. */
    public int lastFailure() {
        return lastFailure;
    }

    /** New flows dropped because no real server was available. */
    public long noDestination() {
        return noDestination;
    }

    /** New flows dropped because the connection table was full. */
    public long tableFull() {
        return tableFull;
    }

    /** New FULLNAT flows dropped because every local address and port was taken. */
    public long noLocalPort() {
        return noLocalPort;
    }
}
