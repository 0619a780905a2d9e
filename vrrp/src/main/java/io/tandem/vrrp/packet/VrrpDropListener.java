package io.tandem.vrrp.packet;

/** Told about each discarded packet, so it can be counted. Called on the event loop; must not block. */
@FunctionalInterface
public interface VrrpDropListener {
    /**
     * @param reason        why
     * @param interfaceName the receiving interface
     * @param vrid          the packet's Virtual Rtr ID, or 0 when the packet was too short to hold one
     */
    void dropped(VrrpDropReason reason, String interfaceName, int vrid);
}
