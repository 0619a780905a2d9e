package io.tandem.healthcheck;

import io.tandem.healthcheck.config.CheckerKind;
import java.net.InetSocketAddress;

/**
 * Sees every finished check attempt (metrics, logs); called on the scheduler's thread.
 * The schedule asks once per checker for its {@link #sink}, so that an observer can bind
 * what it needs (meters) then, and not look it up for every attempt.
 */
@FunctionalInterface
public interface CheckObserver {
    void onResult(String service, InetSocketAddress realServer, CheckerKind kind, CheckResult result,
            long latencyNanos);

    /** The results of one checker. */
    @FunctionalInterface
    interface Sink {
        void onResult(CheckResult result, long latencyNanos);
    }

    /** Where the results of the {@code kind} checker of {@code realServer} in {@code service} go. */
    default Sink sink(String service, InetSocketAddress realServer, CheckerKind kind) {
        return (result, latencyNanos) -> onResult(service, realServer, kind, result, latencyNanos);
    }

    CheckObserver NONE = (service, realServer, kind, result, latencyNanos) -> { };

    /** Both observers, {@code first} first, each with its own sinks. */
    static CheckObserver both(CheckObserver first, CheckObserver second) {
        return new CheckObserver() {
            @Override
            public void onResult(String service, InetSocketAddress realServer, CheckerKind kind, CheckResult result,
                    long latencyNanos) {
                first.onResult(service, realServer, kind, result, latencyNanos);
                second.onResult(service, realServer, kind, result, latencyNanos);
            }

            @Override
            public Sink sink(String service, InetSocketAddress realServer, CheckerKind kind) {
                Sink a = first.sink(service, realServer, kind);
                Sink b = second.sink(service, realServer, kind);
                return (result, latencyNanos) -> {
                    a.onResult(result, latencyNanos);
                    b.onResult(result, latencyNanos);
                };
            }
        };
    }
}
