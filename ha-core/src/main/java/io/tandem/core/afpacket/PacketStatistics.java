package io.tandem.core.afpacket;

/**
 * A socket's {@code PACKET_STATISTICS} since the previous read ({@code struct
 * tpacket_stats}); reading resets the kernel's counters.
 *
 * @param packets frames that reached the socket, dropped ones included
 * @param drops frames dropped because the ring or the receive buffer was full
 */
public record PacketStatistics(long packets, long drops) {
}
