package io.tandem.core.config.model;

import java.util.Locale;
import java.util.Optional;

/** {@code lb_algo} / {@code lvs_sched}: the IPVS scheduler names (ipvsadm(8) -s). */
public enum Scheduler {
    RR, WRR, LC, WLC, LBLC, SH, MH, DH, FO, OVF, LBLCR, SED, NQ, TWOS;

    public static Optional<Scheduler> parse(String s) {
        try {
            return Optional.of(valueOf(s.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The name as ipvsadm prints it. */
    public String ipvsName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
