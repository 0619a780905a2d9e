package io.tandem.core.netlink;

/** Receives the events of {@link RtNetlinkEvents}, on its thread. */
@FunctionalInterface
public interface NetlinkListener {
    void onEvent(NetlinkEvent event);
}
