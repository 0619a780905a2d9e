package io.tandem.director.drill;

import java.util.List;

/**
 * The drill stack's fixed addresses, as {@code compose.yaml} and
 * {@code deploy/compose/keepalived.conf} set them (a test checks they agree).
 */
public final class StackAddresses {
    public static final String LAN_NETWORK = "lan";
    public static final String DIRECTOR_A = "10.78.0.2";
    public static final String DIRECTOR_B = "10.78.0.3";
    public static final String PROMETHEUS = "10.78.0.9";
    public static final String VIP = "10.78.0.100";
    public static final String CLIENT = "10.78.1.10";
    public static final int ADMIN_PORT = 9165;
    public static final int CLIENT_REPORT_PORT = 9166;
    public static final int PROMETHEUS_PORT = 9090;
    /** The admin block's token in the stack's keepalived.conf (and Prometheus's credentials file). */
    public static final String ADMIN_TOKEN = "drill-admin-token";

    /** The compose services of the director pair. */
    public static final List<String> DIRECTORS = List.of("director-a", "director-b");
    /** The compose services of the real servers, in the order of their addresses 10.78.0.11... */
    public static final List<String> REAL_SERVERS = List.of("rs1", "rs2", "rs3");

    private StackAddresses() {
    }

    /** The address of a director service on the lan network. */
    public static String directorAddress(String service) {
        return switch (service) {
            case "director-a" -> DIRECTOR_A;
            case "director-b" -> DIRECTOR_B;
            default -> throw new IllegalArgumentException("unknown director: " + service
                    + " (expected: one of " + DIRECTORS + ")");
        };
    }

    /** The address of a real-server service. */
    public static String realServerAddress(String service) {
        int i = REAL_SERVERS.indexOf(service);
        if (i < 0) {
            throw new IllegalArgumentException("unknown real server: " + service + " (expected: one of "
                    + REAL_SERVERS + ")");
        }
        return "10.78.0." + (11 + i);
    }
}
