package io.tandem.healthcheck.support;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** A UDP server on loopback for checker tests, with stop / restart on the same port. */
public final class LoopbackUdpServer implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Supplier<ChannelHandler[]> handlers;
    private InetSocketAddress address;
    private Channel channel;

    private LoopbackUdpServer(Supplier<ChannelHandler[]> handlers) {
        this.handlers = handlers;
    }

    public static LoopbackUdpServer start(String ip, Supplier<ChannelHandler[]> handlers) throws InterruptedException {
        LoopbackUdpServer s = new LoopbackUdpServer(handlers);
        s.bind(new InetSocketAddress(ip, 0));
        return s;
    }

    private void bind(InetSocketAddress at) throws InterruptedException {
        channel = new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(
                new io.netty.channel.ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(handlers.get());
                    }
                }).bind(at).sync().channel();
        address = (InetSocketAddress) channel.localAddress();
    }

    public InetSocketAddress address() {
        return address;
    }

    /**
     * Closes the socket and returns once its port can be bound again, so that a datagram
     * sent to it is answered by ICMP port unreachable. NIO releases a registered channel's
     * socket only at its selector's next select, after Netty's close future has completed.
     */
    public void stop() throws InterruptedException {
        channel.close().sync();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            try (java.net.DatagramSocket probe = new java.net.DatagramSocket(address)) {
                return;
            } catch (java.net.SocketException stillBound) {
                Thread.sleep(5);
            }
        }
        throw new IllegalStateException("loopback UDP server on " + address + " still bound after close");
    }

    public void restart() throws InterruptedException {
        bind(address);
    }

    @Override
    public void close() throws InterruptedException {
        channel.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
}
