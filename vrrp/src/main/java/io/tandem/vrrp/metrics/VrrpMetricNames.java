package io.tandem.vrrp.metrics;

import io.tandem.vrrp.packet.VrrpDropReason;

/**
 * Micrometer names of the VRRP meters. The {@code keepalived.*} names are
 * keepalived-exporter's (mehdy/keepalived-exporter) once Prometheus's naming
 * convention has turned dots into underscores and added {@code _total} to counters,
 * so existing dashboards keep working: {@code keepalived.advertisements.received}
 * is scraped as {@code keepalived_advertisements_received_total}. Names therefore
 * never end in {@code .total} (the 1.x Prometheus client rejects them). Meters
 * keepalived-exporter does not have are {@code tandem.vrrp.*}.
 */
public final class VrrpMetricNames {
    /** Label: the instance name ({@code vrrp_instance NAME}). */
    public static final String TAG_INSTANCE = "iname";
    /** Label: the interface. */
    public static final String TAG_INTERFACE = "intf";
    /** Label: the VRID. */
    public static final String TAG_VRID = "vrid";

    /** Gauge 0=INIT, 1=BACKUP, 2=MASTER, 3=FAULT. */
    public static final String STATE = "keepalived.vrrp.state";
    public static final String ADVERTISEMENTS_RECEIVED = "keepalived.advertisements.received";
    public static final String ADVERTISEMENTS_SENT = "keepalived.advertisements.sent";
    public static final String BECOME_MASTER = "keepalived.become.master";
    public static final String RELEASE_MASTER = "keepalived.release.master";
    public static final String PRIORITY_ZERO_RECEIVED = "keepalived.priority.zero.received";
    public static final String PRIORITY_ZERO_SENT = "keepalived.priority.zero.sent";

    public static final String IP_TTL_ERRORS = "keepalived.ip.ttl.errors";
    public static final String PACKET_LENGTH_ERRORS = "keepalived.packet.length.errors";
    public static final String INVALID_TYPE_RECEIVED = "keepalived.invalid.type.received";
    public static final String ADDRESS_LIST_ERRORS = "keepalived.address.list.errors";
    public static final String ADVERTISEMENTS_INTERVAL_ERRORS = "keepalived.advertisements.interval.errors";
    public static final String AUTHENTICATION_INVALID = "keepalived.authentication.invalid";
    public static final String AUTHENTICATION_MISMATCH = "keepalived.authentication.mismatch";
    public static final String AUTHENTICATION_FAILURE = "keepalived.authentication.failure";
    public static final String VERSION_ERRORS = "tandem.vrrp.version.errors";
    public static final String CHECKSUM_ERRORS = "tandem.vrrp.checksum.errors";
    public static final String UNKNOWN_VRID = "tandem.vrrp.unknown.vrid";
    public static final String UNKNOWN_PEER = "tandem.vrrp.unknown.peer";

    /** Gauge: the effective priority (base plus tracker weights). */
    public static final String PRIORITY = "tandem.vrrp.priority";
    /** Gauge, seconds since the epoch of the last state change (exposed with a {@code _seconds} suffix). */
    public static final String LAST_TRANSITION = "tandem.vrrp.last.transition.timestamp";
    /** Counter of state changes, with {@code from} and {@code to} labels. */
    public static final String TRANSITIONS = "tandem.vrrp.transitions";

    private VrrpMetricNames() {
    }

    /** The counter a discarded packet is counted in. */
    public static String forDrop(VrrpDropReason reason) {
        return switch (reason) {
            case IP_TTL -> IP_TTL_ERRORS;
            case PACKET_LENGTH -> PACKET_LENGTH_ERRORS;
            case VERSION -> VERSION_ERRORS;
            case INVALID_TYPE -> INVALID_TYPE_RECEIVED;
            case ADDRESS_LIST -> ADDRESS_LIST_ERRORS;
            case CHECKSUM -> CHECKSUM_ERRORS;
            case ADVERT_INTERVAL -> ADVERTISEMENTS_INTERVAL_ERRORS;
            case AUTH_INVALID -> AUTHENTICATION_INVALID;
            case AUTH_MISMATCH -> AUTHENTICATION_MISMATCH;
            case AUTH_FAILURE -> AUTHENTICATION_FAILURE;
            case UNKNOWN_VRID -> UNKNOWN_VRID;
            case UNKNOWN_PEER -> UNKNOWN_PEER;
        };
    }
}
