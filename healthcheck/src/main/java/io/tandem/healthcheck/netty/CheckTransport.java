package io.tandem.healthcheck.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.tandem.healthcheck.config.CheckerOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLException;

/**
 * What the Netty checkers share: the event loop group, the channel types
 * (epoll when available, else NIO), the client TLS context (no certificate
 * verification, as keepalived's SSL_GET) and the executor that runs TLS
 * handshake tasks off the event loop.
 */
public final class CheckTransport {
    private final EventLoopGroup group;
    private final ChannelFactory<? extends SocketChannel> socketChannels;
    private final ChannelFactory<? extends DatagramChannel> datagramChannels;
    private final SslContext sslContext;
    private final Executor tlsTaskExecutor;

    public CheckTransport(EventLoopGroup group, boolean epoll, Executor tlsTaskExecutor) {
        this.group = Objects.requireNonNull(group, "group");
        this.tlsTaskExecutor = Objects.requireNonNull(tlsTaskExecutor, "tlsTaskExecutor");
        if (epoll) {
            socketChannels = EpollSocketChannel::new;
            datagramChannels = EpollDatagramChannel::new;
        } else {
            socketChannels = NioSocketChannel::new;
            datagramChannels = NioDatagramChannel::new;
        }
        try {
            sslContext = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the client TLS context", e);
        }
    }

    /** A transport with its own group of {@code threads} (epoll when available). */
    public static CheckTransport create(int threads, Executor tlsTaskExecutor) {
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        return new CheckTransport(group, epoll, tlsTaskExecutor);
    }

    public EventLoopGroup group() {
        return group;
    }

    public SslContext sslContext() {
        return sslContext;
    }

    public Executor tlsTaskExecutor() {
        return tlsTaskExecutor;
    }

    /** A TCP bootstrap with {@code connect_timeout}; the handler is still to set. */
    public Bootstrap tcp(CheckerOptions options) {
        return new Bootstrap().group(group).channelFactory(socketChannels)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        options.connectTimeout().toMillis()))
                .option(ChannelOption.SO_REUSEADDR, options.bindPort() != 0);
    }

    /** A UDP bootstrap; the handler is still to set. */
    public Bootstrap udp() {
        return new Bootstrap().group(group).channelFactory(datagramChannels);
    }

    /** The local address to bind ({@code bindto}, {@code bind_port}), or null for the kernel's choice. */
    public static InetSocketAddress localAddress(CheckerOptions options) {
        if (options.bindTo() == null && options.bindPort() == 0) {
            return null;
        }
        InetAddress address = options.bindTo();
        return address != null ? new InetSocketAddress(address, options.bindPort())
                : new InetSocketAddress(options.bindPort());
    }
}
