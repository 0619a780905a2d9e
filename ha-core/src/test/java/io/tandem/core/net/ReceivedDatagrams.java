package io.tandem.core.net;

import java.net.InetAddress;

/**
 * Test support for modules above ha-core: fills a {@link ReceivedDatagram} as
 * {@link RawIpSocket#receive} would, without a socket.
 */
public final class ReceivedDatagrams {
    private ReceivedDatagrams() {
    }

    /**
     * @param payloadOffset where the payload starts (an IPv4 header's length, or 0 for IPv6)
     * @param length        bytes received, the IPv4 header included
     */
    public static ReceivedDatagram fill(ReceivedDatagram into, InetAddress sender, InetAddress destination,
            int hopLimit, int payloadOffset, int length) {
        into.reset();
        byte[] s = sender.getAddress();
        System.arraycopy(s, 0, into.senderBytes(), 0, s.length);
        into.addressLength(s.length);
        if (destination != null) {
            byte[] d = destination.getAddress();
            System.arraycopy(d, 0, into.destinationBytes(), 0, d.length);
            into.destinationKnown(true);
        }
        into.hopLimit(hopLimit);
        into.payloadOffset(payloadOffset);
        into.length(length);
        return into;
    }

    /** Marks the datagram as cut short by the buffer (MSG_TRUNC). */
    public static ReceivedDatagram truncated(ReceivedDatagram datagram) {
        datagram.truncated(true);
        return datagram;
    }
}
