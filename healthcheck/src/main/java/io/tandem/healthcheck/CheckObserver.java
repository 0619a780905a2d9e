package io.tandem.healthcheck;

import io.tandem.healthcheck.config.CheckerKind;
import java.net.InetSocketAddress;

/** Sees every finished check attempt (metrics, logs); called on the scheduler's thread. */
@FunctionalInterface
public interface CheckObserver {
    void onResult(String service, InetSocketAddress realServer, CheckerKind kind, CheckResult result,
            long latencyNanos);

    CheckObserver NONE = (service, realServer, kind, result, latencyNanos) -> { };

    /** Both observers, {@code first} first. */
    static CheckObserver both(CheckObserver first, CheckObserver second) {
        return (service, realServer, kind, result, latencyNanos) -> {
            first.onResult(service, realServer, kind, result, latencyNanos);
            second.onResult(service, realServer, kind, result, latencyNanos);
        };
    }
}
