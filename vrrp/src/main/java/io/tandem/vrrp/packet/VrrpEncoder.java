package io.tandem.vrrp.packet;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * Writes an {@link OutboundAdvertisement} as a {@link VrrpDatagram} (TTL 255) for a
 * raw-socket transmitter. The checksum follows RFC 3768 §5.3.8 for v2, RFC 9568 §5.2.8
 * with the IPv6 pseudo-header for v3 over IPv6, and the configured
 * {@link VrrpChecksumMode} for v3 over IPv4.
 */
public final class VrrpEncoder extends MessageToMessageEncoder<OutboundAdvertisement> {
    private final VrrpChecksumMode checksumMode;

    public VrrpEncoder(VrrpChecksumMode checksumMode) {
        super(OutboundAdvertisement.class);
        this.checksumMode = Objects.requireNonNull(checksumMode, "checksumMode");
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, OutboundAdvertisement msg, List<Object> out) {
        VrrpAdvertisement advertisement = msg.advertisement();
        ByteBuf buf = ctx.alloc().buffer(length(advertisement));
        write(advertisement, msg.source(), msg.destination(), checksumMode, buf);
        out.add(new VrrpDatagram(buf, msg.source(), msg.destination(), VrrpConstants.REQUIRED_TTL,
                msg.interfaceName()));
    }

    /** The encoded length of {@code advertisement} in bytes. */
    public static int length(VrrpAdvertisement advertisement) {
        return VrrpConstants.HEADER_LENGTH + advertisement.addresses().size() * advertisement.family().addressLength()
                + (advertisement.version() == VrrpVersion.V2 ? VrrpConstants.AUTH_DATA_LENGTH : 0);
    }

    /** Appends {@code advertisement} to {@code out}, checksum included. */
    public static void write(VrrpAdvertisement advertisement, InetAddress source, InetAddress destination,
                             VrrpChecksumMode checksumMode, ByteBuf out) {
        int base = out.writerIndex();
        VrrpVersion version = advertisement.version();
        out.writeByte(version.wireValue() << 4 | VrrpType.ADVERTISEMENT.wireValue());
        out.writeByte(advertisement.vrid());
        out.writeByte(advertisement.priority());
        out.writeByte(advertisement.addresses().size());
        if (version == VrrpVersion.V3) {
            out.writeShort(advertisement.adverInterval() & VrrpConstants.V3_MAX_ADVER_INT_MASK);
        } else {
            out.writeByte(advertisement.authType().wireValue());
            out.writeByte(advertisement.adverInterval());
        }
        out.writeShort(0); // checksum, filled in below
        for (InetAddress address : advertisement.addresses()) {
            out.writeBytes(address.getAddress());
        }
        if (version == VrrpVersion.V2) {
            out.writeBytes(advertisement.authData());
        }
        int length = out.writerIndex() - base;
        long sum = VrrpChecksum.messageSum(out, base, length);
        boolean pseudoHeader = version == VrrpVersion.V3
                && (advertisement.family() == AddressFamily.IPV6 || checksumMode == VrrpChecksumMode.IPV4_PSEUDO_HEADER);
        if (pseudoHeader) {
            sum += VrrpChecksum.pseudoHeaderSum(source, destination, length);
        }
        out.setShort(base + VrrpConstants.CHECKSUM_OFFSET, VrrpChecksum.compute(sum));
    }
}
