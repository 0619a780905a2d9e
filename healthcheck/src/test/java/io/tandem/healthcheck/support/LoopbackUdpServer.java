package io.tandem.healthcheck.support;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** A UDP server on loopback for checker tests, with stop / restart on the same port. */
public final class LoopbackUdpServer implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
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
        channel = new Bootstrap().group(group).channel(EpollDatagramChannel.class).handler(
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

    /** Closes the socket; epoll closes the descriptor before the future completes (NIO defers it to the next select). */
    public void stop() throws InterruptedException {
        channel.close().sync();
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
