package io.tandem.core.lab;

/**
 * The lab's fixed addressing plan (DESIGN.md, "The lab"): the client network
 * 10.77.1.0/24 outside the router, the director network 10.77.0.0/24 inside it.
 */
public final class LabAddresses {
    public static final int PREFIX_LENGTH = 24;
    public static final String EXTERNAL_NETWORK = "10.77.1.0/24";
    public static final String LAN_NETWORK = "10.77.0.0/24";

    public static final String CLIENT = "10.77.1.10";
    public static final String ROUTER_EXTERNAL = "10.77.1.1";
    public static final String ROUTER_LAN = "10.77.0.1";
    public static final String DIRECTOR_A = "10.77.0.2";
    public static final String DIRECTOR_B = "10.77.0.3";
    /** The service's virtual IP, held by the master director. */
    public static final String VIP = "10.77.0.100";
    /** The floating internal gateway of NAT mode: real servers route their replies through it. */
    public static final String NAT_GATEWAY_VIP = "10.77.0.254";
    /** FULLNAT local addresses 10.77.0.200 ~ 10.77.0.203. */
    public static final String FULLNAT_LOCAL_FIRST = "10.77.0.200";
    public static final int FULLNAT_LOCAL_COUNT = 4;

    private static final int FIRST_REAL_SERVER_OCTET = 11;

    private LabAddresses() {
    }

    /** The address of real server {@code rs<n>}: rs1 is 10.77.0.11. */
    public static String realServer(int n) {
        if (n < 1 || n > LabOptions.MAX_REAL_SERVERS) {
            throw new IllegalArgumentException("invalid real server number: " + n
                    + " (expected: 1 ~ " + LabOptions.MAX_REAL_SERVERS + ")");
        }
        return "10.77.0." + (FIRST_REAL_SERVER_OCTET - 1 + n);
    }

    /** The FULLNAT local address number {@code i}, 0 ~ 3. */
    public static String fullnatLocal(int i) {
        if (i < 0 || i >= FULLNAT_LOCAL_COUNT) {
            throw new IllegalArgumentException("invalid FULLNAT local address index: " + i
                    + " (expected: 0 ~ " + (FULLNAT_LOCAL_COUNT - 1) + ")");
        }
        return "10.77.0." + (200 + i);
    }
}
