package io.tandem.vrrp.notify;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code notify_master}, {@code notify_backup}, {@code notify_fault}, {@code notify_stop}
 * and {@code notify} scripts of one instance or sync group (keepalived.conf(5) "VRRP
 * synchronization group(s)"). {@code any} runs after the state's own script, with four more
 * arguments: {@code INSTANCE|GROUP}, the name, the state and the priority.
 */
public record NotifyConfig(Optional<NotifyCommand> master, Optional<NotifyCommand> backup,
                           Optional<NotifyCommand> fault, Optional<NotifyCommand> stop,
                           Optional<NotifyCommand> any) {
    public static final NotifyConfig NONE = new NotifyConfig(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());

    public NotifyConfig {
        Objects.requireNonNull(master, "master");
        Objects.requireNonNull(backup, "backup");
        Objects.requireNonNull(fault, "fault");
        Objects.requireNonNull(stop, "stop");
        Objects.requireNonNull(any, "any");
    }

    /** Whether no script is set. */
    public boolean isEmpty() {
        return master.isEmpty() && backup.isEmpty() && fault.isEmpty() && stop.isEmpty() && any.isEmpty();
    }

    /** The state's own script. */
    Optional<NotifyCommand> forState(String state) {
        return switch (state) {
            case "MASTER" -> master;
            case "BACKUP" -> backup;
            case "FAULT" -> fault;
            case "STOP" -> stop;
            default -> Optional.empty();
        };
    }
}
