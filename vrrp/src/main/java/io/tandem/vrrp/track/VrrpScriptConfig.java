package io.tandem.vrrp.track;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code vrrp_script} (keepalived.conf(5) "VRRP script(s)"): the command, run every
 * {@code interval}, killed and counted as a failure after {@code timeout}; exit status 0 is a
 * success. {@code rise} consecutive successes make it up, {@code fall} consecutive failures
 * down; it starts up, or down with {@code init_fail}. Its weight belongs to each tracking line,
 * not here.
 *
 * @param user the user to run it as ({@code user USERNAME}), empty for Tandem's own
 */
public record VrrpScriptConfig(String name, List<String> argv, Optional<String> user, Duration interval,
                               Duration timeout, int rise, int fall, boolean initFail) {
    public VrrpScriptConfig {
        Objects.requireNonNull(name, "name");
        argv = List.copyOf(argv);
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("invalid script of vrrp_script " + name + ": empty (expected: a program)");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("invalid interval of vrrp_script " + name + ": " + interval
                    + " (expected: > 0)");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("invalid timeout of vrrp_script " + name + ": " + timeout
                    + " (expected: > 0)");
        }
        if (rise < 1 || fall < 1) {
            throw new IllegalArgumentException("invalid rise/fall of vrrp_script " + name + ": " + rise + "/" + fall
                    + " (expected: >= 1)");
        }
    }
}
