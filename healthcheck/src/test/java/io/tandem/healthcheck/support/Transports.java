package io.tandem.healthcheck.support;

import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.Checker;
import io.tandem.healthcheck.config.CheckerKind;
import io.tandem.healthcheck.config.CheckerOptions;
import io.tandem.healthcheck.config.OptionOverrides;
import io.tandem.healthcheck.netty.CheckTransport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/** Shared helpers for checker tests against real loopback servers. */
public final class Transports {
    private Transports() {
    }

    /** One event loop thread for all checks, epoll when available. */
    public static CheckTransport create() {
        return CheckTransport.create(1, ForkJoinPool.commonPool());
    }

    public static void close(CheckTransport transport) {
        transport.group().shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    public static CheckerOptions options(CheckerKind kind, InetSocketAddress target, Duration connectTimeout) {
        return OptionOverrides.builder().connectTimeout(connectTimeout).build().resolve(kind, target);
    }

    /** Runs one attempt and waits for its result (test thread only; the checker itself never blocks). */
    public static CheckResult run(Checker checker) throws Exception {
        return checker.check().toCompletableFuture()
                .get(checker.attemptDeadline().toMillis() + 5000, TimeUnit.MILLISECONDS);
    }

    /** Runs one attempt and returns {result, elapsed seconds}. */
    public static Timed timed(Checker checker) throws Exception {
        long t0 = System.nanoTime();
        CheckResult r = run(checker);
        return new Timed(r, (System.nanoTime() - t0) / 1e9);
    }

    public record Timed(CheckResult result, double seconds) {
    }
}
