package io.tandem.core.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * What {@link RawIpSocket#receive} learnt about the last datagram: its length,
 * sender, the TTL / hop limit it arrived with, the interface and destination
 * address. One instance is filled again for every packet; filling it
 * allocates nothing. Only {@link #sender()} and {@link #destination()} build
 * objects, for the control path.
 *
 * <p>An IPv4 raw socket receives the IP header in front of the payload
 * (raw(7)); {@link #payloadOffset()} says where the payload starts. An IPv6 raw
 * socket receives the payload only, so the hop limit is known solely from the
 * {@code IPV6_HOPLIMIT} control message (RFC 3542 §6.3).
 */
public final class ReceivedDatagram {
    /** {@link #hopLimit()} when the kernel sent no TTL / hop-limit control message. */
    public static final int UNKNOWN_HOP_LIMIT = -1;

    private final byte[] sender = new byte[16];
    private final byte[] destination = new byte[16];
    private int addressLength;
    private int senderScopeId;
    private boolean destinationKnown;
    private int length;
    private int payloadOffset;
    private int hopLimit;
    private int interfaceIndex;
    private boolean truncated;
    private boolean controlTruncated;

    /** Forgets the previous datagram. */
    void reset() {
        addressLength = 0;
        senderScopeId = 0;
        destinationKnown = false;
        length = 0;
        payloadOffset = 0;
        hopLimit = UNKNOWN_HOP_LIMIT;
        interfaceIndex = 0;
        truncated = false;
        controlTruncated = false;
    }

    byte[] senderBytes() {
        return sender;
    }

    byte[] destinationBytes() {
        return destination;
    }

    void addressLength(int addressLength) {
        this.addressLength = addressLength;
    }

    void senderScopeId(int scopeId) {
        this.senderScopeId = scopeId;
    }

    void destinationKnown(boolean known) {
        this.destinationKnown = known;
    }

    void length(int length) {
        this.length = length;
    }

    void payloadOffset(int payloadOffset) {
        this.payloadOffset = payloadOffset;
    }

    void hopLimit(int hopLimit) {
        this.hopLimit = hopLimit;
    }

    void interfaceIndex(int interfaceIndex) {
        this.interfaceIndex = interfaceIndex;
    }

    void truncated(boolean truncated) {
        this.truncated = truncated;
    }

    void controlTruncated(boolean controlTruncated) {
        this.controlTruncated = controlTruncated;
    }

    /** Bytes written into the receive buffer (IPv4: header included). */
    public int length() {
        return length;
    }

    /** Where the payload starts in the buffer: the IPv4 header length (IHL * 4), or 0 for IPv6. */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** Bytes of payload: {@link #length()} minus {@link #payloadOffset()}. */
    public int payloadLength() {
        return length - payloadOffset;
    }

    /** The TTL (IPv4) or hop limit (IPv6) the datagram arrived with, or {@link #UNKNOWN_HOP_LIMIT}. */
    public int hopLimit() {
        return hopLimit;
    }

    /** The index of the interface it arrived on, or 0 when no packet-info control message came. */
    public int interfaceIndex() {
        return interfaceIndex;
    }

    /** True when the datagram was longer than the buffer and its tail was dropped (MSG_TRUNC). */
    public boolean truncated() {
        return truncated;
    }

    /** True when control messages were lost for lack of room (MSG_CTRUNC). */
    public boolean controlTruncated() {
        return controlTruncated;
    }

    /** 4 for an IPv4 datagram, 16 for IPv6. */
    public int addressLength() {
        return addressLength;
    }

    /** Copies the sender's address bytes (network order) into {@code dst}; returns 4 or 16. Allocates nothing. */
    public int copySender(byte[] dst) {
        System.arraycopy(sender, 0, dst, 0, addressLength);
        return addressLength;
    }

    /** Whether the packet info told the destination address. */
    public boolean destinationKnown() {
        return destinationKnown;
    }

    /**
     * Copies the destination address bytes (network order) into {@code dst}; returns 4 or 16,
     * or 0 when the destination is not known. Allocates nothing.
     */
    public int copyDestination(byte[] dst) {
        if (!destinationKnown) {
            return 0;
        }
        System.arraycopy(destination, 0, dst, 0, addressLength);
        return addressLength;
    }

    /** The sender's IPv4 address as a big-endian int, for allocation-free comparison; 0 for IPv6. */
    public int senderIpv4() {
        if (addressLength != 4) {
            return 0;
        }
        return (sender[0] & 0xFF) << 24 | (sender[1] & 0xFF) << 16 | (sender[2] & 0xFF) << 8 | sender[3] & 0xFF;
    }

    /** True when the datagram came from {@code address} (the scope id is not compared). Allocates a copy of its bytes. */
    public boolean isFrom(InetAddress address) {
        byte[] other = address.getAddress();
        return other.length == addressLength && Arrays.equals(sender, 0, addressLength, other, 0, addressLength);
    }

    /** The sender; an IPv6 link-local sender carries the arrival interface as its scope id. Allocates. */
    public InetAddress sender() {
        return toAddress(sender, senderScopeId);
    }

    /** The destination address from the IP header (a multicast group or a local unicast address), or null. */
    public InetAddress destination() {
        return destinationKnown ? toAddress(destination, 0) : null;
    }

    private InetAddress toAddress(byte[] source, int scopeId) {
        if (addressLength == 0) {
            throw new IllegalStateException("no datagram received yet");
        }
        byte[] bytes = Arrays.copyOf(source, addressLength);
        try {
            return scopeId != 0 ? Inet6Address.getByAddress(null, bytes, scopeId) : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("address of " + addressLength + " bytes rejected", e);
        }
    }

    @Override
    public String toString() {
        return addressLength == 0 ? "ReceivedDatagram[none]"
                : "ReceivedDatagram[from " + sender().getHostAddress() + ", to "
                        + (destinationKnown ? destination().getHostAddress() : "?") + ", length " + length
                        + ", hopLimit " + hopLimit + ", ifindex " + interfaceIndex + (truncated ? ", truncated" : "")
                        + "]";
    }
}
