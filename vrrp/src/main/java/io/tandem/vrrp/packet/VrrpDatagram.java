package io.tandem.vrrp.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A VRRP message as a raw socket hands it over: the VRRP payload (from the
 * Version/Type byte to the end, IP header removed), the IP source and destination,
 * the TTL (IPv4 header) or hop limit (IPv6 ancillary data) and the receiving interface.
 * It is also what {@link VrrpEncoder} hands to a transmitter. Owns its buffer.
 */
public final class VrrpDatagram extends DefaultByteBufHolder {
    private final InetAddress source;
    private final InetAddress destination;
    private final int ttl;
    private final String interfaceName;

    /**
     * @param content       the VRRP message; this object takes over the reference
     * @param source        IP source address (the sender's primary address)
     * @param destination   IP destination (multicast group or a unicast address)
     * @param ttl           IPv4 TTL or IPv6 hop limit, 0 ~ 255
     * @param interfaceName the interface the packet arrived on or leaves from
     */
    public VrrpDatagram(ByteBuf content, InetAddress source, InetAddress destination, int ttl, String interfaceName) {
        super(content);
        this.source = Objects.requireNonNull(source, "source");
        this.destination = Objects.requireNonNull(destination, "destination");
        if (ttl < 0 || ttl > 255) {
            throw new IllegalArgumentException("invalid ttl: " + ttl + " (expected: 0 ~ 255)");
        }
        if (AddressFamily.of(source) != AddressFamily.of(destination)) {
            throw new IllegalArgumentException("invalid destination: " + destination.getHostAddress()
                    + " (expected: same family as source " + source.getHostAddress() + ")");
        }
        this.ttl = ttl;
        this.interfaceName = Objects.requireNonNull(interfaceName, "interfaceName");
    }

    public InetAddress source() {
        return source;
    }

    public InetAddress destination() {
        return destination;
    }

    /** IPv4 TTL or IPv6 hop limit. */
    public int ttl() {
        return ttl;
    }

    public String interfaceName() {
        return interfaceName;
    }

    public AddressFamily family() {
        return AddressFamily.of(source);
    }

    @Override
    public VrrpDatagram replace(ByteBuf content) {
        return new VrrpDatagram(content, source, destination, ttl, interfaceName);
    }

    @Override
    public VrrpDatagram copy() {
        return replace(content().copy());
    }

    @Override
    public VrrpDatagram duplicate() {
        return replace(content().duplicate());
    }

    @Override
    public VrrpDatagram retainedDuplicate() {
        return replace(content().retainedDuplicate());
    }

    @Override
    public VrrpDatagram retain() {
        super.retain();
        return this;
    }

    @Override
    public VrrpDatagram retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public VrrpDatagram touch() {
        super.touch();
        return this;
    }

    @Override
    public VrrpDatagram touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return "VrrpDatagram(" + source.getHostAddress() + " -> " + destination.getHostAddress()
                + ", ttl=" + ttl + ", if=" + interfaceName + ", " + content().readableBytes() + " bytes)";
    }
}
