package io.tandem.healthcheck;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What the health checker tells the director. Real-server events name the
 * service (its configured key) and the real server's address; the director
 * turns them into weight changes, removals and sorry-server switches.
 */
public sealed interface HealthEvent {

    String service();

    /** What to do with a real server that failed (keepalived {@code inhibit_on_failure}). */
    enum Disposition {
        /** Keep it with weight 0: existing flows continue, new ones go elsewhere. */
        DRAIN,
        /** Remove it from the service. */
        REMOVE
    }

    /** All checkers of the real server pass: (re)add it with {@code weight}. */
    record RealServerUp(String service, InetSocketAddress realServer, int weight) implements HealthEvent {
        public RealServerUp {
            Objects.requireNonNull(service);
            Objects.requireNonNull(realServer);
        }
    }

    /** A checker of the real server failed. */
    record RealServerDown(String service, InetSocketAddress realServer, Disposition disposition)
            implements HealthEvent {
        public RealServerDown {
            Objects.requireNonNull(service);
            Objects.requireNonNull(realServer);
            Objects.requireNonNull(disposition);
        }
    }

    /** A live real server's weight changed ({@code misc_dynamic}). */
    record RealServerWeightChanged(String service, InetSocketAddress realServer, int oldWeight, int newWeight)
            implements HealthEvent {
        public RealServerWeightChanged {
            Objects.requireNonNull(service);
            Objects.requireNonNull(realServer);
        }
    }

    /** The live weight fell below the quorum; switch to {@code sorryServer} when not null. */
    record QuorumLost(String service, long liveWeight, InetSocketAddress sorryServer) implements HealthEvent {
        public QuorumLost {
            Objects.requireNonNull(service);
        }
    }

    /** The live weight reached the quorum again; leave the sorry server. */
    record QuorumRegained(String service, long liveWeight) implements HealthEvent {
        public QuorumRegained {
            Objects.requireNonNull(service);
        }
    }
}
