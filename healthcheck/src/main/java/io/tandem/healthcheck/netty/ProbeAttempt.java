package io.tandem.healthcheck.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
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
 * The deadline is the only timer of the attempt (the channel has no connect
 * timeout of its own: {@link CheckTransport#tcpChannel}).
 */
public final class ProbeAttempt implements Runnable, ChannelFutureListener {
    private final CompletableFuture<CheckResult> result = new CompletableFuture<>();
    private Supplier<CheckResult> onDeadline;
    private volatile Channel channel;
    private ScheduledFuture<?> deadline;

    public CompletableFuture<CheckResult> result() {
        return result;
    }

    public boolean isDone() {
        return result.isDone();
    }

    /**
     * Connects {@code ch} (its handlers already added) and arms the deadline on
     * its event loop: when it fires, the attempt ends with {@code onDeadline}.
     */
    public ProbeAttempt connect(CheckTransport transport, Channel ch, SocketAddress remote, SocketAddress local,
            Duration timeout, Supplier<CheckResult> onDeadline) {
        this.onDeadline = onDeadline;
        channel = ch;
        ChannelFuture connect = transport.connect(ch, remote, local);
        deadline = ch.eventLoop().schedule(this, timeout.toNanos(), TimeUnit.NANOSECONDS);
        connect.addListener(this);
        if (result.isDone()) {
            ch.close();
        }
        return this;
    }

    /** The deadline fired. */
    @Override
    public void run() {
        finish(onDeadline.get());
    }

    /** The connect ended; a failure ends the attempt. */
    @Override
    public void operationComplete(ChannelFuture f) {
        if (!f.isSuccess()) {
            finish(Failures.of(f.cause()));
        }
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
