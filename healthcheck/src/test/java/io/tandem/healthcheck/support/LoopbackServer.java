package io.tandem.healthcheck.support;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP server on loopback for checker tests, with a behaviour that can be
 * swapped while it runs, optional TLS (recording the SNI name), and stop /
 * restart on the same port.
 */
public final class LoopbackServer implements AutoCloseable {

    /** What the server does on a connection. */
    public interface Behaviour {
        default void active(ChannelHandlerContext ctx) {
        }

        default void read(ChannelHandlerContext ctx, ByteBuf data) {
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final InetSocketAddress address;
    private final SslContext ssl;
    public volatile Behaviour behaviour;
    public volatile String lastRequest = "";
    public volatile String lastSni;
    public final AtomicLong bytesSent = new AtomicLong();
    private Channel server;

    private LoopbackServer(InetSocketAddress address, SslContext ssl, Behaviour behaviour) {
        this.address = address;
        this.ssl = ssl;
        this.behaviour = behaviour;
    }

    public static LoopbackServer start(String ip, SslContext ssl, Behaviour behaviour) throws InterruptedException {
        LoopbackServer s = new LoopbackServer(new InetSocketAddress(ip, 0), ssl, behaviour);
        s.bind(s.address);
        return s;
    }

    private void bind(InetSocketAddress at) throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast(new SniHandler(host -> {
                                lastSni = host;
                                return ssl;
                            }));
                        }
                        ch.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
                            private final StringBuilder request = new StringBuilder();

                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                if (ssl == null) {
                                    behaviour.active(ctx);
                                }
                            }

                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                if (evt instanceof io.netty.handler.ssl.SslHandshakeCompletionEvent e && e.isSuccess()) {
                                    behaviour.active(ctx);
                                }
                            }

                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                if (request.length() < 8192) {
                                    request.append(msg.toString(StandardCharsets.ISO_8859_1));
                                    lastRequest = request.toString();
                                }
                                behaviour.read(ctx, msg);
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close();
                            }
                        });
                    }
                }).bind(at).sync().channel();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    public int port() {
        return address().getPort();
    }

    /** Closes the listener; epoll closes the descriptor before the future completes (NIO defers it to the next select). */
    public void stop() throws InterruptedException {
        server.close().sync();
    }

    public void restart() throws InterruptedException {
        bind(new InetSocketAddress(address.getAddress(), port()));
    }

    /** Writes {@code text} and counts it. */
    public void send(ChannelHandlerContext ctx, String text, boolean close) {
        ByteBuf buf = Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
        bytesSent.addAndGet(buf.readableBytes());
        var f = ctx.writeAndFlush(buf);
        if (close) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    // ---- HTTP behaviours ----

    /** Answers a complete request with {@code status} and {@code body}, then closes. */
    public Behaviour http(int status, String body) {
        return new Behaviour() {
            @Override
            public void read(ChannelHandlerContext ctx, ByteBuf data) {
                if (lastRequest.contains("\r\n\r\n")) {
                    send(ctx, "HTTP/1.0 " + status + " X\r\nContent-Length: " + body.length() + "\r\n\r\n" + body,
                            true);
                }
            }
        };
    }

    /** Accepts and never answers. */
    public static Behaviour silent() {
        return new Behaviour() { };
    }

    /** Answers with bytes that are not HTTP. */
    public Behaviour garbage() {
        return new Behaviour() {
            @Override
            public void read(ChannelHandlerContext ctx, ByteBuf data) {
                send(ctx, "\u0001\u0002 NOT HTTP AT ALL \u00ff\r\n\r\n", true);
            }
        };
    }

    /** A 200 whose head never ends: one header of 100 KiB. */
    public Behaviour hugeHeaders() {
        return new Behaviour() {
            @Override
            public void read(ChannelHandlerContext ctx, ByteBuf data) {
                send(ctx, "HTTP/1.0 200 OK\r\nX-Pad: " + "a".repeat(100 * 1024) + "\r\n\r\n", true);
            }
        };
    }

    /** A 200 with a body that never ends, written as fast as the client reads. */
    public Behaviour endlessBody() {
        return new Behaviour() {
            @Override
            public void read(ChannelHandlerContext ctx, ByteBuf data) {
                if (lastRequest.contains("\r\n\r\n") && ctx.channel().attr(STARTED).setIfAbsent(true) == null) {
                    send(ctx, "HTTP/1.0 200 OK\r\n\r\n", false);
                    pump(ctx);
                }
            }
        };
    }

    private static final io.netty.util.AttributeKey<Boolean> STARTED = io.netty.util.AttributeKey.valueOf("started");

    private void pump(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            return;
        }
        bytesSent.addAndGet(16384);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[16384])).addListener(f -> {
            if (f.isSuccess()) {
                pump(ctx);
            }
        });
    }

    @Override
    public void close() throws InterruptedException {
        if (server != null) {
            server.close().sync();
        }
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
    }
}
