package io.tandem.core.afpacket;

import io.tandem.core.bpf.BpfProgram;

/**
 * The settings of a {@link PacketSocket}, gathered before it is opened,
 * because the kernel wants them in a fixed order (ring version and rings
 * before bind, fanout after bind). Each setter checks its value and returns
 * this context.
 */
public final class PacketSocketContext {
    /** {@code IFNAMSIZ - 1}: the longest interface name. */
    public static final int MAX_INTERFACE_NAME_LENGTH = 15;

    private String interfaceName;
    private int protocol = AfPacket.ETH_P_ALL;
    private boolean promiscuous;
    private boolean ignoreOutgoing;
    private boolean qdiscBypass;
    private boolean vnetHeader;
    private Fanout fanout;
    private BpfProgram fanoutProgram;
    private RingGeometry rxRing;
    private RingGeometry txRing;

    /** The interface to bind to, {@code eth0}; looked up in the namespace the socket is opened in. */
    public PacketSocketContext interfaceName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_INTERFACE_NAME_LENGTH
                || name.indexOf('/') >= 0 || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("invalid interface name: " + (name == null ? null : "'" + name + "'")
                    + " (expected: 1 ~ " + MAX_INTERFACE_NAME_LENGTH + " characters, no '/' or white space)");
        }
        this.interfaceName = name;
        return this;
    }

    public String interfaceName() {
        return interfaceName;
    }

    /**
     * The ethertype to receive ({@link AfPacket#ETH_P_ALL} by default: every
     * frame, sent or received); 0 receives nothing, for a socket that only sends.
     */
    public PacketSocketContext protocol(int etherType) {
        if (etherType < 0 || etherType > 0xFFFF) {
            throw new IllegalArgumentException("invalid protocol: " + etherType + " (expected: 0 ~ 65535)");
        }
        this.protocol = etherType;
        return this;
    }

    public int protocol() {
        return protocol;
    }

    /** Puts the interface in promiscuous mode while the socket is open ({@code PACKET_MR_PROMISC}). */
    public PacketSocketContext promiscuous(boolean on) {
        this.promiscuous = on;
        return this;
    }

    public boolean promiscuous() {
        return promiscuous;
    }

    /** Leaves out frames this host sends ({@code PACKET_IGNORE_OUTGOING}, Linux 4.20). */
    public PacketSocketContext ignoreOutgoing(boolean on) {
        this.ignoreOutgoing = on;
        return this;
    }

    public boolean ignoreOutgoing() {
        return ignoreOutgoing;
    }

    /** Hands frames sent on this socket straight to the driver, past the qdisc ({@code PACKET_QDISC_BYPASS}). */
    public PacketSocketContext qdiscBypass(boolean on) {
        this.qdiscBypass = on;
        return this;
    }

    public boolean qdiscBypass() {
        return qdiscBypass;
    }

    /**
     * A {@link VirtioNetHeader} before each frame, received and sent ({@code PACKET_VNET_HDR}): GSO
     * super-frames arrive whole with their segment size and leave whole for the kernel (or the
     * device) to segment, and a partial checksum is left for it to complete.
     */
    public PacketSocketContext vnetHeader(boolean on) {
        this.vnetHeader = on;
        return this;
    }

    public boolean vnetHeader() {
        return vnetHeader;
    }

    /** Joins a fanout group after binding; {@code null} for none. */
    public PacketSocketContext fanout(Fanout group) {
        this.fanout = group;
        return this;
    }

    public Fanout fanout() {
        return fanout;
    }

    /**
     * The program of a {@link FanoutMode#CBPF} group, set right after joining; {@code null}
     * for none (every frame then goes to the group's first member until one is set).
     */
    public PacketSocketContext fanoutProgram(BpfProgram program) {
        this.fanoutProgram = program;
        return this;
    }

    public BpfProgram fanoutProgram() {
        return fanoutProgram;
    }

    /** Receives through a TPACKET_V2 ring of this shape; {@code null} for plain {@code recvfrom}. */
    public PacketSocketContext rxRing(RingGeometry geometry) {
        this.rxRing = geometry;
        return this;
    }

    public RingGeometry rxRing() {
        return rxRing;
    }

    /** Sends through a TPACKET_V2 ring of this shape; {@code null} for plain {@code sendto}. */
    public PacketSocketContext txRing(RingGeometry geometry) {
        this.txRing = geometry;
        return this;
    }

    public RingGeometry txRing() {
        return txRing;
    }

    /** Checks the settings as a whole; {@link PacketSocket#open} calls it. */
    void validate() {
        if (interfaceName == null) {
            throw new IllegalArgumentException("no interface name (expected: interfaceName(\"eth0\") before open)");
        }
        if (fanoutProgram != null && (fanout == null || fanout.mode() != FanoutMode.CBPF)) {
            throw new IllegalArgumentException("invalid fanout program for fanout " + fanout
                    + " (expected: a CBPF fanout group)");
        }
        if (fanout != null && protocol == 0) {
            throw new IllegalArgumentException("invalid protocol for fanout: 0 (expected: an ethertype or ETH_P_ALL;"
                    + " a socket that receives nothing cannot join a fanout group)");
        }
    }

    @Override
    public String toString() {
        return "if=" + interfaceName + ", protocol=" + AfPacket.etherTypeName(protocol)
                + (promiscuous ? ", promiscuous" : "") + (ignoreOutgoing ? ", ignoreOutgoing" : "")
                + (qdiscBypass ? ", qdiscBypass" : "") + (vnetHeader ? ", vnetHeader" : "") + (fanout != null ? ", fanout(" + fanout + ")" : "")
                + (rxRing != null ? ", rxRing(" + rxRing + ")" : "") + (txRing != null ? ", txRing(" + txRing + ")" : "");
    }
}
