package io.tandem.healthcheck;

import io.tandem.healthcheck.config.CheckerKind;
import java.net.InetSocketAddress;

/** Sees every finished check attempt (metrics, logs); called on the scheduler's thread. */
@FunctionalInterface
public interface CheckObserver {
    void onResult(String service, InetSocketAddress realServer, CheckerKind kind, CheckResult result,
            long latencyNanos);

    CheckObserver NONE = (service, realServer, kind, result, latencyNanos) -> { };
}
