package io.tandem.core.config.model;

import java.time.Duration;
import java.util.Optional;

/** {@code lvs_timeouts [tcp S] [tcpfin S] [udp S]}: connection-table timeouts; unset ones stay as they are. */
public record LvsTimeouts(Optional<Duration> tcp, Optional<Duration> tcpFin, Optional<Duration> udp) {
    public static final LvsTimeouts UNSET = new LvsTimeouts(Optional.empty(), Optional.empty(), Optional.empty());
}
