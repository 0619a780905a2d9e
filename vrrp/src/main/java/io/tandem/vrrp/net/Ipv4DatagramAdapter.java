package io.tandem.vrrp.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.tandem.vrrp.packet.VrrpDatagram;
import io.tandem.vrrp.packet.VrrpDropListener;
import io.tandem.vrrp.packet.VrrpDropReason;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The first handler of an IPv4 VRRP receive pipeline: a raw IPv4 socket hands each
 * packet up with its IP header (RFC 791 §3.1), which this handler takes off, reading
 * the TTL and the addresses that RFC 9568 §7.1 checks, and passes the VRRP message on
 * as a {@link VrrpDatagram}. A packet too short for its own header is counted as
 * {@link VrrpDropReason#PACKET_LENGTH} and released.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |Version|  IHL  |Type of Service|          Total Length         |
 * |         Identification        |Flags|      Fragment Offset    |
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * |                       Source Address                          |
 * |                    Destination Address                        |
 * </pre>
 */
public final class Ipv4DatagramAdapter extends MessageToMessageDecoder<DatagramPacket> {
    static final int MIN_HEADER_LENGTH = 20;
    static final int TTL_OFFSET = 8;
    static final int SOURCE_OFFSET = 12;
    static final int DESTINATION_OFFSET = 16;

    private final String interfaceName;
    private final VrrpDropListener drops;

    public Ipv4DatagramAdapter(String interfaceName, VrrpDropListener drops) {
        super(DatagramPacket.class);
        this.interfaceName = interfaceName;
        this.drops = drops;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, DatagramPacket packet, List<Object> out) {
        ByteBuf in = packet.content();
        int base = in.readerIndex();
        int length = in.readableBytes();
        if (length < MIN_HEADER_LENGTH || (in.getByte(base) & 0xF0) != 0x40) {
            drops.dropped(VrrpDropReason.PACKET_LENGTH, interfaceName, 0);
            return;
        }
        int headerLength = (in.getByte(base) & 0x0F) * 4;
        if (headerLength < MIN_HEADER_LENGTH || headerLength > length) {
            drops.dropped(VrrpDropReason.PACKET_LENGTH, interfaceName, 0);
            return;
        }
        int ttl = in.getUnsignedByte(base + TTL_OFFSET);
        InetAddress source = address(in, base + SOURCE_OFFSET);
        InetAddress destination = address(in, base + DESTINATION_OFFSET);
        ByteBuf message = in.retainedSlice(base + headerLength, length - headerLength);
        out.add(new VrrpDatagram(message, source, destination, ttl, interfaceName));
    }

    private static InetAddress address(ByteBuf in, int offset) {
        byte[] bytes = new byte[4];
        in.getBytes(offset, bytes);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 bytes are always an IPv4 address", e);
        }
    }
}
