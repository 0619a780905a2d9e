package io.tandem.director.run;

/**
 * The mastership of a configuration without {@code vrrp_instance}: master
 * from start, backup when closed.
 */
public final class StaticMastership implements MastershipSource {
    private Listener listener;

    @Override
    public synchronized void start(Listener newListener) {
        if (listener != null) {
            throw new IllegalStateException("static mastership already started");
        }
        listener = newListener;
        listener.becameMaster();
    }

    @Override
    public synchronized void close() {
        if (listener != null) {
            listener.becameBackup();
            listener = null;
        }
    }
}
