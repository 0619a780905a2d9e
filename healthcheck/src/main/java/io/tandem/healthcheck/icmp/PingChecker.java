package io.tandem.healthcheck.icmp;

import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.Checker;
import io.tandem.healthcheck.config.PingCheckConfig;
import java.util.concurrent.CompletionStage;

/** PING_CHECK (keepalived {@code check_ping.c}): one ICMP echo, answered within {@code connect_timeout}. */
public final class PingChecker implements Checker {
    private final PingCheckConfig config;
    private final IcmpEchoPinger pinger;

    public PingChecker(PingCheckConfig config, IcmpEchoPinger pinger) {
        this.config = config;
        this.pinger = pinger;
    }

    @Override
    public PingCheckConfig config() {
        return config;
    }

    @Override
    public CompletionStage<CheckResult> check() {
        return pinger.ping(config.options().connectTo().getAddress(), config.options().connectTimeout());
    }
}
