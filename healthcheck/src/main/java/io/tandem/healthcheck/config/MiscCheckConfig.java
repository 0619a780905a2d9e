package io.tandem.healthcheck.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * MISC_CHECK (keepalived {@code check_misc.c}): runs an external command.
 * Exit 0 passes, 1 fails; with {@code misc_dynamic} an exit code 2..255
 * passes and sets the real server's weight to code - 2.
 *
 * @param command the {@code misc_path} split into words (keepalived runs it without a shell)
 * @param timeout {@code misc_timeout}: the command is killed, with its children, after this
 * @param dynamic {@code misc_dynamic}
 * @param user    {@code user} to run as, or null for the current user
 */
public record MiscCheckConfig(CheckerOptions options, List<String> command, Duration timeout, boolean dynamic,
        String user) implements CheckerConfig {

    public MiscCheckConfig {
        Objects.requireNonNull(options, "options");
        command = List.copyOf(command);
        if (command.isEmpty() || command.getFirst().isBlank()) {
            throw new IllegalArgumentException("invalid misc_path: " + command + " (expected: a command)");
        }
        timeout = timeout == null ? options.delayLoop() : timeout;
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("invalid misc_timeout: " + timeout + " (expected: > 0)");
        }
        if (user != null && !user.matches("[a-z_][a-z0-9_.-]*[$]?")) {
            throw new IllegalArgumentException("invalid user: " + user + " (expected: a user name)");
        }
    }

    @Override
    public CheckerKind kind() {
        return CheckerKind.MISC_CHECK;
    }
}
