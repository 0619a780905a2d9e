package io.tandem.core.net;

import io.tandem.core.linux.Libc;
import java.net.Inet4Address;
import java.net.InetAddress;

/** The two IP versions a socket can speak, with their address family and socket-option level. */
public enum IpFamily {
    /** IPv4: {@code AF_INET}, options at {@code SOL_IP}, {@code struct sockaddr_in}. */
    IPV4(Libc.AF_INET, Libc.SOL_IP, SockAddr.SOCKADDR_IN_SIZE, 4),
    /** IPv6: {@code AF_INET6}, options at {@code SOL_IPV6}, {@code struct sockaddr_in6}. */
    IPV6(Libc.AF_INET6, Libc.SOL_IPV6, SockAddr.SOCKADDR_IN6_SIZE, 16);

    private final int addressFamily;
    private final int optionLevel;
    private final int sockaddrSize;
    private final int addressLength;

    IpFamily(int addressFamily, int optionLevel, int sockaddrSize, int addressLength) {
        this.addressFamily = addressFamily;
        this.optionLevel = optionLevel;
        this.sockaddrSize = sockaddrSize;
        this.addressLength = addressLength;
    }

    /** {@code AF_INET} or {@code AF_INET6}. */
    public int addressFamily() {
        return addressFamily;
    }

    /** {@code SOL_IP} or {@code SOL_IPV6}. */
    public int optionLevel() {
        return optionLevel;
    }

    /** {@code sizeof(struct sockaddr_in)} or {@code sizeof(struct sockaddr_in6)}. */
    public int sockaddrSize() {
        return sockaddrSize;
    }

    /** 4 or 16 bytes. */
    public int addressLength() {
        return addressLength;
    }

    /** The family of {@code address}. */
    public static IpFamily of(InetAddress address) {
        return address instanceof Inet4Address ? IPV4 : IPV6;
    }
}
