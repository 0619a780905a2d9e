package io.tandem.core.netlink;

/**
 * The scope of an address or route (rtnetlink(7), enum rt_scope_t): how far
 * from this host the address is meaningful. Values 0 ~ 255; the named ones
 * are the kernel's, others are site-defined (/etc/iproute2/rt_scopes).
 */
public record AddressScope(int value) {
    /** Valid everywhere ("global" in {@code ip addr}). */
    public static final AddressScope UNIVERSE = new AddressScope(0);
    public static final AddressScope SITE = new AddressScope(200);
    public static final AddressScope LINK = new AddressScope(253);
    public static final AddressScope HOST = new AddressScope(254);
    public static final AddressScope NOWHERE = new AddressScope(255);

    public AddressScope {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException("invalid address scope: " + value + " (expected: 0 ~ 255)");
        }
    }

    public static AddressScope of(int value) {
        return switch (value) {
            case 0 -> UNIVERSE;
            case 200 -> SITE;
            case 253 -> LINK;
            case 254 -> HOST;
            case 255 -> NOWHERE;
            default -> new AddressScope(value);
        };
    }

    /** The name {@code ip addr} prints: global, site, link, host, nowhere, or the number. */
    @Override
    public String toString() {
        return switch (value) {
            case 0 -> "global";
            case 200 -> "site";
            case 253 -> "link";
            case 254 -> "host";
            case 255 -> "nowhere";
            default -> Integer.toString(value);
        };
    }
}
