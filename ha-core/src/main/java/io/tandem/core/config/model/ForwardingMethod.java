package io.tandem.core.config.model;

import java.util.Locale;
import java.util.Optional;

/** {@code lb_kind} / {@code lvs_method}: the four LVS modes; {@code FNAT} is DPVS's spelling of FULLNAT. */
public enum ForwardingMethod {
    NAT, DR, TUN, FULLNAT;

    /** Parses NAT, DR, TUN, FULLNAT or FNAT (any case); empty for anything else. */
    public static Optional<ForwardingMethod> parse(String s) {
        String u = s.toUpperCase(Locale.ROOT);
        if (u.equals("FNAT")) {
            return Optional.of(FULLNAT);
        }
        for (ForwardingMethod m : values()) {
            if (m.name().equals(u)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
