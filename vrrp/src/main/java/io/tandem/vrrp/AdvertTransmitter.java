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
}
