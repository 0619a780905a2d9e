package io.tandem.forwarder.conn;

/**
 * IPVS's TCP connection states ({@code IP_VS_TCP_S_*}) and its transition
 * table ({@code tcp_states[]} in {@code ip_vs_proto_tcp.c}): the director
 * sees only one side's flags in each direction, so this is not a TCP state
 * machine but IPVS's approximation of one, which decides each entry's timeout
 * and whether it counts as an active or an inactive connection.
 */
public final class TcpState {
    public static final int NONE = 0;
    public static final int ESTABLISHED = 1;
    public static final int SYN_SENT = 2;
    public static final int SYN_RECV = 3;
    public static final int FIN_WAIT = 4;
    public static final int TIME_WAIT = 5;
    public static final int CLOSE = 6;
    public static final int CLOSE_WAIT = 7;
    public static final int LAST_ACK = 8;
    public static final int LISTEN = 9;
    public static final int SYNACK = 10;
    public static final int COUNT = 11;

    /** Packet directions, as IPVS names them. */
    public static final int INPUT = 0;
    public static final int OUTPUT = 1;
    /** Input on a connection whose replies bypass the director (DR, TUN): IPVS's NOOUTPUT. */
    public static final int INPUT_ONLY = 2;

    private static final String[] NAMES = {
        "NONE", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT", "TIME_WAIT",
        "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "SYNACK",
    };

    private static final int sNO = NONE;
    private static final int sES = ESTABLISHED;
    private static final int sSS = SYN_SENT;
    private static final int sSR = SYN_RECV;
    private static final int sFW = FIN_WAIT;
    private static final int sTW = TIME_WAIT;
    private static final int sCL = CLOSE;
    private static final int sCW = CLOSE_WAIT;
    private static final int sLA = LAST_ACK;
    private static final int sLI = LISTEN;
    private static final int sSA = SYNACK;

    /** [direction][event: syn, fin, ack, rst][current state] -> next state. */
    private static final byte[][][] NEXT = {
        { // INPUT      sNO  sES  sSS  sSR  sFW  sTW  sCL  sCW  sLA  sLI  sSA
            row(/*syn*/ sSR, sES, sES, sSR, sSR, sSR, sSR, sSR, sSR, sSR, sSR),
            row(/*fin*/ sCL, sCW, sSS, sTW, sTW, sTW, sCL, sCW, sLA, sLI, sTW),
            row(/*ack*/ sCL, sES, sSS, sES, sFW, sTW, sCL, sCW, sCL, sLI, sES),
            row(/*rst*/ sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA, sLI, sSR),
        },
        { // OUTPUT
            row(/*syn*/ sSS, sES, sSS, sSA, sSS, sSS, sSS, sSS, sSS, sLI, sSA),
            row(/*fin*/ sTW, sFW, sSS, sTW, sFW, sTW, sCL, sTW, sLA, sLI, sTW),
            row(/*ack*/ sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sLA, sES, sES),
            row(/*rst*/ sCL, sCL, sSS, sCL, sCL, sTW, sCL, sCL, sCL, sCL, sCL),
        },
        { // INPUT_ONLY
            row(/*syn*/ sSA, sES, sES, sSR, sSA, sSA, sSA, sSA, sSA, sSA, sSA),
            row(/*fin*/ sCL, sFW, sSS, sTW, sFW, sTW, sCL, sCW, sLA, sLI, sTW),
            row(/*ack*/ sCL, sES, sSS, sES, sFW, sTW, sCL, sCW, sCL, sLI, sES),
            row(/*rst*/ sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA, sLI, sCL),
        },
    };

    /** TCP header flag bits (RFC 9293 §3.1). */
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int ACK = 0x10;

    private TcpState() {
    }

    private static byte[] row(int... next) {
        byte[] r = new byte[next.length];
        for (int i = 0; i < next.length; i++) {
            r[i] = (byte) next[i];
        }
        return r;
    }

    /**
     * The state after a segment with {@code tcpFlags} in {@code direction}:
     * RST wins, then SYN, FIN, ACK ({@code tcp_state_idx}); a segment with
     * none of them leaves the state as it is.
     */
    public static int next(int state, int direction, int tcpFlags) {
        int event;
        if ((tcpFlags & RST) != 0) {
            event = 3;
        } else if ((tcpFlags & SYN) != 0) {
            event = 0;
        } else if ((tcpFlags & FIN) != 0) {
            event = 1;
        } else if ((tcpFlags & ACK) != 0) {
            event = 2;
        } else {
            return state;
        }
        return NEXT[direction][event][state];
    }

    public static String name(int state) {
        return state >= 0 && state < COUNT ? NAMES[state] : "ERR!";
    }
}
