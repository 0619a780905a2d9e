package io.tandem.healthcheck.tcp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.Checker;
import io.tandem.healthcheck.config.TcpCheckConfig;
import io.tandem.healthcheck.netty.CheckTransport;
import io.tandem.healthcheck.netty.Failures;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * TCP_CHECK (keepalived {@code check_tcp.c}): passes when the three-way
 * handshake completes within {@code connect_timeout} (the channel's connect
 * timeout, the attempt's only timer). The channel has no handler: nothing is
 * read. It is closed in a task of its own rather than while the connect is
 * being completed, where Netty would make a ClosedChannelException with a
 * stack trace for the promise it has not cleared yet.
 */
public final class TcpChecker implements Checker {
    private final TcpCheckConfig config;
    private final CheckTransport transport;
    private final InetSocketAddress local;

    public TcpChecker(TcpCheckConfig config, CheckTransport transport) {
        this.config = config;
        this.transport = transport;
        this.local = CheckTransport.localAddress(config.options());
    }

    @Override
    public TcpCheckConfig config() {
        return config;
    }

    @Override
    public CompletionStage<CheckResult> check() {
        Attempt attempt = new Attempt();
        Channel ch = transport.tcpChannel(config.options(), true);
        transport.connect(ch, config.options().connectTo(), local).addListener(attempt);
        return attempt;
    }

    /** The result of one attempt, and the listener of its connect. */
    private static final class Attempt extends CompletableFuture<CheckResult> implements ChannelFutureListener {
        @Override
        public void operationComplete(ChannelFuture f) {
            if (f.isSuccess()) {
                Channel ch = f.channel();
                ch.eventLoop().execute(ch::close);
                complete(CheckResult.ok());
            } else {
                complete(Failures.of(f.cause()));
            }
        }
    }
}
