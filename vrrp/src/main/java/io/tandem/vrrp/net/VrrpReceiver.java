package io.tandem.vrrp.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tandem.core.linux.LinuxException;
import io.tandem.core.net.RawSocketIoHandle;
import io.tandem.core.net.ReceivedDatagram;
import io.tandem.vrrp.engine.VrrpAdvertisementDispatcher;
import io.tandem.vrrp.packet.InboundAdvertisement;
import io.tandem.vrrp.packet.RateLimiter;
import io.tandem.vrrp.packet.VrrpConstants;
import io.tandem.vrrp.packet.VrrpDatagram;
import io.tandem.vrrp.packet.VrrpDecoder;
import io.tandem.vrrp.packet.VrrpDropListener;
import io.tandem.vrrp.packet.VrrpDropReason;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one interface's raw VRRP socket receives, on the event loop: the VRRP message
 * (after the IPv4 header an IPv4 raw socket delivers; an IPv6 one delivers the message
 * only), with the TTL / hop limit and the destination from the control messages, goes
 * through the {@link VrrpDecoder}'s wire checks and the {@link VrrpAdvertisementDispatcher}
 * to its instance.
 *
 * <p>A master sends the same advertisement again and again. The last one accepted is
 * kept with its sender, destination and bytes; a datagram identical to it, with hop
 * limit 255, is the same advertisement and is handed on as the one decoded before: in
 * the steady state receiving allocates nothing. Anything else is decoded afresh, so
 * every rejected packet goes through the decoder and is counted by reason. A datagram
 * truncated by the buffer, or an IPv4 one shorter than its header, counts as
 * {@link VrrpDropReason#PACKET_LENGTH}.
 */
public final class VrrpReceiver implements RawSocketIoHandle.Receiver {
    private static final Logger LOG = LoggerFactory.getLogger(VrrpReceiver.class);
    private static final int MAX_MESSAGE = VrrpConstants.HEADER_LENGTH + 255 * 16 + VrrpConstants.AUTH_DATA_LENGTH;
    private static final int IPV4_MIN_HEADER = 20;

    private final String interfaceName;
    private final boolean ipv4;
    private final InetAddress group;
    private final VrrpDecoder decoder;
    private final VrrpAdvertisementDispatcher dispatcher;
    private final VrrpDropListener drops;
    private final RateLimiter errorLog = new RateLimiter(TimeUnit.SECONDS.toNanos(10), System::nanoTime);
    private final byte[] scratch = new byte[16];
    private final MemorySegment lastBytes = Arena.ofAuto().allocate(MAX_MESSAGE, 8);
    private final byte[] lastSender = new byte[16];
    private final byte[] lastDestination = new byte[16];
    private int lastLength = -1;
    private int lastAddressLength;
    private InboundAdvertisement last;
    private MemorySegment viewed;
    private ByteBuf view;

    /**
     * @param group the multicast group joined, the destination assumed when the kernel gave none
     */
    public VrrpReceiver(String interfaceName, InetAddress group, VrrpDecoder decoder,
            VrrpAdvertisementDispatcher dispatcher, VrrpDropListener drops) {
        this.interfaceName = interfaceName;
        this.ipv4 = group.getAddress().length == 4;
        this.group = group;
        this.decoder = decoder;
        this.dispatcher = dispatcher;
        this.drops = drops;
    }

    @Override
    public void received(MemorySegment buffer, ReceivedDatagram datagram) {
        if (datagram.truncated() || (ipv4 && datagram.length() < IPV4_MIN_HEADER)) {
            drops.dropped(VrrpDropReason.PACKET_LENGTH, interfaceName, 0);
            return;
        }
        int offset = datagram.payloadOffset();
        int length = datagram.payloadLength();
        if (datagram.hopLimit() == VrrpConstants.REQUIRED_TTL && isLast(buffer, offset, length, datagram)) {
            dispatcher.dispatch(last);
            return;
        }
        InboundAdvertisement advertisement = decode(buffer, offset, length, datagram);
        if (advertisement != null) {
            remember(buffer, offset, length, datagram, advertisement);
            dispatcher.dispatch(advertisement);
        }
    }

    @Override
    public void receiveFailed(LinuxException e) {
        if (errorLog.tryAcquire()) {
            LOG.warn("receiving VRRP on {} failed: {}; {} more suppressed", interfaceName, e.getMessage(),
                    errorLog.drainSuppressed());
        }
    }

    private InboundAdvertisement decode(MemorySegment buffer, int offset, int length, ReceivedDatagram datagram) {
        if (viewed != buffer) {
            viewed = buffer;
            view = Unpooled.wrappedBuffer(buffer.asByteBuffer());
        }
        view.setIndex(offset, offset + length);
        InetAddress destination = datagram.destinationKnown() ? datagram.destination() : group;
        // an unknown hop limit (no control message) is checked as 0: never 255
        VrrpDatagram vrrp = new VrrpDatagram(view, datagram.sender(), destination, Math.max(0, datagram.hopLimit()),
                interfaceName);
        return decoder.decode(vrrp); // the view is this receiver's, never released
    }

    private boolean isLast(MemorySegment buffer, int offset, int length, ReceivedDatagram datagram) {
        if (length != lastLength) {
            return false;
        }
        int n = datagram.copySender(scratch);
        if (n != lastAddressLength || !Arrays.equals(scratch, 0, n, lastSender, 0, n)) {
            return false;
        }
        if (datagram.copyDestination(scratch) != n || !Arrays.equals(scratch, 0, n, lastDestination, 0, n)) {
            return false;
        }
        return MemorySegment.mismatch(buffer, offset, offset + length, lastBytes, 0, length) == -1;
    }

    private void remember(MemorySegment buffer, int offset, int length, ReceivedDatagram datagram,
            InboundAdvertisement advertisement) {
        if (!datagram.destinationKnown() || length > MAX_MESSAGE) {
            lastLength = -1;
            return;
        }
        MemorySegment.copy(buffer, offset, lastBytes, 0, length);
        lastAddressLength = datagram.copySender(lastSender);
        datagram.copyDestination(lastDestination);
        lastLength = length;
        last = advertisement;
    }
}
