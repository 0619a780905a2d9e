package io.tandem.forwarder.service;

/**
 * The identity of an IPv4 virtual service packed in one {@code long} for the
 * data path's lookup: protocol (8 bits), port (16 bits), address (32 bits).
 */
public final class ServiceKey {
    private ServiceKey() {
    }

    public static long of(int protocol, int address, int port) {
        return ((long) (protocol & 0xFF) << 48) | ((long) (port & 0xFFFF) << 32) | (address & 0xFFFF_FFFFL);
    }

    public static int protocol(long key) {
        return (int) (key >>> 48) & 0xFF;
    }

    public static int port(long key) {
        return (int) (key >>> 32) & 0xFFFF;
    }

    public static int address(long key) {
        return (int) key;
    }
}
