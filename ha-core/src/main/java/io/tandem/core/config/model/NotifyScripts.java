package io.tandem.core.config.model;

import java.util.Optional;

/** The {@code notify_*} scripts of a VRRP instance or sync group. */
public record NotifyScripts(Optional<ScriptCommand> master, Optional<ScriptCommand> backup,
                            Optional<ScriptCommand> fault, Optional<ScriptCommand> stop,
                            Optional<ScriptCommand> any, Optional<ScriptCommand> masterRxLowerPriority) {
    public static final NotifyScripts NONE = new NotifyScripts(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty());
}
