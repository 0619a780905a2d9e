package io.tandem.healthcheck.tcp;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.Checker;
import io.tandem.healthcheck.config.TcpCheckConfig;
import io.tandem.healthcheck.netty.CheckTransport;
import io.tandem.healthcheck.netty.Failures;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** TCP_CHECK (keepalived {@code check_tcp.c}): passes when the three-way handshake completes in time. */
public final class TcpChecker implements Checker {
    private final TcpCheckConfig config;
    private final CheckTransport transport;

    public TcpChecker(TcpCheckConfig config, CheckTransport transport) {
        this.config = config;
        this.transport = transport;
    }

    @Override
    public TcpCheckConfig config() {
        return config;
    }

    @Override
    public CompletionStage<CheckResult> check() {
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        ChannelFuture connect = transport.tcp(config.options()).handler(new ChannelInboundHandlerAdapter())
                .connect(config.options().connectTo(), CheckTransport.localAddress(config.options()));
        connect.addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                result.complete(CheckResult.ok());
                f.channel().close();
            } else {
                result.complete(Failures.of(f.cause()));
            }
        });
        return result;
    }
}
