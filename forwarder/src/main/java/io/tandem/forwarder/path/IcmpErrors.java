package io.tandem.forwarder.path;

import io.tandem.core.packet.Icmpv4Flyweight;
import io.tandem.core.packet.ParsedPacket;
import io.tandem.core.packet.QuotedDatagram;
import io.tandem.forwarder.conn.ConnectionTable;
import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.conn.TcpState;

/**
 * ICMP errors about a connection the forwarder carries, translated like the
 * flow itself, as IPVS's {@code ip_vs_in_icmp} / {@code ip_vs_out_icmp} and
 * {@code ip_vs_nat_icmp} do: the quoted datagram tells which connection, and
 * its addresses and ports are rewritten together with the outer header's.
 *
 * <table>
 * <caption>From the client's side: an error about a reply (quote VIP:vport -&gt; CIP:cport)</caption>
 * <tr><th>mode</th><th>outer header</th><th>quoted datagram</th></tr>
 * <tr><td>NAT</td><td>dst := RIP</td><td>src := RIP:rport</td></tr>
 * <tr><td>FULLNAT</td><td>src := LIP, dst := RIP</td><td>src := RIP:rport, dst := LIP:lport</td></tr>
 * <tr><td>DR, TUN</td><td colspan="2">unchanged, sent (or tunnelled) to the real server, which learns the path MTU
 *     of its direct replies</td></tr>
 * </table>
 * <table>
 * <caption>From the real server's side: an error about a request (quote CIP:cport or LIP:lport -&gt; RIP:rport)</caption>
 * <tr><th>mode</th><th>outer header</th><th>quoted datagram</th></tr>
 * <tr><td>NAT</td><td>src := VIP</td><td>dst := VIP:vport</td></tr>
 * <tr><td>FULLNAT</td><td>src := VIP, dst := CIP</td><td>src := CIP:cport, dst := VIP:vport</td></tr>
 * </table>
 *
 * <p>The ICMP checksum is then computed again over the whole message (the
 * quote changed). One instance per worker; nothing is allocated.
 */
final class IcmpErrors {
    private final ConnectionTable table;
    private final QuotedDatagram quote = new QuotedDatagram();
    private int direction;

    IcmpErrors(ConnectionTable table) {
        this.table = table;
    }

    /**
     * The connection that the ICMP error in {@code p} quotes, or
     * {@link ConnectionTable#NONE}; {@link #direction()} then tells from
     * which side it came. An error whose outer destination is not the quoted
     * source (the one who sent the quoted datagram) is none of ours.
     */
    int find(ParsedPacket p, long now) {
        Icmpv4Flyweight icmp = p.icmpv4();
        if (!icmp.isError() || !wrapQuote(p)) {
            return ConnectionTable.NONE;
        }
        int protocol = quote.protocol();
        int src = quote.sourceAddress();
        int dst = quote.destinationAddress();
        if (p.ipv4().destinationAddress() != src) {
            return ConnectionTable.NONE;
        }
        // a reply the client (or a router on its way) could not take: quoted VIP:vport -> CIP:cport
        int id = table.lookupIn(protocol, dst, quote.destinationPort(), src, quote.sourcePort(), now);
        if (id != ConnectionTable.NONE) {
            direction = TcpState.INPUT;
            return id;
        }
        // a request the real server could not take: quoted CIP:cport (LIP:lport) -> RIP:rport
        id = table.lookupOut(protocol, dst, quote.destinationPort(), src, quote.sourcePort(), now);
        direction = TcpState.OUTPUT;
        return id;
    }

    /** {@link TcpState#INPUT} (from the client's side) or {@link TcpState#OUTPUT}, after {@link #find}. */
    int direction() {
        return direction;
    }

    /** Rewrites the error in {@code p} (the copy to send) for connection {@code id} in the found direction. */
    void translate(ParsedPacket p, int id, ForwardMethod method) {
        wrapQuote(p);
        if (direction == TcpState.INPUT) {
            switch (method) {
                case NAT -> {
                    p.rewriteIpv4DestinationAddress(table.destAddr(id));
                    quote.rewriteSource(table.destAddr(id), table.destPort(id));
                }
                case FULLNAT -> {
                    p.rewriteIpv4SourceAddress(table.localAddr(id));
                    p.rewriteIpv4DestinationAddress(table.destAddr(id));
                    quote.rewriteSource(table.destAddr(id), table.destPort(id));
                    quote.rewriteDestination(table.localAddr(id), table.localPort(id));
                }
                default -> {
                    return; // DR: the error goes to the real server as it is
                }
            }
        } else {
            p.rewriteIpv4SourceAddress(table.virtualAddr(id));
            if (method == ForwardMethod.FULLNAT) {
                p.rewriteIpv4DestinationAddress(table.clientAddr(id));
                quote.rewriteSource(table.clientAddr(id), table.clientPort(id));
            }
            quote.rewriteDestination(table.virtualAddr(id), table.virtualPort(id));
        }
        p.icmpv4().updateChecksum(p.transportLength());
    }

    private boolean wrapQuote(ParsedPacket p) {
        return quote.wrap(p.segment(), p.icmpv4().originalDatagramOffset(),
                p.transportLength() - Icmpv4Flyweight.ORIGINAL_DATAGRAM_OFFSET);
    }
}
