package io.tandem.director.run;

/**
 * Who decides whether this director forwards: VRRP in a pair, or nobody
 * (static mode, master from the start). The director subscribes once, before
 * anything is forwarded, and is told of every change in order.
 */
public interface MastershipSource extends AutoCloseable {
    /** Receives mastership changes; each call may come from the source's own thread. */
    interface Listener {
        /** This node now holds the VIPs: forward. */
        void becameMaster();

        /** Another node holds the VIPs (or this one is stopping): stop forwarding. */
        void becameBackup();
    }

    /** Starts the source; {@code listener} hears every state change from now on. */
    void start(Listener listener) throws Exception;

    /** Starts the source with the director's meter registry, for sources that publish metrics. */
    default void start(Listener listener, io.micrometer.core.instrument.MeterRegistry registry) throws Exception {
        start(listener);
    }

    /**
     * Each VRRP instance's state as the source last heard it (instance name to {@code INIT}, {@code BACKUP},
     * {@code MASTER}, {@code FAULT}); empty when there are no instances (static mode).
     */
    default java.util.Map<String, String> instanceStates() {
        return java.util.Map.of();
    }

    /**
     * The epoch of the mastership this node holds, when a fence (ZooKeeper) grants it: carried in the
     * connection sync; {@code ConnectionSync.NOT_FENCED} (the default) lets the sync choose.
     */
    default long fencedEpoch() {
        return io.tandem.forwarder.sync.ConnectionSync.NOT_FENCED;
    }

    /** A reload the source has checked and worked out ({@link #prepareReload}); nothing changed yet. */
    interface Reload {
        /** Nothing to do: the source's part of the file is unchanged. */
        Reload NONE = new Reload() {
            @Override
            public boolean changesNothing() {
                return true;
            }

            @Override
            public String summary() {
                return "mastership unchanged";
            }

            @Override
            public void apply() {
            }
        };

        boolean changesNothing();

        /** What {@link #apply} will change, for the reload's log line. */
        String summary();

        void apply() throws Exception;
    }

    /**
     * Checks {@code next} against the running configuration and works out what a reload would
     * change, without changing anything.
     *
     * @throws IllegalArgumentException naming what is wrong ({@code file:line}) or cannot be reloaded
     */
    default Reload prepareReload(io.tandem.core.config.model.KeepalivedConfig next) throws Exception {
        return Reload.NONE;
    }

    @Override
    void close();
}
