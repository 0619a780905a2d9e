package io.tandem.vrrp.packet;

import static io.tandem.vrrp.packet.VrrpConstants.ADDRESSES_OFFSET;
import static io.tandem.vrrp.packet.VrrpConstants.AUTH_DATA_LENGTH;
import static io.tandem.vrrp.packet.VrrpConstants.COUNT_OFFSET;
import static io.tandem.vrrp.packet.VrrpConstants.HEADER_LENGTH;
import static io.tandem.vrrp.packet.VrrpConstants.PRIORITY_OFFSET;
import static io.tandem.vrrp.packet.VrrpConstants.V2_ADVER_INT_OFFSET;
import static io.tandem.vrrp.packet.VrrpConstants.V2_AUTH_TYPE_OFFSET;
import static io.tandem.vrrp.packet.VrrpConstants.V3_MAX_ADVER_INT_MASK;
import static io.tandem.vrrp.packet.VrrpConstants.V3_MAX_ADVER_INT_OFFSET;
import static io.tandem.vrrp.packet.VrrpConstants.VERSION_TYPE_OFFSET;
import static io.tandem.vrrp.packet.VrrpConstants.VRID_OFFSET;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link VrrpDatagram} into an {@link InboundAdvertisement} after the wire
 * checks of RFC 9568 §7.1 and RFC 3768 §7.1, in the RFCs' order:
 * <ol>
 *   <li>TTL / hop limit is 255;</li>
 *   <li>Version is 2 (IPv4 only) or 3;</li>
 *   <li>Type is ADVERTISEMENT;</li>
 *   <li>the length is the header plus Count IPvX Addr addresses (plus 8 bytes of
 *       Authentication Data for v2), and the count is at least 1;</li>
 *   <li>the checksum verifies; a VRRPv3 IPv4 packet is accepted with or without the
 *       IPv4 pseudo-header (RFC 5798 and keepalived vs. RFC 9568 §5.2.8);</li>
 *   <li>the interval is not 0 (RFC 9568 erratum 8301), a v2 Auth Type is 0, 1 or 2,
 *       and the VRID is not 0.</li>
 * </ol>
 * What the packet means (VRID configured here, owner, priority, interval match, address
 * list) is the state machine's business. A packet failing a check is released, reported
 * to the {@link VrrpDropListener} and logged at most once per interval per reason; it is
 * never thrown. Rejections allocate nothing (a v3 IPv4 pseudo-header check aside).
 */
public final class VrrpDecoder extends MessageToMessageDecoder<VrrpDatagram> {
    private static final Logger LOG = LoggerFactory.getLogger(VrrpDecoder.class);
    /** Default minimum time between two log lines for the same reason. */
    public static final long DEFAULT_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final VrrpDropListener drops;
    private final RateLimiter[] logLimiters = new RateLimiter[VrrpDropReason.values().length];

    /** A decoder logging at most once per 10 s per reason, on {@link System#nanoTime()}. */
    public VrrpDecoder(VrrpDropListener drops) {
        this(drops, System::nanoTime, DEFAULT_LOG_INTERVAL_NANOS);
    }

    public VrrpDecoder(VrrpDropListener drops, LongSupplier nanoClock, long logIntervalNanos) {
        super(VrrpDatagram.class);
        this.drops = drops;
        for (int i = 0; i < logLimiters.length; i++) {
            logLimiters[i] = new RateLimiter(logIntervalNanos, nanoClock);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, VrrpDatagram datagram, List<Object> out) {
        InboundAdvertisement advertisement = decode(datagram);
        if (advertisement != null) {
            out.add(advertisement);
        }
    }

    /** Checks and decodes one datagram (does not release it); {@code null} when it is dropped. */
    public InboundAdvertisement decode(VrrpDatagram datagram) {
        ByteBuf buf = datagram.content();
        int base = buf.readerIndex();
        int length = buf.readableBytes();
        String intf = datagram.interfaceName();
        int vrid = length > VRID_OFFSET ? buf.getUnsignedByte(base + VRID_OFFSET) : 0;

        if (datagram.ttl() != VrrpConstants.REQUIRED_TTL) {
            return drop(VrrpDropReason.IP_TTL, datagram, vrid, "ttl", datagram.ttl(), "255");
        }
        if (length < HEADER_LENGTH) {
            return drop(VrrpDropReason.PACKET_LENGTH, datagram, vrid, "length", length, ">= 8");
        }
        int versionType = buf.getUnsignedByte(base + VERSION_TYPE_OFFSET);
        VrrpVersion version = VrrpVersion.fromWire(versionType >>> 4);
        AddressFamily family = datagram.family();
        if (version == null || (version == VrrpVersion.V2 && family != AddressFamily.IPV4)) {
            return drop(VrrpDropReason.VERSION, datagram, vrid, "version", versionType >>> 4,
                    family == AddressFamily.IPV4 ? "2 or 3" : "3");
        }
        if (VrrpType.fromWire(versionType & 0x0F) == null) {
            return drop(VrrpDropReason.INVALID_TYPE, datagram, vrid, "type", versionType & 0x0F, "1");
        }
        int count = buf.getUnsignedByte(base + COUNT_OFFSET);
        if (count == 0) {
            return drop(VrrpDropReason.ADDRESS_LIST, datagram, vrid, "address count", 0, ">= 1");
        }
        int expectedLength = HEADER_LENGTH + count * family.addressLength()
                + (version == VrrpVersion.V2 ? AUTH_DATA_LENGTH : 0);
        if (length != expectedLength) {
            return drop(VrrpDropReason.PACKET_LENGTH, datagram, vrid, "length", length,
                    expectedLength + " for " + count + " addresses");
        }
        if (!checksumVerifies(version, family, datagram, buf, base, length)) {
            return drop(VrrpDropReason.CHECKSUM, datagram, vrid, "checksum",
                    buf.getUnsignedShort(base + VrrpConstants.CHECKSUM_OFFSET), "a valid checksum");
        }
        int interval = version == VrrpVersion.V3
                ? buf.getUnsignedShort(base + V3_MAX_ADVER_INT_OFFSET) & V3_MAX_ADVER_INT_MASK
                : buf.getUnsignedByte(base + V2_ADVER_INT_OFFSET);
        if (interval == 0) {
            return drop(VrrpDropReason.ADVERT_INTERVAL, datagram, vrid, "advert interval", 0, ">= 1");
        }
        VrrpAuthType authType = VrrpAuthType.NO_AUTHENTICATION;
        if (version == VrrpVersion.V2) {
            int authTypeValue = buf.getUnsignedByte(base + V2_AUTH_TYPE_OFFSET);
            authType = VrrpAuthType.fromWire(authTypeValue);
            if (authType == null) {
                return drop(VrrpDropReason.AUTH_INVALID, datagram, vrid, "auth type", authTypeValue, "0, 1 or 2");
            }
        }
        if (vrid == 0) {
            return drop(VrrpDropReason.UNKNOWN_VRID, datagram, vrid, "vrid", 0, "1 ~ 255");
        }

        List<InetAddress> addresses = new ArrayList<>(count);
        int addressLength = family.addressLength();
        for (int i = 0; i < count; i++) {
            byte[] address = new byte[addressLength];
            buf.getBytes(base + ADDRESSES_OFFSET + i * addressLength, address);
            addresses.add(toInetAddress(address));
        }
        byte[] authData = new byte[AUTH_DATA_LENGTH];
        if (version == VrrpVersion.V2) {
            buf.getBytes(base + ADDRESSES_OFFSET + count * addressLength, authData);
        }
        int priority = buf.getUnsignedByte(base + PRIORITY_OFFSET);
        VrrpAdvertisement advertisement =
                new VrrpAdvertisement(version, vrid, priority, interval, addresses, authType, authData);
        return new InboundAdvertisement(advertisement, datagram.source(), intf);
    }

    private static boolean checksumVerifies(VrrpVersion version, AddressFamily family, VrrpDatagram datagram,
                                            ByteBuf buf, int base, int length) {
        long messageSum = VrrpChecksum.messageSum(buf, base, length);
        if (version == VrrpVersion.V2) {
            return VrrpChecksum.verifies(messageSum);
        }
        if (family == AddressFamily.IPV4 && VrrpChecksum.verifies(messageSum)) {
            return true; // RFC 9568 §5.2.8 form (keepalived v3_checksum_as_v2)
        }
        long pseudo = VrrpChecksum.pseudoHeaderSum(datagram.source(), datagram.destination(), length);
        return VrrpChecksum.verifies(messageSum + pseudo);
    }

    private static InetAddress toInetAddress(byte[] address) {
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    private InboundAdvertisement drop(VrrpDropReason reason, VrrpDatagram datagram, int vrid,
                                      String field, int value, String expected) {
        drops.dropped(reason, datagram.interfaceName(), vrid);
        RateLimiter limiter = logLimiters[reason.ordinal()];
        if (limiter.tryAcquire() && LOG.isWarnEnabled()) {
            LOG.warn("dropped VRRP packet from {} on {} (vrid {}): {}: invalid {}: {} (expected: {}); {} more suppressed",
                    datagram.source().getHostAddress(), datagram.interfaceName(), vrid, reason, field, value,
                    expected, limiter.drainSuppressed());
        }
        return null;
    }
}
