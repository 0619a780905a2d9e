package io.tandem.core.config.model;

import java.nio.file.Path;
import java.util.Optional;

/** A notify FIFO ({@code notify_fifo}, {@code vrrp_notify_fifo}, {@code lvs_notify_fifo}) and the script reading it. */
public record NotifyFifo(Path path, Optional<ScriptCommand> script) {
}
