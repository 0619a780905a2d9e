package io.tandem.director.run;

import io.tandem.core.lab.PcapFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * An IPv4 packet read from a captured Ethernet frame, with what the per-mode
 * checks compare: addresses, ports, TCP sequence and flags, the IP-in-IP inner
 * packet, and which header fields differ from another capture of the same
 * packet. Parsed here by hand, apart from the production flyweights, so that
 * a test of the forwarder does not lean on the forwarder's own parser.
 */
record CapturedPacket(PcapFrame frame, byte[] ip) {
    static final int TCP = 6;
    static final int UDP = 17;
    static final int IPIP = 4;

    /** The IPv4 packet of {@code frame} (no VLAN), or null when it carries none. */
    static CapturedPacket of(PcapFrame frame) {
        byte[] d = frame.data();
        if (frame.etherType() != 0x0800 || d.length < 34) {
            return null;
        }
        int total = u16(d, 16);
        if (total < 20 || 14 + total > d.length) {
            return null;
        }
        return new CapturedPacket(frame, java.util.Arrays.copyOfRange(d, 14, 14 + total));
    }

    int headerLength() {
        return (ip[0] & 0x0F) * 4;
    }

    int protocol() {
        return ip[9] & 0xFF;
    }

    String source() {
        return dotted(12);
    }

    String destination() {
        return dotted(16);
    }

    boolean dontFragment() {
        return (ip[6] & 0x40) != 0;
    }

    int sourcePort() {
        return u16(ip, headerLength());
    }

    int destinationPort() {
        return u16(ip, headerLength() + 2);
    }

    long tcpSequence() {
        return ((long) u16(ip, headerLength() + 4) << 16 | u16(ip, headerLength() + 6)) & 0xFFFF_FFFFL;
    }

    int tcpFlags() {
        return ip[headerLength() + 13] & 0x3F;
    }

    /**
     * The TOA option's {@code address:port} (TCP option 254, length 8), or null when the TCP header
     * carries none. Walks the options as RFC 9293 §3.1 lays them out (EOL ends them, NOP is one byte).
     */
    String clientAddressOption() {
        if (protocol() != TCP) {
            return null;
        }
        int tcp = headerLength();
        int end = tcp + ((ip[tcp + 12] >> 4) & 0x0F) * 4;
        for (int at = tcp + 20; at < end; ) {
            int kind = ip[at] & 0xFF;
            if (kind == 0) {
                return null;
            }
            if (kind == 1) {
                at++;
                continue;
            }
            int length = at + 1 < end ? ip[at + 1] & 0xFF : 0;
            if (length < 2 || at + length > end) {
                return null;
            }
            if (kind == 254 && length == 8) {
                return dotted(at + 4) + ":" + u16(ip, at + 2);
            }
            at += length;
        }
        return null;
    }

    boolean isSyn() {
        return protocol() == TCP && (tcpFlags() & 0x12) == 0x02;
    }

    /** The packet an IP-in-IP packet carries, or null. */
    CapturedPacket inner() {
        if (protocol() != IPIP || ip.length < headerLength() + 20) {
            return null;
        }
        return new CapturedPacket(frame, java.util.Arrays.copyOfRange(ip, headerLength(), ip.length));
    }

    /** Whether the TCP or UDP checksum verifies over the pseudo-header (a partial one from an offloading sender does not). */
    boolean transportChecksumValid() {
        int l4 = headerLength();
        int length = ip.length - l4;
        long sum = sum(ip, 12, 8) + protocol() + length + sum(ip, l4, length);
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return sum == 0xFFFF;
    }

    /** The names of the IPv4 and TCP/UDP header fields (and other bytes) that differ from {@code other}. */
    List<String> differencesFrom(CapturedPacket other) {
        List<String> out = new ArrayList<>();
        if (ip.length != other.ip.length) {
            out.add("length " + other.ip.length + " -> " + ip.length);
            return out;
        }
        int l4 = headerLength();
        int checksumAt = protocol() == TCP ? l4 + 16 : l4 + 6;
        for (int i = 0; i < ip.length; i++) {
            if (ip[i] != other.ip[i]) {
                String field = i == 8 ? "ttl" : i == 10 || i == 11 ? "ip checksum"
                        : i >= 12 && i < 16 ? "source address" : i >= 16 && i < 20 ? "destination address"
                        : i == l4 || i == l4 + 1 ? "source port" : i == l4 + 2 || i == l4 + 3 ? "destination port"
                        : i == checksumAt || i == checksumAt + 1 ? "transport checksum" : "byte " + i;
                if (!out.contains(field)) {
                    out.add(field);
                }
            }
        }
        return out;
    }

    private String dotted(int at) {
        return (ip[at] & 0xFF) + "." + (ip[at + 1] & 0xFF) + "." + (ip[at + 2] & 0xFF) + "." + (ip[at + 3] & 0xFF);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    private static long sum(byte[] b, int at, int length) {
        long sum = 0;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += u16(b, at + i);
        }
        if ((length & 1) != 0) {
            sum += (b[at + length - 1] & 0xFF) << 8;
        }
        return sum;
    }

    @Override
    public String toString() {
        return source() + (protocol() == TCP || protocol() == UDP ? ":" + sourcePort() : "") + " > " + destination()
                + (protocol() == TCP || protocol() == UDP ? ":" + destinationPort() : "") + " proto " + protocol()
                + " macs " + frame.sourceMac() + " > " + frame.destinationMac();
    }
}
