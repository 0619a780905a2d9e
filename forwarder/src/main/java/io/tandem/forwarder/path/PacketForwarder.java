package io.tandem.forwarder.path;

import io.tandem.core.packet.ChecksumPolicy;
import io.tandem.core.packet.EthernetFlyweight;
import io.tandem.core.packet.Ipv4Flyweight;
import io.tandem.core.packet.PacketParser;
import io.tandem.core.packet.ParseCounters;
import io.tandem.core.packet.ParseResult;
import io.tandem.core.packet.ParsedPacket;
import io.tandem.core.packet.PseudoHeader;
import io.tandem.forwarder.conn.ConnectionTable;
import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.conn.TcpState;
import io.tandem.forwarder.service.ConnectionScheduler;
import io.tandem.forwarder.service.ServiceTable;
import io.tandem.forwarder.service.VirtualService;
import io.tandem.forwarder.sync.WorkerSync;
import java.lang.foreign.MemorySegment;

/**
 * One worker's packet path, the seeds' request and reply flows for the four
 * modes (DESIGN.md, "The data path"): parse the frame, find its connection in
 * either direction or place a new flow, advance IPVS's TCP state, rewrite it
 * into the transmit buffer, and return the length to send.
 *
 * <table>
 * <caption>What each mode changes</caption>
 * <tr><th>mode</th><th>client to real server</th><th>real server to client</th></tr>
 * <tr><td>NAT</td><td>dst := RIP:rport</td><td>src := VIP:vport</td></tr>
 * <tr><td>DR</td><td>MACs only</td><td>(bypasses the director)</td></tr>
 * <tr><td>TUN</td><td>outer IPv4 DIP -&gt; RIP around the untouched packet (RFC 2003)</td>
 *     <td>(bypasses the director)</td></tr>
 * <tr><td>FULLNAT</td><td>src := LIP:lport, dst := RIP:rport (with {@code toa}, the handshake also
 *     carries CIP:cport in TCP option 254: {@link TcpOptionAddress})</td><td>src := VIP:vport, dst := CIP:cport</td></tr>
 * </table>
 *
 * <p>Checksums are updated incrementally (RFC 1624), except when the frame
 * came with a partial transport checksum (a local sender's offload, which a
 * veth passes on as is): then the transport checksum is computed in full.
 * ICMP errors about a connection are carried like the flow ({@link IcmpErrors});
 * a DF packet that no longer fits the MTU once encapsulated (TUN) is answered
 * with Fragmentation Needed from the VIP, as IPVS does.
 * Nothing is allocated; every drop is counted by reason; nothing throws.
 * One instance per worker thread.
 */
public final class PacketForwarder {
    /** The frame is not the forwarder's: leave it to the kernel. */
    public static final int PASS = -1;
    /** The frame was dropped; {@link #dropped(DropReason)} or the parse counters say why. */
    public static final int DROP = -2;
    /**
     * The frame is larger than the MTU and its flow is tunnelled (TUN), whose IPIP packets the kernel
     * cannot segment: cut it into segments first and process each.
     */
    public static final int SEGMENT_FIRST = -3;

    /** {@link #process(MemorySegment, long, int, int, MemorySegment, long, int, long) flags}: the transport checksum is partial. */
    public static final int PARTIAL_CHECKSUM = 1;
    /**
     * Flag: leave the transport checksum partial (the pseudo-header sum of the rewritten addresses)
     * for the kernel to complete, as a virtio-net header with {@code NEEDS_CSUM} tells it; see
     * {@link #leftPartial()}. TUN still completes it.
     */
    public static final int KEEP_PARTIAL = 2;
    /** Flag: a GSO super-frame, larger than the MTU, that the kernel will segment once it is sent. */
    public static final int SUPER_FRAME = 4;

    /** The outer IPv4 header that TUN adds (RFC 2003). */
    public static final int IPIP_HEADER = Ipv4Flyweight.MIN_HEADER_LENGTH;
    private static final int OUTER_TTL = 64;

    private final ServiceTable services;
    private final ConnectionTable table;
    private final ConnectionScheduler scheduler;
    private final NextHops nextHops;
    private final long localMac;
    private final int directorAddress;
    private final int mtu;
    private final WorkerSync sync;

    private final PacketParser parser = new PacketParser(ChecksumPolicy.IPV4_HEADER);
    private final ParsedPacket rx = new ParsedPacket();
    private final ParsedPacket tx = new ParsedPacket();
    private final Ipv4Flyweight outer = new Ipv4Flyweight();
    private final ParseCounters parseCounters = new ParseCounters();
    private final long[] drops = new long[DropReason.values().length];
    private final long[] icmpCounts = new long[IcmpCounter.values().length];
    private final IcmpErrors icmpErrors;
    private final FragmentationNeeded fragmentationNeeded = new FragmentationNeeded();
    private int outerIdentification;
    private boolean expireNodestConn;
    private long rescheduled;
    private long toaAdded;
    private long toaNoRoom;
    private boolean leftPartial;

    /**
     * @param localMac the MAC of the interface the forwarder sends on
     * @param directorAddress the director's own address: TUN's outer source
     * @param mtu the link MTU, which TUN's encapsulated packets must fit
     */
    public PacketForwarder(ServiceTable services, ConnectionTable table, ConnectionScheduler scheduler,
            NextHops nextHops, long localMac, int directorAddress, int mtu) {
        this(services, table, scheduler, nextHops, localMac, directorAddress, mtu, null);
    }

    /**
     * @param sync connection sync: every new flow, state change and due
     *     refresh is offered to it (null: no sync)
     */
    public PacketForwarder(ServiceTable services, ConnectionTable table, ConnectionScheduler scheduler,
            NextHops nextHops, long localMac, int directorAddress, int mtu, WorkerSync sync) {
        this.sync = sync;
        this.services = services;
        this.table = table;
        this.scheduler = scheduler;
        this.nextHops = nextHops;
        this.localMac = localMac;
        this.directorAddress = directorAddress;
        this.mtu = mtu;
        this.icmpErrors = new IcmpErrors(table);
    }

    /**
     * Processes the frame of {@code length} bytes at {@code rxOffset} of
     * {@code rxSegment} and writes the frame to send at {@code txOffset} of
     * {@code txSegment}.
     *
     * @param partialChecksum the frame's transport checksum is a partial one
     *     (TP_STATUS_CSUMNOTREADY) and must be completed
     * @return the length of the frame to send, {@link #PASS} or {@link #DROP}
     */
    public int process(MemorySegment rxSegment, long rxOffset, int length, boolean partialChecksum,
            MemorySegment txSegment, long txOffset, int txCapacity, long now) {
        return process(rxSegment, rxOffset, length, partialChecksum ? PARTIAL_CHECKSUM : 0, txSegment, txOffset,
                txCapacity, now);
    }

    /**
     * As {@link #process(MemorySegment, long, int, boolean, MemorySegment, long, int, long)}, with
     * {@code flags}: {@link #PARTIAL_CHECKSUM}, {@link #KEEP_PARTIAL}, {@link #SUPER_FRAME}.
     *
     * @return the length of the frame to send, {@link #PASS}, {@link #DROP} or {@link #SEGMENT_FIRST}
     */
    public int process(MemorySegment rxSegment, long rxOffset, int length, int flags,
            MemorySegment txSegment, long txOffset, int txCapacity, long now) {
        leftPartial = false;
        boolean partialChecksum = (flags & PARTIAL_CHECKSUM) != 0;
        ParseResult result = parseCounters.record(parser.parse(rxSegment, rxOffset, length, rx));
        if (result == ParseResult.FRAGMENT) {
            return fragment();
        }
        if (result != ParseResult.OK) {
            // what Tandem does not carry (other ethertypes, other IP protocols) stays the kernel's;
            // malformed frames go nowhere
            return result == ParseResult.UNSUPPORTED_ETHERTYPE || result == ParseResult.UNSUPPORTED_PROTOCOL
                    || result == ParseResult.UNSUPPORTED_ARP ? PASS : DROP;
        }
        if (rx.ipVersion() != 4) {
            return PASS;
        }
        int protocol = rx.protocol();
        if (protocol == Ipv4Flyweight.PROTOCOL_ICMP) {
            return icmpError(rxSegment, rxOffset, length, txSegment, txOffset, txCapacity, now);
        }
        if (protocol != Ipv4Flyweight.PROTOCOL_TCP && protocol != Ipv4Flyweight.PROTOCOL_UDP) {
            return PASS;
        }
        Ipv4Flyweight ip = rx.ipv4();
        long addresses = ip.addresses(); // the 4-tuple in two reads
        int saddr = (int) (addresses >>> 32);
        int daddr = (int) addresses;
        int ports = rx.ports();
        int sport = ports >>> 16;
        int dport = ports & 0xFFFF;
        int tcpFlags = protocol == Ipv4Flyweight.PROTOCOL_TCP ? rx.tcp().flags() : 0;

        int direction = TcpState.INPUT;
        boolean created = false;
        int id = table.lookupIn(protocol, saddr, sport, daddr, dport, now);
        if (id != ConnectionTable.NONE && protocol == Ipv4Flyweight.PROTOCOL_TCP && startsAfresh(id, tcpFlags)) {
            table.remove(id);
            rescheduled++;
            id = ConnectionTable.NONE; // scheduled below like any new connection
        } else if (id == ConnectionTable.NONE) {
            id = table.lookupOut(protocol, saddr, sport, daddr, dport, now);
            direction = TcpState.OUTPUT;
        }
        if (id == ConnectionTable.NONE) {
            VirtualService service = services.lookup(protocol, daddr, dport);
            if (service == null) {
                return PASS;
            }
            if (protocol == Ipv4Flyweight.PROTOCOL_TCP
                    && (tcpFlags & (TcpState.SYN | TcpState.ACK | TcpState.RST)) != TcpState.SYN) {
                return drop(DropReason.NOT_SYN);
            }
            id = scheduler.schedule(service, saddr, sport, now);
            if (id == ConnectionTable.NONE) {
                return drop(switch (scheduler.lastFailure()) {
                    case ConnectionScheduler.TABLE_FULL -> DropReason.TABLE_FULL;
                    case ConnectionScheduler.NO_LOCAL_PORT -> DropReason.NO_LOCAL_PORT;
                    default -> DropReason.NO_DESTINATION;
                });
            }
            direction = TcpState.INPUT;
            created = true;
        }
        VirtualService service = services.get(table.service(id));
        int slot = table.destination(id);
        if (service == null || service.destinations().isRemoved(slot)) {
            return destinationRemoved(id, service);
        }
        ForwardMethod method = table.method(id);
        if (direction == TcpState.OUTPUT && !method.repliesThroughDirector()) {
            return PASS;
        }
        if ((flags & SUPER_FRAME) != 0 && direction == TcpState.INPUT && method == ForwardMethod.TUN) {
            return SEGMENT_FIRST; // before any state changes: each segment is processed on its own
        }
        boolean changed = created;
        boolean addToa = false;
        if (protocol == Ipv4Flyweight.PROTOCOL_TCP) {
            addToa = method == ForwardMethod.FULLNAT && direction == TcpState.INPUT && service.toa()
                    && isHandshake(tcpFlags, table.state(id));
            changed |= table.onTcpSegment(id, direction, tcpFlags, now);
        } else {
            table.onUdpDatagram(id, now);
        }
        if (sync != null) {
            sync.onPacket(id, changed, now);
        }

        boolean tunnel = direction == TcpState.INPUT && method == ForwardMethod.TUN;
        int tunnelLimit = tunnelLimit(txCapacity);
        if (tunnel && rx.ipv4().totalLength() + IPIP_HEADER > tunnelLimit) {
            drop(DropReason.TOO_BIG);
            return rx.ipv4().dontFragment()
                    ? answerTooBig(id, tunnelLimit - IPIP_HEADER, txSegment, txOffset, txCapacity) : DROP;
        }
        int out = tunnel
                ? encapsulate(id, rxSegment, rxOffset, partialChecksum, txSegment, txOffset)
                : rewrite(id, method, direction, rxSegment, rxOffset, length, partialChecksum,
                        (flags & KEEP_PARTIAL) != 0, txSegment, txOffset, txCapacity);
        if (out > 0 && addToa) {
            out = addClientAddress(id, txSegment, txOffset, out, txCapacity);
        }
        if (out > 0) {
            if (direction == TcpState.INPUT) {
                service.stats().in(slot, length);
            } else {
                service.stats().out(slot, length);
            }
        }
        return out;
    }

    /**
     * The client's segments that carry TOA: its SYN, and the ACK that
     * completes the handshake (the entry still SYN_RECV, or SYNACK once the
     * server's SYN-ACK went by), where a real server's TOA module reads the
     * address when it creates the socket.
     */
    private static boolean isHandshake(int tcpFlags, int stateBefore) {
        int control = tcpFlags & (TcpState.SYN | TcpState.ACK | TcpState.RST | TcpState.FIN);
        return control == TcpState.SYN || (control == TcpState.ACK
                && (stateBefore == TcpState.SYNACK || stateBefore == TcpState.SYN_RECV));
    }

    /**
     * FULLNAT with TOA: the client's address and port inserted into the
     * rewritten handshake segment ({@link TcpOptionAddress}); the frame's new
     * length, or its old one, counted, when there is no room for the option.
     */
    private int addClientAddress(int id, MemorySegment txSegment, long txOffset, int length, int txCapacity) {
        // tx already holds the rewritten copy's layers (rewrite's wrapCopy): rewriting moved none of them
        int grown = TcpOptionAddress.insert(tx, txSegment, txOffset, length, table.clientAddr(id),
                table.clientPort(id), mtu, txCapacity);
        if (grown == 0) {
            toaNoRoom++;
            return length;
        }
        toaAdded++;
        leftPartial = false; // the checksum was completed with the option in it
        return grown;
    }

    /** Handshake segments into which FULLNAT inserted the client's address (TOA). */
    public long toaAdded() {
        return toaAdded;
    }

    /** Handshake segments that went on without TOA: no room in the TCP header, the MTU or the frame. */
    public long toaNoRoom() {
        return toaNoRoom;
    }

    /**
     * A client's new connection on the ports of an old one (IPVS's
     * {@code conn_reuse_mode}): a SYN without ACK whose entry is finished
     * (TIME_WAIT or CLOSE) or whose real server was removed, or has weight 0
     * while {@code expire_nodest_conn} is on. The old entry goes and the SYN
     * is scheduled afresh, so a client that reuses its ports after a real
     * server was drained reaches a live one instead of following the stale
     * entry to the dead server. IPVS drops the SYN in the removed-server
     * case; Tandem does not, since that SYN can only be a new attempt.
     */
    private boolean startsAfresh(int id, int tcpFlags) {
        if ((tcpFlags & (TcpState.SYN | TcpState.ACK | TcpState.RST)) != TcpState.SYN) {
            return false;
        }
        int state = table.state(id);
        if (state == TcpState.TIME_WAIT || state == TcpState.CLOSE) {
            return true;
        }
        VirtualService service = services.get(table.service(id));
        int slot = table.destination(id);
        return service == null || service.destinations().isRemoved(slot)
                || (expireNodestConn && service.destinations().weight(slot) == 0);
    }

    /** How many SYNs replaced a finished or orphaned entry with the same ports and were scheduled afresh. */
    public long rescheduled() {
        return rescheduled;
    }

    /**
     * A packet of a connection whose real server was removed: dropped, as
     * IPVS does. With {@code expire_nodest_conn} off (IPVS's default, which
     * keepalived leaves alone) the entry stays, its timer not restarted, so it
     * expires by its state's timeout unless the real server is added back
     * first; with it on, the entry goes now.
     */
    private int destinationRemoved(int id, VirtualService service) {
        if (expireNodestConn || service == null) {
            table.remove(id);
        }
        return drop(DropReason.DESTINATION_REMOVED);
    }

    /**
     * IPVS's {@code net.ipv4.vs.expire_nodest_conn}: true removes a removed
     * real server's connection at its next packet; false (the default) lets
     * it expire. Call on the worker thread.
     */
    public void expireNodestConn(boolean expire) {
        this.expireNodestConn = expire;
    }

    public boolean expireNodestConn() {
        return expireNodestConn;
    }

    /**
     * An ICMP error about a connection: rewritten like the flow and sent the
     * way the flow goes (tunnelled for TUN). Any other ICMP is the kernel's.
     */
    private int icmpError(MemorySegment rxSegment, long rxOffset, int length, MemorySegment txSegment,
            long txOffset, int txCapacity, long now) {
        int id = icmpErrors.find(rx, now);
        if (id == ConnectionTable.NONE) {
            return PASS;
        }
        int direction = icmpErrors.direction();
        ForwardMethod method = table.method(id);
        VirtualService service = services.get(table.service(id));
        int slot = table.destination(id);
        if ((direction == TcpState.OUTPUT && !method.repliesThroughDirector())
                || service == null || service.destinations().isRemoved(slot)) {
            return PASS;
        }
        if (!rx.icmpv4().isChecksumValid(rx.transportLength())) {
            return drop(DropReason.BAD_ICMP_CHECKSUM);
        }
        int out;
        if (direction == TcpState.INPUT && method == ForwardMethod.TUN) {
            if (rx.ipv4().totalLength() + IPIP_HEADER > tunnelLimit(txCapacity)) {
                return drop(DropReason.TOO_BIG); // never an ICMP error about an ICMP error (RFC 1122 §3.2.2)
            }
            out = encapsulate(id, rxSegment, rxOffset, false, txSegment, txOffset);
        } else {
            if (length > txCapacity) {
                return drop(DropReason.TOO_BIG);
            }
            int towards = direction == TcpState.INPUT ? table.destAddr(id)
                    : nextHops.nextHop(table.clientAddr(id));
            long mac = nextHops.macOf(towards);
            if (mac == NextHops.UNRESOLVED) {
                return drop(DropReason.NO_NEIGHBOUR);
            }
            MemorySegment.copy(rxSegment, rxOffset, txSegment, txOffset, length);
            tx.wrapCopy(rx, txSegment, txOffset); // the copy's layers are where rx's parse found them
            icmpErrors.translate(tx, id, method);
            tx.ethernet().addresses(mac, localMac);
            out = length;
        }
        if (out > 0) {
            icmpCounts[IcmpCounter.ERRORS_FORWARDED.ordinal()]++;
            if (direction == TcpState.INPUT) {
                service.stats().in(slot, length);
            } else {
                service.stats().out(slot, length);
            }
        }
        return out;
    }

    private int fragment() {
        Ipv4Flyweight ip = rx.ipv4();
        int protocol = ip.protocol();
        if (rx.ipVersion() == 4 && (protocol == Ipv4Flyweight.PROTOCOL_TCP || protocol == Ipv4Flyweight.PROTOCOL_UDP)
                && services.isVirtualAddress(ip.destinationAddress())) {
            return drop(DropReason.FRAGMENT);
        }
        return PASS;
    }

    /** NAT, DR and FULLNAT: copy, rewrite addresses and ports in place, readdress the frame. */
    private int rewrite(int id, ForwardMethod method, int direction, MemorySegment rxSegment, long rxOffset,
            int length, boolean partialChecksum, boolean keepPartial, MemorySegment txSegment, long txOffset,
            int txCapacity) {
        if (length > txCapacity) {
            return drop(DropReason.TOO_BIG);
        }
        int towards = direction == TcpState.INPUT ? table.destAddr(id) : nextHops.nextHop(table.clientAddr(id));
        long mac = nextHops.macOf(towards);
        if (mac == NextHops.UNRESOLVED) {
            return drop(DropReason.NO_NEIGHBOUR);
        }
        MemorySegment.copy(rxSegment, rxOffset, txSegment, txOffset, length);
        tx.wrapCopy(rx, txSegment, txOffset); // the copy's layers are where rx's parse found them
        // each rewrite folds the IPv4 header and transport checksums once over all the fields it changes
        if (direction == TcpState.INPUT) {
            switch (method) {
                case NAT -> tx.rewriteIpv4Destination(table.destAddr(id), table.destPort(id));
                case FULLNAT -> tx.rewriteIpv4(table.localAddr(id), table.localPort(id),
                        table.destAddr(id), table.destPort(id));
                default -> {
                    // DR: the IP packet is left exactly as the client sent it
                }
            }
        } else if (method == ForwardMethod.FULLNAT) {
            tx.rewriteIpv4(table.virtualAddr(id), table.virtualPort(id), table.clientAddr(id), table.clientPort(id));
        } else {
            tx.rewriteIpv4Source(table.virtualAddr(id), table.virtualPort(id));
        }
        if (partialChecksum && keepPartial) {
            partialTransportChecksum(tx); // the kernel completes it, told so by the virtio-net header
            leftPartial = true;
        } else if (partialChecksum) {
            // also in DR: the frame leaves through AF_PACKET, so nobody downstream completes it
            completeTransportChecksum(tx);
        }
        tx.ethernet().addresses(mac, localMac);
        return length;
    }

    /**
     * The partial form of the transport checksum (CHECKSUM_PARTIAL's): the folded pseudo-header sum of
     * the final addresses and length, which whoever completes the checksum sums with the rest.
     */
    private static void partialTransportChecksum(ParsedPacket p) {
        Ipv4Flyweight ip = p.ipv4();
        int partial = ~io.tandem.core.packet.InternetChecksum.fold(PseudoHeader.ipv4Sum(ip.sourceAddress(),
                ip.destinationAddress(), p.protocol(), p.transportLength())) & 0xFFFF; // folded, not complemented
        if (p.protocol() == Ipv4Flyweight.PROTOCOL_TCP) {
            p.tcp().checksum(partial);
        } else {
            p.udp().checksum(partial);
        }
    }

    /**
     * True when the frame {@link #process} last wrote carries a partial transport checksum
     * ({@link #KEEP_PARTIAL}): its sender must ask the kernel to complete it.
     */
    public boolean leftPartial() {
        return leftPartial;
    }

    /** The sender left a partial checksum (offload); write the full one now that the addresses are final. */
    private static void completeTransportChecksum(ParsedPacket p) {
        Ipv4Flyweight ip = p.ipv4();
        int length = p.transportLength();
        long pseudo = PseudoHeader.ipv4Sum(ip.sourceAddress(), ip.destinationAddress(), p.protocol(), length);
        if (p.protocol() == Ipv4Flyweight.PROTOCOL_TCP) {
            p.tcp().updateChecksum(pseudo, length);
        } else {
            p.udp().updateChecksum(pseudo, length);
        }
    }

    /** The largest encapsulated packet (outer header included) that the MTU and the transmit frame allow. */
    private int tunnelLimit(int txCapacity) {
        return Math.min(mtu, txCapacity - rx.ethernet().headerLength());
    }

    /**
     * TUN (RFC 2003 IP-in-IP): an outer IPv4 header from the director to the
     * real server, then the client's packet untouched; the caller has checked
     * that it fits {@link #tunnelLimit}. A packet that does not is dropped,
     * and when its DF bit forbids fragmenting it the client is told the limit
     * minus the outer header with Fragmentation Needed (RFC 2003 §5.1,
     * RFC 1191; IPVS's {@code ensure_mtu_is_adequate}).
     */
    private int encapsulate(int id, MemorySegment rxSegment, long rxOffset, boolean partialChecksum,
            MemorySegment txSegment, long txOffset) {
        EthernetFlyweight eth = rx.ethernet();
        int l2 = eth.headerLength();
        int inner = rx.ipv4().totalLength();
        int total = inner + IPIP_HEADER;
        int rip = table.destAddr(id);
        long mac = nextHops.macOf(rip);
        if (mac == NextHops.UNRESOLVED) {
            return drop(DropReason.NO_NEIGHBOUR);
        }
        if (partialChecksum) {
            // the real server decapsulates a frame nobody will complete: finish the inner checksum in place
            completeTransportChecksum(rx);
        }
        MemorySegment.copy(rxSegment, rxOffset, txSegment, txOffset, l2);
        MemorySegment.copy(rxSegment, rxOffset + l2, txSegment, txOffset + l2 + IPIP_HEADER, inner);
        outer.wrap(txSegment, txOffset + l2)
                .versionAndIhl(Ipv4Flyweight.MIN_IHL)
                .tos(rx.ipv4().tos())
                .totalLength(total)
                .identification(outerIdentification++ & 0xFFFF)
                .flagsAndFragmentOffset(rx.ipv4().dontFragment() ? Ipv4Flyweight.FLAG_DONT_FRAGMENT : 0)
                .ttl(OUTER_TTL)
                .protocol(Ipv4Flyweight.PROTOCOL_IPIP)
                .sourceAddress(directorAddress)
                .destinationAddress(rip)
                .updateHeaderChecksum();
        tx.ethernet().wrap(txSegment, txOffset, l2 + total).destination(mac).source(localMac);
        return l2 + total;
    }

    /**
     * Fragmentation Needed from the VIP to the client, toward its next hop;
     * DROP when that is unresolved. Not rate-limited: Linux never limits PMTU
     * discovery ({@code icmpv4_mask_allow}), and every stream that stays
     * unanswered waits a retransmission timeout (only a packet of a known
     * connection gets here, and the answer is smaller than the packet).
     */
    private int answerTooBig(int id, int innerMtu, MemorySegment txSegment, long txOffset, int txCapacity) {
        long mac = nextHops.macOf(nextHops.nextHop(table.clientAddr(id)));
        if (mac == NextHops.UNRESOLVED) {
            return DROP;
        }
        int length = fragmentationNeeded.write(rx.ipv4(), innerMtu, mac, localMac, txSegment, txOffset, txCapacity);
        if (length == 0) {
            return DROP;
        }
        icmpCounts[IcmpCounter.FRAGMENTATION_NEEDED_SENT.ordinal()]++;
        return length;
    }

    private int drop(DropReason reason) {
        drops[reason.ordinal()]++;
        return DROP;
    }

    /** Counts a frame that the worker dropped before it reached {@link #process} (a truncated or oversize frame). */
    public void countDrop(DropReason reason) {
        drops[reason.ordinal()]++;
    }

    public long dropped(DropReason reason) {
        return drops[reason.ordinal()];
    }

    /** The link MTU this forwarder sends on. */
    public int mtu() {
        return mtu;
    }

    /** How often the forwarder carried or originated ICMP of each kind. */
    public long icmp(IcmpCounter counter) {
        return icmpCounts[counter.ordinal()];
    }

    public ParseCounters parseCounters() {
        return parseCounters;
    }
}
