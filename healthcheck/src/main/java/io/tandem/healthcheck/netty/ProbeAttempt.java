package io.tandem.healthcheck.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.ScheduledFuture;
import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.FailureReason;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One connection of one check: it ends exactly once, with the first result,
 * at the latest when the deadline ({@code connect_timeout}) fires; ending
 * closes the channel, so a silent or endless peer costs nothing after that.
 */
public final class ProbeAttempt {
    private final CompletableFuture<CheckResult> result = new CompletableFuture<>();
    private volatile Channel channel;
    private ScheduledFuture<?> deadline;

    public CompletableFuture<CheckResult> result() {
        return result;
    }

    public boolean isDone() {
        return result.isDone();
    }

    /**
     * Connects with {@code bootstrap} (its handler already set) and arms the
     * deadline on the channel's event loop: when it fires, the attempt ends
     * with {@code onDeadline}.
     */
    public ProbeAttempt connect(Bootstrap bootstrap, SocketAddress remote, SocketAddress local, Duration timeout,
            Supplier<CheckResult> onDeadline) {
        ChannelFuture connect = bootstrap.connect(remote, local);
        channel = connect.channel();
        deadline = channel.eventLoop().schedule(() -> finish(onDeadline.get()), timeout.toNanos(),
                TimeUnit.NANOSECONDS);
        connect.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                finish(Failures.of(f.cause()));
            }
        });
        if (result.isDone()) {
            channel.close();
        }
        return this;
    }

    /** The usual deadline result: the peer did not finish in time. */
    public static Supplier<CheckResult> timeout(Duration timeout) {
        return () -> CheckResult.failed(FailureReason.TIMEOUT, "no complete answer within " + timeout);
    }

    /** Ends the attempt with {@code r} unless it has ended already; closes the channel. */
    public void finish(CheckResult r) {
        if (result.complete(r)) {
            if (deadline != null) {
                deadline.cancel(false);
            }
            Channel c = channel;
            if (c != null) {
                c.close();
            }
        }
    }
}
