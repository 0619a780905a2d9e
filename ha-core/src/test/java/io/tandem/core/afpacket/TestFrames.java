package io.tandem.core.afpacket;

import io.tandem.core.packet.InternetChecksum;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Writes and reads the Ethernet, IPv4 and UDP fields the lab tests need, in network byte order. */
final class TestFrames {
    static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final int ETHERNET_LENGTH = 14;
    static final int IPV4_LENGTH = 20;
    static final int UDP_LENGTH = 8;

    private TestFrames() {
    }

    /** Destination and source MAC, then the ethertype; returns the header's length. */
    static int ethernet(MemorySegment frame, byte[] dst, byte[] src, int etherType) {
        MemorySegment.copy(dst, 0, frame, ValueLayout.JAVA_BYTE, 0, 6);
        MemorySegment.copy(src, 0, frame, ValueLayout.JAVA_BYTE, 6, 6);
        frame.set(BE_SHORT, 12, (short) etherType);
        return ETHERNET_LENGTH;
    }

    static int etherType(MemorySegment frame) {
        return Short.toUnsignedInt(frame.get(BE_SHORT, 12));
    }

    static byte[] mac(MemorySegment frame, int offset) {
        return frame.asSlice(offset, 6).toArray(ValueLayout.JAVA_BYTE);
    }

    /**
     * An IPv4 (RFC 791 §3.1) UDP (RFC 768) frame carrying {@code payloadLength}
     * bytes already written at {@link #udpPayloadOffset()}; returns the frame's length.
     */
    static int ipv4Udp(MemorySegment frame, byte[] dstMac, byte[] srcMac, int srcIp, int dstIp, int srcPort,
            int dstPort, int payloadLength) {
        ethernet(frame, dstMac, srcMac, AfPacket.ETH_P_IP);
        int ip = ETHERNET_LENGTH;
        frame.set(ValueLayout.JAVA_BYTE, ip, (byte) 0x45);                            // version 4, IHL 5
        frame.set(ValueLayout.JAVA_BYTE, ip + 1, (byte) 0);                           // DSCP, ECN
        frame.set(BE_SHORT, ip + 2, (short) (IPV4_LENGTH + UDP_LENGTH + payloadLength)); // total length
        frame.set(BE_SHORT, ip + 4, (short) 0);                                       // identification
        frame.set(BE_SHORT, ip + 6, (short) 0x4000);                                  // DF, offset 0
        frame.set(ValueLayout.JAVA_BYTE, ip + 8, (byte) 64);                          // TTL
        frame.set(ValueLayout.JAVA_BYTE, ip + 9, (byte) 17);                          // protocol UDP
        frame.set(BE_SHORT, ip + 10, (short) 0);                                      // checksum, below
        frame.set(BE_INT, ip + 12, srcIp);
        frame.set(BE_INT, ip + 16, dstIp);
        frame.set(BE_SHORT, ip + 10, (short) InternetChecksum.checksum(frame, ip, IPV4_LENGTH));
        int udp = ip + IPV4_LENGTH;
        frame.set(BE_SHORT, udp, (short) srcPort);
        frame.set(BE_SHORT, udp + 2, (short) dstPort);
        frame.set(BE_SHORT, udp + 4, (short) (UDP_LENGTH + payloadLength));
        frame.set(BE_SHORT, udp + 6, (short) 0);                                      // no checksum (RFC 768)
        return udp + UDP_LENGTH + payloadLength;
    }

    static int udpPayloadOffset() {
        return ETHERNET_LENGTH + IPV4_LENGTH + UDP_LENGTH;
    }

    /** True for an IPv4 frame without options carrying UDP to {@code dstPort}. */
    static boolean isUdpTo(MemorySegment frame, int length, int dstPort) {
        return length >= udpPayloadOffset()
                && etherType(frame) == AfPacket.ETH_P_IP
                && frame.get(ValueLayout.JAVA_BYTE, ETHERNET_LENGTH) == 0x45
                && frame.get(ValueLayout.JAVA_BYTE, ETHERNET_LENGTH + 9) == 17
                && udpSourcePort(frame) >= 0
                && Short.toUnsignedInt(frame.get(BE_SHORT, ETHERNET_LENGTH + IPV4_LENGTH + 2)) == dstPort;
    }

    static int udpSourcePort(MemorySegment frame) {
        return Short.toUnsignedInt(frame.get(BE_SHORT, ETHERNET_LENGTH + IPV4_LENGTH));
    }

    static int ipv4(String dotted) {
        String[] parts = dotted.split("\\.");
        int value = 0;
        for (String part : parts) {
            value = value << 8 | Integer.parseInt(part);
        }
        return value;
    }
}
