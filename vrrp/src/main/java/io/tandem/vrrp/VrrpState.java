package io.tandem.vrrp;

/**
 * The states of a VRRP router (RFC 9568 §6.4, RFC 3768 §6.4) plus keepalived's FAULT
 * (a weight-0 tracker is down, or a sync-group member is). The metric value is what
 * keepalived-exporter's {@code keepalived_vrrp_state} reports.
 */
public enum VrrpState {
    /** Initialize (RFC 9568 §6.4.1): not started, stopped, or waiting for the startup delay. */
    INIT(0),
    /** Backup (RFC 9568 §6.4.2): watches the master, takes over when Master_Down_Timer fires. */
    BACKUP(1),
    /** Active / Master (RFC 9568 §6.4.3): owns the virtual addresses and advertises. */
    MASTER(2),
    /** keepalived's FAULT: neither advertises nor takes over until the fault clears. */
    FAULT(3);

    private final int metricValue;

    VrrpState(int metricValue) {
        this.metricValue = metricValue;
    }

    /** The value of the {@code keepalived_vrrp_state} gauge: 0=INIT, 1=BACKUP, 2=MASTER, 3=FAULT. */
    public int metricValue() {
        return metricValue;
    }
}
