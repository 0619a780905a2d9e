package io.tandem.forwarder.conn;

/**
 * The four packet-forwarding methods (LVS's {@code lb_kind}) with ipvsadm's
 * names ({@code Masq}, {@code Route}, {@code Tunnel}, and DPVS's {@code FullNat}).
 */
public enum ForwardMethod {
    NAT("Masq"),
    DR("Route"),
    TUN("Tunnel"),
    FULLNAT("FullNat");

    private static final ForwardMethod[] VALUES = values();

    private final String ipvsadmName;

    ForwardMethod(String ipvsadmName) {
        this.ipvsadmName = ipvsadmName;
    }

    /** The name in ipvsadm's Forward column. */
    public String ipvsadmName() {
        return ipvsadmName;
    }

    /** True when replies come back through the director (NAT, FULLNAT); DR and TUN replies bypass it. */
    public boolean repliesThroughDirector() {
        return this == NAT || this == FULLNAT;
    }

    /** The method with {@code ordinal} (as the connection table and sync messages store it). */
    public static ForwardMethod ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
