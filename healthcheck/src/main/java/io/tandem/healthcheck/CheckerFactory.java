package io.tandem.healthcheck;

import io.tandem.healthcheck.config.CheckerConfig;

/** Makes the {@link Checker} for a configuration (production: {@link io.tandem.healthcheck.netty.NettyCheckers}). */
@FunctionalInterface
public interface CheckerFactory {
    Checker create(CheckerConfig config);
}
