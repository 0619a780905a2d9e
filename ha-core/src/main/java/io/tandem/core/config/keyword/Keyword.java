package io.tandem.core.config.keyword;

import java.util.Objects;

/**
 * One entry of the keyword table.
 *
 * @param name the keyword as written in keepalived.conf
 * @param support whether Tandem maps it, and how bad ignoring it is
 * @param keepalivedWould for an unsupported keyword, what keepalived would have done ("send SNMP traps");
 *                        empty for a supported one
 */
public record Keyword(String name, Support support, String keepalivedWould) {
    public Keyword {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(support, "support");
        Objects.requireNonNull(keepalivedWould, "keepalivedWould");
        if (support != Support.SUPPORTED && keepalivedWould.isEmpty()) {
            throw new IllegalArgumentException("unsupported keyword " + name + " needs what keepalived would do");
        }
    }
}
