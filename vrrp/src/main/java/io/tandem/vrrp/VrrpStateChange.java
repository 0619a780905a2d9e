package io.tandem.vrrp;

import java.util.Objects;

/**
 * One transition of a VRRP instance.
 *
 * @param instance          the instance name ({@code vrrp_instance} in keepalived.conf)
 * @param from              state before
 * @param to                state after
 * @param priority          the effective priority at the time
 * @param reason            why, for logs and notify output ("master down timer expired")
 * @param epochMillis       wall-clock time of the transition
 */
public record VrrpStateChange(String instance, VrrpState from, VrrpState to, int priority, String reason,
                              long epochMillis) {
    public VrrpStateChange {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(reason, "reason");
    }
}
