package io.tandem.vrrp.engine;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * {@link VrrpScheduler} on a Netty event loop: timers are the loop's scheduled
 * tasks, so they run on the same thread as the channel that receives
 * advertisements, and instance state needs no locks. Time is the loop's
 * {@link EventExecutor#ticker() ticker}, so a frozen {@code EmbeddedChannel} clock
 * drives it in tests.
 */
public final class EventLoopVrrpScheduler implements VrrpScheduler {
    private final EventExecutor executor;

    public EventLoopVrrpScheduler(EventExecutor executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    @Override
    public long nanoTime() {
        return executor.ticker().nanoTime();
    }

    @Override
    public long currentTimeMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
        ScheduledFuture<?> future = executor.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }
}
