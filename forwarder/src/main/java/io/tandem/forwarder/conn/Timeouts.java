package io.tandem.forwarder.conn;

import java.time.Duration;
import java.util.Arrays;

/**
 * Connection timeouts per TCP state and for UDP, with IPVS's defaults
 * ({@code tcp_timeouts[]}, {@code udp_timeouts[]}); keepalived's
 * {@code lvs_timeouts tcp T tcpfin T udp T} sets ESTABLISHED, FIN_WAIT and UDP.
 */
public final class Timeouts {
    private final long[] tcpNanos = new long[TcpState.COUNT];
    private long udpNanos;

    private Timeouts() {
    }

    /** IPVS's defaults: NONE 2 s, ESTABLISHED 900 s, SYN_SENT 120 s, ... UDP 300 s. */
    public static Timeouts ipvsDefaults() {
        Timeouts t = new Timeouts();
        t.tcp(TcpState.NONE, 2);
        t.tcp(TcpState.ESTABLISHED, 900);
        t.tcp(TcpState.SYN_SENT, 120);
        t.tcp(TcpState.SYN_RECV, 60);
        t.tcp(TcpState.FIN_WAIT, 120);
        t.tcp(TcpState.TIME_WAIT, 120);
        t.tcp(TcpState.CLOSE, 10);
        t.tcp(TcpState.CLOSE_WAIT, 60);
        t.tcp(TcpState.LAST_ACK, 30);
        t.tcp(TcpState.LISTEN, 120);
        t.tcp(TcpState.SYNACK, 120);
        t.udpNanos = Duration.ofSeconds(300).toNanos();
        return t;
    }

    /** {@code lvs_timeouts}: a value of 0 keeps the current one, as ipvsadm --set does. */
    public Timeouts withLvsTimeouts(Duration tcp, Duration tcpFin, Duration udp) {
        Timeouts t = new Timeouts();
        System.arraycopy(tcpNanos, 0, t.tcpNanos, 0, tcpNanos.length);
        t.udpNanos = udpNanos;
        if (!tcp.isZero()) {
            t.tcpNanos[TcpState.ESTABLISHED] = positive("tcp", tcp);
        }
        if (!tcpFin.isZero()) {
            t.tcpNanos[TcpState.FIN_WAIT] = positive("tcpfin", tcpFin);
        }
        if (!udp.isZero()) {
            t.udpNanos = positive("udp", udp);
        }
        return t;
    }

    private static long positive(String name, Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("invalid " + name + " timeout: " + d + " (expected: > 0)");
        }
        return d.toNanos();
    }

    private void tcp(int state, int seconds) {
        tcpNanos[state] = Duration.ofSeconds(seconds).toNanos();
    }

    public long tcpNanos(int state) {
        return tcpNanos[state];
    }

    public long udpNanos() {
        return udpNanos;
    }

    @Override
    public String toString() {
        return "Timeouts{tcp=" + Arrays.toString(tcpNanos) + ", udp=" + udpNanos + "}";
    }
}
