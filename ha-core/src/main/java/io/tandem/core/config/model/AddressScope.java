package io.tandem.core.config.model;

/** The {@code scope} of an address or route (rtnetlink RT_SCOPE_*). */
public enum AddressScope {
    GLOBAL(0), SITE(200), LINK(253), HOST(254), NOWHERE(255);

    private final int value;

    AddressScope(int value) {
        this.value = value;
    }

    /** The RT_SCOPE_* number. */
    public int value() {
        return value;
    }
}
