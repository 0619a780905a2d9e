package io.tandem.healthcheck.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
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
import java.net.SocketAddress;
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

    /**
     * A new TCP channel, not registered yet: add its handlers, then {@link #connect} it. With
     * {@code connectTimeout} the kernel connect is bounded by {@code connect_timeout}; without, the
     * caller bounds the whole attempt itself ({@link ProbeAttempt}) and no second timer is armed.
     * Channels are made directly rather than through a {@code Bootstrap}, which copies its options and
     * adds and removes an initializer for every connection.
     */
    public Channel tcpChannel(CheckerOptions options, boolean connectTimeout) {
        SocketChannel ch = socketChannels.newChannel();
        ch.config().setConnectTimeoutMillis(connectTimeout
                ? (int) Math.min(Integer.MAX_VALUE, Math.max(1, options.connectTimeout().toMillis())) : 0);
        if (options.bindPort() != 0) {
            ch.config().setOption(ChannelOption.SO_REUSEADDR, true);
        }
        return ch;
    }

    /** A new UDP channel, not registered yet: add its handlers, then {@link #connect} it. */
    public Channel udpChannel() {
        return datagramChannels.newChannel();
    }

    /**
     * Registers {@code ch} with the group and connects it to {@code remote} from {@code local} (null: the
     * kernel's choice). The future fails, and the channel is closed, if either step fails. The addresses
     * are resolved already (the configuration holds IP addresses), so nothing is looked up.
     */
    public ChannelFuture connect(Channel ch, SocketAddress remote, SocketAddress local) {
        ChannelFuture registered = group.register(ch);
        if (registered.isDone()) {
            return connectRegistered(registered, remote, local);
        }
        ChannelPromise connected = ch.newPromise();
        registered.addListener((ChannelFuture f) -> connectRegistered(f, remote, local).addListener(
                (ChannelFuture c) -> {
                    if (c.isSuccess()) {
                        connected.trySuccess();
                    } else {
                        connected.tryFailure(c.cause());
                    }
                }));
        return connected;
    }

    private static ChannelFuture connectRegistered(ChannelFuture registered, SocketAddress remote,
            SocketAddress local) {
        Channel ch = registered.channel();
        if (!registered.isSuccess()) {
            if (ch.isRegistered()) {
                ch.close();
            } else {
                ch.unsafe().closeForcibly();
            }
            return registered;
        }
        return local == null ? ch.connect(remote) : ch.connect(remote, local);
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
