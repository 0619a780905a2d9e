package io.tandem.core.config.model;

import io.tandem.core.config.Location;
import java.time.Duration;

/**
 * A {@code vrrp_script} block: the command, run every {@code interval} (default 1 s), killed after
 * {@code timeout} (default: the interval), {@code rise}/{@code fall} successes/failures (default 1)
 * before the state changes, {@code weight} (default 0: FAULT on failure) added to or taken from priority.
 */
public record VrrpScript(String name, Location location, ScriptCommand script, Duration interval, Duration timeout,
                         int weight, boolean weightReverse, int rise, int fall, boolean initFail) {
}
