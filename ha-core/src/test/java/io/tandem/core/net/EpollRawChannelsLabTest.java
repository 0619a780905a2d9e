package io.tandem.core.net;

import static io.tandem.core.net.RawIpSocketLabTest.WAIT_MILLIS;
import static io.tandem.core.net.RawIpSocketLabTest.advert;
import static io.tandem.core.net.RawIpSocketLabTest.open;
import static io.tandem.core.net.RawIpSocketLabTest.receiveWithin;
import static io.tandem.core.net.VethLab.A4;
import static io.tandem.core.net.VethLab.A6_LINK_LOCAL;
import static io.tandem.core.net.VethLab.B4;
import static io.tandem.core.net.VethLab.B6_LINK_LOCAL;
import static io.tandem.core.net.VethLab.VRRP_GROUP_V4;
import static io.tandem.core.net.VethLab.VRRP_GROUP_V6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.tandem.core.lab.LabTest;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Pins that Netty's {@link EpollDatagramChannel}, adopting a raw protocol-112
 * descriptor, reads and writes VRRP-shaped packets between two namespaces.
 */
@LabTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EpollRawChannelsLabTest {
    private VethLab lab;
    private EventLoopGroup group;
    private final MemorySegment buffer = Arena.ofAuto().allocate(2048, 8);
    private final ReceivedDatagram datagram = new ReceivedDatagram();

    @BeforeAll
    void start() throws Exception {
        lab = VethLab.create();
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (group != null) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            }
        } finally {
            if (lab != null) {
                lab.close();
            }
        }
    }

    /** Collects what the channel reads; the test releases each packet. */
    private static final class Collector extends SimpleChannelInboundHandler<DatagramPacket> {
        final BlockingQueue<DatagramPacket> packets = new LinkedBlockingQueue<>();

        Collector() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            packets.add(packet);
        }

        void releaseAll() {
            DatagramPacket p;
            while ((p = packets.poll()) != null) {
                p.release();
            }
        }
    }

    private EpollDatagramChannel register(RawIpSocket socket, Collector collector) throws Exception {
        EpollDatagramChannel channel = EpollRawChannels.adopt(socket);
        channel.pipeline().addLast(collector);
        group.register(channel).sync();
        return channel;
    }

    @Test
    void ipv4ReadsCarryTheHeaderAndWritesReachThePeer() throws Exception {
        RawIpSocket raw = lab.b().call(() -> RawIpSocket.openNonBlocking(IpFamily.IPV4, RawIpSocketLabTest.VRRP));
        raw.joinGroup(VRRP_GROUP_V4, lab.ifB);
        raw.setUnicastHopLimit(255);
        Collector collector = new Collector();
        EpollDatagramChannel channel = register(raw, collector);
        try (RawIpSocket peer = open(lab.a(), IpFamily.IPV4)) {
            peer.setMulticastInterface(lab.ifA);
            peer.setMulticastHopLimit(255);

            peer.send(VRRP_GROUP_V4, advert(21), 0, 12);

            DatagramPacket packet = collector.packets.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            assertThat(packet).as("advert read through the channel").isNotNull();
            try {
                assertThat(packet.sender().getAddress()).isEqualTo(A4);
                assertThat(packet.sender().getPort()).as("raw sockets report port 0").isZero();
                byte[] content = ByteBufUtil.getBytes(packet.content());
                assertThat(content[0]).as("IPv4, IHL 5").isEqualTo((byte) 0x45);
                assertThat(content[8] & 0xFF).as("TTL").isEqualTo(255);
                assertThat(content[9] & 0xFF).as("protocol").isEqualTo(112);
                assertThat(content).containsSequence(VRRP_GROUP_V4.getAddress()); // destination, bytes 16-19
                assertThat(java.util.Arrays.copyOfRange(content, 20, content.length)).containsExactly(advert(21));
            } finally {
                packet.release();
            }

            channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(advert(22)), new InetSocketAddress(A4, 0)))
                    .sync();

            assertThat(receiveWithin(peer, buffer, datagram, WAIT_MILLIS)).as("written advert received").isTrue();
            assertThat(datagram.sender()).isEqualTo(B4);
            assertThat(datagram.hopLimit()).as("IP_TTL set before adoption still applies").isEqualTo(255);
            assertThat(payload()).containsExactly(advert(22));
        } finally {
            channel.close().sync();
            collector.releaseAll();
        }
    }

    @Test
    void ipv6ReadsThePayloadFromTheLinkLocalSenderAndWritesReachThePeer() throws Exception {
        RawIpSocket raw = lab.b().call(() -> RawIpSocket.openNonBlocking(IpFamily.IPV6, RawIpSocketLabTest.VRRP));
        int ifindexB = raw.interfaceIndex(lab.ifB);
        raw.joinGroup(VRRP_GROUP_V6, ifindexB);
        raw.setMulticastInterface(ifindexB);
        raw.setMulticastHopLimit(255);
        Collector collector = new Collector();
        EpollDatagramChannel channel = register(raw, collector);
        try (RawIpSocket peer = open(lab.a(), IpFamily.IPV6)) {
            peer.joinGroup(VRRP_GROUP_V6, lab.ifA);
            peer.setMulticastInterface(lab.ifA);
            peer.setMulticastHopLimit(255);
            peer.setMulticastLoop(false); // the peer is a member: it must hear the channel, not itself

            peer.send(VRRP_GROUP_V6, advert(23), 0, 12);

            DatagramPacket packet = collector.packets.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            assertThat(packet).as("advert read through the channel").isNotNull();
            try {
                assertThat(packet.sender().getAddress().getAddress()).isEqualTo(A6_LINK_LOCAL.getAddress());
                assertThat(((Inet6Address) packet.sender().getAddress()).getScopeId()).isEqualTo(ifindexB);
                assertThat(packet.sender().getPort()).as("raw sockets report port 0").isZero();
                assertThat(ByteBufUtil.getBytes(packet.content())).as("no IPv6 header").containsExactly(advert(23));
            } finally {
                packet.release();
            }

            ChannelFuture wrongPort = channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(advert(24)),
                    new InetSocketAddress(VRRP_GROUP_V6, 7))).await();
            assertThat(wrongPort.cause()).as("IPv6 raw sendto with a port other than 0 or the protocol")
                    .hasMessageContaining("Invalid argument");
            channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(advert(24)),
                    new InetSocketAddress(VRRP_GROUP_V6, 0))).sync();

            assertThat(receiveWithin(peer, buffer, datagram, WAIT_MILLIS)).as("written advert received").isTrue();
            assertThat(datagram.isFrom(B6_LINK_LOCAL)).as("sender %s", datagram.sender()).isTrue();
            assertThat(datagram.destination()).isEqualTo(VRRP_GROUP_V6);
            assertThat(datagram.hopLimit()).isEqualTo(255);
            assertThat(payload()).containsExactly(advert(24));
        } finally {
            channel.close().sync();
            collector.releaseAll();
        }
    }

    @Test
    void refusesABlockingSocket() throws Exception {
        try (RawIpSocket blocking = open(lab.b(), IpFamily.IPV4)) {
            assertThatThrownBy(() -> EpollRawChannels.adopt(blocking))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("blocking socket: RawIpSocket[IPV4, protocol 112");
            assertThat(blocking.isOpen()).as("still owned by the caller").isTrue();
        }
    }

    private byte[] payload() {
        return buffer.asSlice(datagram.payloadOffset(), datagram.payloadLength()).toArray(ValueLayout.JAVA_BYTE);
    }
}
