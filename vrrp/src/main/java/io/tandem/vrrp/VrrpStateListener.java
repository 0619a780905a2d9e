package io.tandem.vrrp;

/**
 * Told about every state change of an instance, after the new state's entry action
 * ran (VIPs added or removed, advertisement sent). The director, notify scripts and
 * FIFOs implement it. Called on the instance's event loop: must not block.
 */
@FunctionalInterface
public interface VrrpStateListener {
    void stateChanged(VrrpStateChange change);
}
