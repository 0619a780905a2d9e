package io.tandem.vrrp.notify;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A notify script: its words (no shell) and the user to run it as, empty for Tandem's own. */
public record NotifyCommand(List<String> argv, Optional<String> user) {
    public NotifyCommand {
        argv = List.copyOf(argv);
        Objects.requireNonNull(user, "user");
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("invalid notify command: empty (expected: a program)");
        }
    }
}
