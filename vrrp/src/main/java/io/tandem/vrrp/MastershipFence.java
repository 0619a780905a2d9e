package io.tandem.vrrp;

/**
 * A lease outside VRRP that a router must hold to be MASTER: ZooKeeper fencing, so that two
 * routers whose advertisements no longer reach each other cannot both hold the addresses.
 * A lease is named after the sync group (or the lone instance) it guards; the members that are
 * MASTER, or that claim MASTER, {@link #want} it.
 *
 * <p>{@link #holds} and {@link #queued} are called on the VRRP engine's loop and must answer
 * at once; {@link #want} and {@link #unwant} must not block either. The fence tells the engine of
 * every change through the {@link LeaseListener}, from any thread.
 */
public interface MastershipFence {
    /** No fencing (plain VRRP): every lease is always held. */
    MastershipFence NONE = new MastershipFence() {
        @Override
        public boolean holds(String lease) {
            return true;
        }

        @Override
        public boolean queued(String lease) {
            return false;
        }

        @Override
        public void want(String lease, String member) {
        }

        @Override
        public void unwant(String lease, String member) {
        }

        @Override
        public void listen(LeaseListener listener) {
        }

        @Override
        public String toString() {
            return "no fencing";
        }
    };

    /** Told when this router starts or stops holding {@code lease}; any thread. */
    @FunctionalInterface
    interface LeaseListener {
        void leaseChanged(String lease, boolean held, String reason);
    }

    /** Whether this router holds {@code lease} now, so that its members may hold their addresses. */
    boolean holds(String lease);

    /**
     * Whether this router waits in line for {@code lease} in a confirmed session: its claim is known to
     * the other routers, and a claiming instance advertises its priority, so that a lower-priority
     * master steps down and lets the lease go (VRRP's preemption, through the lease).
     */
    boolean queued(String lease);

    /** {@code member} is MASTER or claims it: acquire {@code lease} (once) and keep it. */
    void want(String lease, String member);

    /** {@code member} no longer needs {@code lease}; the last one to go releases it. */
    void unwant(String lease, String member);

    /** Registers the engine's listener (once, before the instances start). */
    void listen(LeaseListener listener);
}
