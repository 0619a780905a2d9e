package io.tandem.vrrp;

import io.tandem.vrrp.packet.VrrpAdvertisement;

/**
 * Sends an instance's advertisements: to the multicast group (224.0.0.18 / ff02::12)
 * or to each unicast peer, from the instance's primary address, TTL / hop limit 255
 * (RFC 9568 §5.1). Implementations encode with
 * {@link io.tandem.vrrp.packet.VrrpEncoder#write} in the instance's checksum mode, and
 * count and log a failed send rather than throw. Called on the instance's event loop.
 */
@FunctionalInterface
public interface AdvertTransmitter {
    void transmit(VrrpAdvertisement advertisement);

    /**
     * Does what {@link #transmit} does short of sending, so that a backup's first
     * advertisement as master, on the takeover path, does not wait for class loading and
     * linking. Sends nothing; the default does nothing.
     */
    default void rehearse(VrrpAdvertisement advertisement) {
    }
}
